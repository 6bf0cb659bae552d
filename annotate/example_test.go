package annotate_test

import (
	"fmt"

	"github.com/peermap/peermap/annotate"
)

func ExampleTagger_TagText() {
	tg, err := annotate.New(annotate.Default(), annotate.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	text := "Peer navigators accompany patients to appointments. No community health worker was involved."
	for _, a := range tg.TagText(text, "en") {
		s := a.Spans[0]
		switch a.Type {
		case "label":
			fmt.Printf("label %s (%s) negated=%v: %q\n", a.Label, a.Family, a.Negated, text[s.Start:s.End])
		case "code":
			fmt.Printf("code %s linked to %v (%s): %q\n", a.Code, a.Links, a.LinkScope, text[s.Start:s.End])
		}
	}
	// Output:
	// code role.navigation linked to [peer navigator] (sentence): "accompany"
	// label community health worker (community health worker) negated=true: "community health worker"
	// label peer navigator (peer navigator) negated=false: "Peer navigators"
}
