package index

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"
)

// Add indexes the passages of vs, replacing any passage already indexed
// under the same ID. Writes go in batches of Options.BatchSize; ctx is
// checked between batches, so a cancelled Add leaves the batches already
// written. Add does not remove passages of a document that vs no longer
// holds: call DeleteDocs first to replace a document as a whole.
func (ix *Index) Add(ctx context.Context, vs []corpus.View) error {
	if ix.bld != nil {
		return ix.bld.add(ctx, vs)
	}
	size := ix.opts.batchSize()
	for start := 0; start < len(vs); start += size {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("add to index %s: %w", ix.name(), err)
		}
		end := min(start+size, len(vs))
		batch := ix.b.NewBatch()
		for _, v := range vs[start:end] {
			if v.Passage.ID == "" {
				return fmt.Errorf("add to index %s: passage without ID (doc %s, n %d)", ix.name(), v.Passage.Doc, v.Passage.N)
			}
			if err := batch.Index(string(v.Passage.ID), toDoc(v)); err != nil {
				return fmt.Errorf("add to index %s: passage %s: %w", ix.name(), v.Passage.ID, err)
			}
		}
		if err := ix.b.Batch(batch); err != nil {
			return fmt.Errorf("add to index %s: %w", ix.name(), err)
		}
		ix.log.Debug("indexed batch", zap.Int(corpus.LogKeyCount, end-start))
	}
	return nil
}

// toDoc returns the bleve document of v (see the layout in mapping.go).
func toDoc(v corpus.View) map[string]any {
	d := map[string]any{
		"_type":   docType,
		"text":    v.Passage.Text,
		fieldDoc:  string(v.Passage.Doc),
		fieldPage: float64(v.Passage.Page),
	}
	if v.Passage.Section != "" {
		d[fieldSection] = v.Passage.Section
	}
	strs := func(field string, vals []string) {
		if len(vals) > 0 {
			d[field] = vals
		}
	}
	strs(fieldLabels, v.Labels())
	strs(fieldFamilies, v.Families())
	codes := v.Codes()
	strs(fieldCodes, codes)
	var dims []string
	for _, c := range codes {
		dims = append(dims, corpus.Dimension(c))
	}
	slices.Sort(dims)
	strs(fieldDims, slices.Compact(dims))
	if doc := v.Doc; doc != nil {
		if doc.ID != "" && v.Passage.Doc == "" {
			d[fieldDoc] = string(doc.ID)
		}
		if doc.Group != "" {
			d[fieldGroup] = doc.Group
		}
		if doc.Kind != "" {
			d[fieldKind] = string(doc.Kind)
		}
		if doc.Lang != "" {
			d[fieldLang] = doc.Lang
		}
		if doc.Year != 0 {
			d[fieldYear] = float64(doc.Year)
			d[fieldYearKey] = strconv.Itoa(doc.Year)
		}
		if doc.Title != "" {
			d[fieldTitle] = doc.Title
		}
		if doc.Path != "" {
			d[fieldPath] = doc.Path
		}
		strs(fieldAuthors, doc.Authors)
	}
	return d
}

// DeleteDocs removes every passage of the documents docs from the index.
// Documents the index does not hold are ignored.
func (ix *Index) DeleteDocs(ctx context.Context, docs []corpus.DocID) error {
	if ix.bld != nil {
		return fmt.Errorf("delete from index %s: %w", ix.name(), errBuilding)
	}
	const chunk = 100 // documents per lookup
	for start := 0; start < len(docs); start += chunk {
		ids, err := ix.passagesOf(ctx, docs[start:min(start+chunk, len(docs))])
		if err != nil {
			return fmt.Errorf("delete from index %s: %w", ix.name(), err)
		}
		size := ix.opts.batchSize()
		for i := 0; i < len(ids); i += size {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("delete from index %s: %w", ix.name(), err)
			}
			batch := ix.b.NewBatch()
			for _, id := range ids[i:min(i+size, len(ids))] {
				batch.Delete(id)
			}
			if err := ix.b.Batch(batch); err != nil {
				return fmt.Errorf("delete from index %s: %w", ix.name(), err)
			}
		}
		ix.log.Debug("deleted passages", zap.Int(corpus.LogKeyCount, len(ids)))
	}
	return nil
}

// passagesOf returns the IDs of the indexed passages of docs.
func (ix *Index) passagesOf(ctx context.Context, docs []corpus.DocID) ([]string, error) {
	qs := make([]query.Query, len(docs))
	for i, d := range docs {
		qs[i] = termQuery(fieldDoc, string(d))
	}
	var ids []string
	err := ix.each(ctx, bleve.NewDisjunctionQuery(qs...), nil, func(id string, _ map[string]any) {
		ids = append(ids, id)
	})
	return ids, err
}

// each calls fn for every passage matching q, in ID order, with the stored
// fields named in fields.
func (ix *Index) each(ctx context.Context, q query.Query, fields []string, fn func(id string, f map[string]any)) error {
	page := ix.page
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(q, page, 0, false)
		req.SortBy([]string{"_id"})
		req.Fields = fields
		if after != nil {
			req.SearchAfter = after
		}
		res, err := ix.b.SearchInContext(ctx, req)
		if err != nil {
			return err
		}
		for _, h := range res.Hits {
			fn(h.ID, h.Fields)
		}
		if len(res.Hits) < page {
			return nil
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}

// DocIDs returns, for each document with passages in the index, how many
// passages it has there.
func (ix *Index) DocIDs(ctx context.Context) (map[corpus.DocID]int, error) {
	if ix.bld != nil {
		return nil, fmt.Errorf("list documents of index %s: %w", ix.name(), errBuilding)
	}
	out := make(map[corpus.DocID]int)
	err := ix.each(ctx, bleve.NewMatchAllQuery(), []string{fieldDoc}, func(id string, f map[string]any) {
		doc, _ := f[fieldDoc].(string)
		if doc == "" {
			doc = string(corpus.PassageID(id).Doc())
		}
		out[corpus.DocID(doc)]++
	})
	if err != nil {
		return nil, fmt.Errorf("list documents of index %s: %w", ix.name(), err)
	}
	return out, nil
}

func termQuery(field, val string) *query.TermQuery {
	q := bleve.NewTermQuery(val)
	q.SetField(field)
	return q
}
