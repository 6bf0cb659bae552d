package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/pipeline"
)

const (
	queueShown = 20  // passages the queue page lists
	maxQueue   = 200 // n of /api/queue is capped here
)

// queueBody is what the queue template receives.
type queueBody struct {
	Q     *pipeline.Queue
	Items []queueRow
	Left  int // passages in scope the coder has not coded
}

type queueRow struct {
	P      corpus.Passage
	Cite   string
	Codes  []string // the machine's suggestions
	Coders []string
}

// coderOrSignIn returns the coder of r, or redirects to the sign-in page
// (and returns ""): the queue is per coder.
func (s *server) coderOrSignIn(w http.ResponseWriter, r *http.Request) string {
	c := signedIn(r)
	if c == "" {
		http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	}
	return c
}

func (s *server) handleQueue(w http.ResponseWriter, r *http.Request) {
	if s.opts.ReadOnly {
		s.message(w, r, http.StatusForbidden, "Read-only", "This server is read-only: there is no coding queue.")
		return
	}
	coder := s.coderOrSignIn(w, r)
	if coder == "" {
		return
	}
	q, err := s.ws.Queue(r.Context(), coder, queueShown)
	if err != nil {
		s.fail(w, r, "build the queue", err)
		return
	}
	b := queueBody{Q: q, Left: q.Total - q.Coded}
	for _, it := range q.Items {
		row, err := s.queueRow(it)
		if err != nil {
			s.fail(w, r, "read a queued passage", err)
			return
		}
		b.Items = append(b.Items, row)
	}
	s.render(w, r, http.StatusOK, "queue", "Coding queue", "", b)
}

func (s *server) queueRow(it pipeline.QueueItem) (queueRow, error) {
	vs, err := s.store.Views(it.Passage.Doc())
	if err != nil {
		return queueRow{}, err
	}
	for _, v := range vs {
		if v.Passage.ID == it.Passage {
			var codes []string
			for _, a := range v.Annotations {
				if a.Type == corpus.AnnCode && !a.Human() && !a.Negated {
					codes = append(codes, a.Code)
				}
			}
			return queueRow{P: v.Passage, Cite: citeAt(v.Doc, v.Passage), Codes: uniq(codes), Coders: it.Coders}, nil
		}
	}
	return queueRow{}, errors.Join(corpus.ErrNotFound, errors.New("queued passage "+string(it.Passage)))
}

// handleQueueNext redirects to the next passage of the coder's queue, or
// to the queue page when there is none left.
func (s *server) handleQueueNext(w http.ResponseWriter, r *http.Request) {
	coder := s.coderOrSignIn(w, r)
	if coder == "" {
		return
	}
	q, err := s.ws.Queue(r.Context(), coder, 1)
	if err != nil {
		s.fail(w, r, "build the queue", err)
		return
	}
	if len(q.Items) == 0 {
		http.Redirect(w, r, "/queue", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, passageURL(q.Items[0].Passage)+"#coding", http.StatusSeeOther)
}

// apiQueue is the JSON of /api/queue.
type apiQueue struct {
	Coder string         `json:"coder"`
	Order string         `json:"order"`
	Coded int            `json:"coded"`
	Total int            `json:"total"`
	Items []apiQueueItem `json:"items"`
}

type apiQueueItem struct {
	Passage   corpus.PassageID `json:"passage"`
	Citation  string           `json:"citation"`
	Text      string           `json:"text"`
	Suggested []string         `json:"suggested"`
	Coders    []string         `json:"coders"` // others who coded it
}

// handleAPIQueue serves the next n (default 10) passages of the coder's
// queue: the signed-in coder, else (no accounts) ?coder=NAME.
func (s *server) handleAPIQueue(w http.ResponseWriter, r *http.Request) {
	coder, code, why := s.writer(r, r.URL.Query().Get("coder"))
	if why != "" {
		apiError(w, code, why)
		return
	}
	n := 10
	if v := r.URL.Query().Get("n"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 0 {
			apiError(w, http.StatusBadRequest, "n: want a number ≥ 0")
			return
		}
		n = min(n, maxQueue)
	}
	q, err := s.ws.Queue(r.Context(), coder, n)
	if err != nil {
		s.apiFail(w, r, "build the queue", err)
		return
	}
	out := apiQueue{Coder: coder, Order: q.Order, Coded: q.Coded, Total: q.Total, Items: []apiQueueItem{}}
	for _, it := range q.Items {
		row, err := s.queueRow(it)
		if err != nil {
			s.apiFail(w, r, "read a queued passage", err)
			return
		}
		coders := row.Coders
		if coders == nil {
			coders = []string{}
		}
		codes := row.Codes
		if codes == nil {
			codes = []string{}
		}
		out.Items = append(out.Items, apiQueueItem{Passage: row.P.ID, Citation: row.Cite, Text: row.P.Text, Suggested: codes, Coders: coders})
	}
	writeJSON(w, http.StatusOK, out)
}
