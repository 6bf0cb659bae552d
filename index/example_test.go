package index_test

import (
	"context"
	"fmt"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/index"
)

func ExampleIndex_Search() {
	ctx := context.Background()
	ix, err := index.New(index.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ix.Close()

	en := &corpus.Document{ID: "d1", Lang: "en", Kind: corpus.KindArticle, Year: 2019, Title: "Navigation in cancer care"}
	fr := &corpus.Document{ID: "d2", Lang: "fr", Kind: corpus.KindGrey, Year: 2024, Title: "Pair-aidance"}
	label := corpus.Annotation{Type: corpus.AnnLabel, Label: "peer navigator", Family: "navigator"}
	views := []corpus.View{
		{Passage: corpus.Passage{ID: "d1/0000", Doc: "d1", Text: "Each peer navigator followed ten patients."}, Doc: en,
			Annotations: []corpus.Annotation{label}},
		{Passage: corpus.Passage{ID: "d1/0001", Doc: "d1", Text: "The navigator, not a peer, booked visits."}, Doc: en},
		{Passage: corpus.Passage{ID: "d2/0000", Doc: "d2", Text: "Les médiatrices de santé-pair accompagnent les patients."}, Doc: fr},
	}
	if err := ix.Add(ctx, views); err != nil {
		fmt.Println(err)
		return
	}

	for _, q := range []corpus.Query{
		{Text: `"peer navigator"`},                        // a phrase: d1/0001 has the words apart
		{Text: "mediatrice sante", Langs: []string{"fr"}}, // French stems, accents folded
		{Labels: []string{"peer navigator"}, Facets: true},
	} {
		res, err := ix.Search(ctx, q)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: %d hit(s)\n", q, res.Total)
		for _, h := range res.Hits {
			fmt.Println(" ", h.Passage, h.Fragments)
		}
		if q.Facets {
			fmt.Println("  years:", res.Facets["year"])
		}
	}

	_, err = ix.Search(ctx, corpus.Query{Text: `"unclosed`})
	fmt.Println(err != nil)
	// Output:
	// "peer navigator": 1 hit(s)
	//   d1/0000 [Each <mark>peer</mark> <mark>navigator</mark> followed ten patients.]
	// mediatrice sante lang:fr: 1 hit(s)
	//   d2/0000 [Les <mark>médiatrices</mark> de <mark>santé</mark>-pair accompagnent les patients.]
	// label:"peer navigator": 1 hit(s)
	//   d1/0000 []
	//   years: [{2019 1}]
	// true
}
