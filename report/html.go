package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/text"
)

// Heatmap geometry, in SVG user units.
const (
	hmCell   = 30  // cell width
	hmRow    = 22  // cell height
	hmLeft   = 190 // room for row names
	hmTop    = 150 // room for rotated column names
	hmDimGap = 8   // gap between dimensions
)

// heatmap is a laid-out SVG grid of rows × columns, columns in groups.
type heatmap struct {
	Class         string // "matrix" or "crosswalk"
	Width, Height int
	Cells         []hmBox
	Rows          []hmText
	Cols          []hmText
	Dims          []hmText
}

type hmBox struct {
	X, Y, W, H int
	Fill, Ink  string // Ink: the class of the count, "v on" on dark cells
	Text       string // works, "" when zero
	Title      string
	Unit, Code string // row and column keys (data-unit, data-code)
}

type hmText struct {
	X, Y int
	Text string
}

// A hmGroup is a run of columns under one heading.
type hmGroup struct {
	Name string
	Keys []string // column keys (code IDs, configuration IDs)
	Cols []string // column names
}

// grid places one cell per row and column; cell returns the works, the
// row's works (the share's denominator) and the tooltip of a cell.
func grid(class string, rows []string, groups []hmGroup, cell func(i int, key string) (works, of int, title string)) *heatmap {
	if len(rows) == 0 {
		return nil
	}
	h := &heatmap{Class: class}
	x := hmLeft
	for _, g := range groups {
		if len(g.Keys) == 0 {
			continue
		}
		h.Dims = append(h.Dims, hmText{X: x + 2, Y: hmTop - 4, Text: g.Name})
		for j, key := range g.Keys {
			cx := x + j*hmCell
			h.Cols = append(h.Cols, hmText{X: cx + hmCell/2 + 4, Y: hmTop - 18, Text: g.Cols[j]})
			for i, row := range rows {
				works, of, title := cell(i, key)
				share := 0.0
				if of > 0 {
					share = float64(works) / float64(of)
				}
				hc := hmBox{
					X: cx, Y: hmTop + i*hmRow, W: hmCell - 2, H: hmRow - 2,
					Fill: shade(share), Ink: "v", Title: title, Unit: row, Code: key,
				}
				if share > 0.5 {
					hc.Ink = "v on"
				}
				if works > 0 {
					hc.Text = fmt.Sprint(works)
				}
				h.Cells = append(h.Cells, hc)
			}
		}
		x += len(g.Keys)*hmCell + hmDimGap
	}
	for i, u := range rows {
		h.Rows = append(h.Rows, hmText{X: hmLeft - 6, Y: hmTop + i*hmRow + hmRow/2 + 4, Text: u})
	}
	h.Width = x + 10
	h.Height = hmTop + len(rows)*hmRow + 10
	return h
}

// layout is the heatmap of units × all codes, dimension by dimension. The
// shade is the share of the unit's works in which the code describes it.
func layout(r *Report) *heatmap {
	if len(r.Units) == 0 {
		return nil
	}
	var rows []string
	for _, u := range r.Units {
		rows = append(rows, u.Name)
	}
	cells := map[[2]string]Cell{}
	var groups []hmGroup
	for _, m := range r.Matrices {
		groups = append(groups, hmGroup{Name: m.Dimension, Keys: m.Codes, Cols: m.Names})
		for _, row := range m.Rows {
			for _, c := range row.Cells {
				cells[[2]string{row.Unit, c.Code}] = c
			}
		}
	}
	return grid("matrix", rows, groups, func(i int, code string) (int, int, string) {
		u := r.Units[i]
		c := cells[[2]string{u.Name, code}]
		return c.Works, u.Works, fmt.Sprintf("%s × %s: %d of %d works, %d passages", u.Name, code, c.Works, u.Works, c.Passages)
	})
}

// crossLayout is the heatmap of the crosswalk: units × configurations,
// shaded by the share of the unit's works in each configuration.
func crossLayout(r *Report) *heatmap {
	if len(r.Crosswalk) == 0 || len(r.Configurations) == 0 {
		return nil
	}
	var rows []string
	for _, row := range r.Crosswalk {
		rows = append(rows, row.Unit)
	}
	g := hmGroup{Name: "configuration"}
	col := map[string]int{}
	for j, c := range r.Configurations {
		g.Keys = append(g.Keys, c.ID)
		g.Cols = append(g.Cols, "("+c.ID+") "+text.Shorten(c.Summary, 28))
		col[c.ID] = j
	}
	return grid("crosswalk", rows, []hmGroup{g}, func(i int, id string) (int, int, string) {
		row := r.Crosswalk[i]
		n := row.Cells[col[id]]
		return n, row.Works, fmt.Sprintf("%s in configuration %s: %d of %d works", row.Unit, id, n, row.Works)
	})
}

// shade maps a share in [0, 1] to a colour from pale to dark blue; zero is
// near white so empty cells stay visible as cells.
func shade(s float64) string {
	if s <= 0 {
		return "#f3f5f8"
	}
	lo := [3]float64{0xde, 0xeb, 0xf7}
	hi := [3]float64{0x08, 0x30, 0x6b}
	var c [3]int
	for i := range c {
		c[i] = int(math.Round(lo[i] + (hi[i]-lo[i])*s))
	}
	return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2])
}

// HTML writes r as one self-contained HTML file: inline CSS, inline SVG
// heatmaps (units × configurations, units × codes), no scripts and no
// external assets. Each quote links to its passage at r.BaseURL +
// "passage/" + passage ID (a relative link when BaseURL is empty, which
// `peermap serve` resolves from its /report page); Findings link to the
// quotes by their IDs.
func HTML(w io.Writer, r *Report) error {
	t, err := template.New("report").Funcs(template.FuncMap{
		"num":       num,
		"cellCount": cellCount,
		"spread":    spreadCell,
		"lower":     strings.ToLower,
		"join":      strings.Join,
		"alsoIn":    alsoIn,
		"evidence":  codeEvidence,
		"dim":       func(i int) Dimension { return r.Dimensions[i] },
		"href":      func(q Quote) string { return passageHref(r.BaseURL, q.Passage) },
		"quoteText": quoteText,
		"kappa":     kappaList,
		"shared":    sharedList,
		"shares":    shareList,
		"cites":     citeAll,
		"labelsAs":  labelsAs,
		"plural":    plural,
		"quoted":    quoted,
		"intro":     func() string { return findingsIntro(r) },
		"links":     func() string { return linksLine(r.Method.Links, r.MinConfidence) },
		"clusters":  func() string { return clusteringLine(r.Method.Clustering) },
		"quotes":    func() string { return quotesLine(r.Method.Quotes) },
	}).Parse(htmlTemplate)
	if err != nil {
		return fmt.Errorf("parse html template: %w", err)
	}
	var b bytes.Buffer
	data := struct {
		R     *Report
		Unit  string
		Units string
		Map   *heatmap
		Cross *heatmap
	}{r, unitTitle(r.By), unitsTitle(r.By), layout(r), crossLayout(r)}
	if err := t.Execute(&b, data); err != nil {
		return fmt.Errorf("render html report: %w", err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}

// passageHref is the link to a passage: base + "passage/" + ID, with one
// slash between base and "passage".
func passageHref(base string, id corpus.PassageID) string {
	if base != "" && !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return base + "passage/" + string(id)
}

const htmlTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.R.Title}}</title>
<style>
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;max-width:1200px;margin:0 auto;padding:1em 1.5em}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:1px solid #ccd;padding-bottom:.2em;margin-top:2em}h3{font-size:1.05em;margin-top:1.4em}h4{font-size:1em;margin-top:1.2em}
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.9em}th,td{border:1px solid #d5d9e0;padding:.25em .5em;vertical-align:top;text-align:left}
th{background:#eef1f5}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
blockquote{margin:.6em 0 1em;padding:.4em .9em;border-left:4px solid #4a78b0;background:#f6f8fb}blockquote:target{background:#fff6d5}
blockquote p{margin:0 0 .3em}cite{font-style:normal;font-size:.88em;color:#444}
a{color:#1f5fa8}.meta{color:#555}.codes{font-size:.88em;color:#333}
ol.findings li{margin-bottom:.5em}.qlinks{font-size:.85em;white-space:nowrap}
.heatmap{max-width:100%;height:auto;display:block;margin:.5em 0 1em}.heatmap text{font-size:11px;fill:#1b1b1b}.heatmap text.dim{font-weight:bold;font-size:12px}
.heatmap text.v{font-size:10px;text-anchor:middle}.heatmap text.on{fill:#fff}.heatmap text.row{text-anchor:end}
nav ol{columns:2;font-size:.92em}
@media print{body{max-width:none;font-size:10.5pt;padding:0}nav{display:none}h2{break-after:avoid}table,blockquote,svg{break-inside:avoid}a{color:inherit;text-decoration:none}th{background:#eee}.heatmap{max-width:100%}}
</style>
</head>
<body>
<h1>{{.R.Title}}</h1>
<p class="meta">Rows are {{lower .Units}}. Codebook {{.R.Method.Codebook}}; annotator {{if .R.Method.Annotator}}{{.R.Method.Annotator}}{{else}}(unknown){{end}}.{{if .R.Stamp}} Generated {{.R.Stamp}}.{{end}}</p>
<nav><ol><li><a href="#findings">Findings</a></li><li><a href="#configurations">Configurations</a></li><li><a href="#flow">Corpus flow</a></li><li><a href="#matrix">{{.Unit}} × code</a></li><li><a href="#evidence">Evidence table</a></li><li><a href="#method">Method note</a></li></ol></nav>

<h2 id="findings">1. Findings</h2>
<p>{{intro}}</p>
{{if .R.Findings}}<ol class="findings">
{{range .R.Findings}}<li>{{.Text}}{{if .Quotes}} <span class="qlinks">(quotes: {{range $i, $q := .Quotes}}{{if $i}}, {{end}}<a href="#{{$q}}">{{$q}}</a>{{end}})</span>{{end}}</li>
{{end}}</ol>{{end}}

<h2 id="configurations">2. Configurations</h2>
{{if .R.Configurations}}<p>Each configuration with its defining codes (share of its profiles that carry the code / share of the other profiles), the codes it shares with others, and the {{lower .Units}} it goes by.</p>
<table><tr><th>Configuration</th><th>Works</th><th>Profiles</th><th>Defining codes (in / out)</th><th>Common codes</th><th>{{.Units}}</th></tr>
{{range .R.Configurations}}<tr><td><a href="#config-{{.ID}}">({{.ID}})</a> {{.Summary}}</td><td class="n">{{len .Works}}</td><td class="n">{{.Profiles}}</td><td class="codes">{{with shares .Defining true}}{{.}}{{else}}–{{end}}</td><td class="codes">{{with shares .Common false}}{{.}}{{else}}–{{end}}</td><td>{{range $i, $u := .Units}}{{if $i}}; {{end}}{{$u.Unit}} ({{len $u.Works}}){{end}}</td></tr>
{{end}}</table>
<h3>{{.Unit}} × configuration</h3>
<p>The heatmap shades each cell by the share of the {{lower .Unit}}'s works that fall in the configuration and prints the number of works; the table gives the same counts.</p>
{{with .Cross}}{{template "heatmap" .}}{{end}}
<table><tr><th>{{.Unit}}</th><th>Works</th>{{range .R.Configurations}}<th>{{.ID}}</th>{{end}}</tr>
{{range .R.Crosswalk}}<tr><td>{{.Unit}}</td><td class="n">{{.Works}}</td>{{range .Cells}}<td class="n">{{if .}}{{.}}{{else}}·{{end}}</td>{{end}}</tr>
{{end}}</table>
{{range .R.Configurations}}<h3 id="config-{{.ID}}">({{.ID}}) {{.Summary}}</h3>
<p class="codes">Works: {{cites .Works}}.</p>
{{range .Units}}<p class="codes">{{quoted .Unit}}{{labelsAs .}}, {{plural (len .Works) "work"}}:</p>
{{with .Quote}}{{template "quote" .}}{{else}}<p>(no quotable passage)</p>{{end}}
{{end}}{{end}}{{else}}<p>No work links enough codes to a label to form a configuration.</p>{{end}}

<h2 id="flow">3. Corpus flow</h2>
{{with .R.Flow}}<ul>
<li>Files found: {{.Files}}{{if .Statuses}} ({{range $i, $c := .Statuses}}{{if $i}}, {{end}}{{$c.Name}} {{$c.N}}{{end}}){{end}}</li>
<li>Documents: {{.Documents}} (ingested {{.Ingested}}, skipped {{.Skipped}})</li>
<li>Version groups: {{.Groups}}, holding {{.Grouped}} documents; ingested documents make {{.Works}} works</li>
<li>Passages: {{.Passages}}; annotated {{.Annotated}} (about peers {{.Peer}}, naming a peer label {{.Labelled}}, carrying a code {{.Coded}}, with a human code {{.Human}})</li>
</ul>
{{if .FileReasons}}<table><tr><th>Files skipped or failed, by reason</th><th>Files</th></tr>{{range .FileReasons}}<tr><td>{{.Name}}</td><td class="n">{{.N}}</td></tr>{{end}}</table>{{end}}
{{if .SkipReasons}}<table><tr><th>Documents skipped, by reason</th><th>Documents</th></tr>{{range .SkipReasons}}<tr><td>{{.Name}}</td><td class="n">{{.N}}</td></tr>{{end}}</table>{{end}}
{{if .Kinds}}<table><tr><th>Kind</th><th>Documents</th><th>Works</th><th>Passages</th></tr>{{range .Kinds}}<tr><td>{{.Name}}</td><td class="n">{{.Docs}}</td><td class="n">{{.Works}}</td><td class="n">{{.Passages}}</td></tr>{{end}}</table>{{end}}
{{if .Langs}}<table><tr><th>Language</th><th>Documents</th><th>Works</th><th>Passages</th></tr>{{range .Langs}}<tr><td>{{.Name}}</td><td class="n">{{.Docs}}</td><td class="n">{{.Works}}</td><td class="n">{{.Passages}}</td></tr>{{end}}</table>{{end}}
{{end}}
<h2 id="matrix">4. {{.Unit}} × code</h2>
<p>The heatmap shades each cell by the share of the {{lower .Unit}}'s works in which the code describes it and prints the number of works; hover a cell for the counts. The tables below give every cell as works out of the works naming the {{lower .Unit}}, with passages in brackets. Only {{lower .Units}} named in at least {{.R.MinDocs}} works are rows.</p>
{{with .Map}}{{template "heatmap" .}}{{else}}<p>No {{lower .Unit}} is named in {{.R.MinDocs}} or more works.</p>{{end}}
{{if .R.Units}}{{range .R.Matrices}}<h3>{{.Dimension}}{{if .Question}}: {{.Question}}{{end}}</h3>
<table><tr><th>{{$.Unit}}</th><th>Works</th>{{range .Names}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}{{$w := .Works}}<tr><td>{{.Unit}}</td><td class="n">{{.Works}}</td>{{range .Cells}}<td class="n">{{cellCount . $w}}</td>{{end}}</tr>
{{end}}</table>
{{end}}{{end}}
<h3>{{.Units}} named in fewer than {{.R.MinDocs}} works</h3>
{{if .R.Rare}}<table><tr><th>{{.Unit}}</th><th>Works</th><th>Passages</th><th>Codes (works)</th></tr>
{{range .R.Rare}}<tr><td>{{.Name}}</td><td class="n">{{.Works}}</td><td class="n">{{.Passages}}</td><td class="codes">{{range $i, $c := .Codes}}{{if $i}}, {{end}}{{$c.Code}} ({{$c.Works}}){{else}}–{{end}}</td></tr>
{{end}}</table>{{else}}<p>None.</p>{{end}}

<h2 id="evidence">5. Evidence table</h2>
<p>One row per work; each code of the work with the number of its passages that carry it (×N when more than one) and the first place it was found. Every place and passage ID is in the JSON and CSV.</p>
<table><tr><th>Work</th><th>{{.Units}}</th>{{range .R.Dimensions}}<th>{{.ID}}</th>{{end}}</tr>
{{range .R.Evidence}}<tr><td>{{.Citation}}{{alsoIn .}}</td><td>{{join .Units "; "}}</td>{{$w := .Work}}{{range $i, $d := .Dims}}<td class="codes">{{range $j, $c := $d.Codes}}{{if $j}}; {{end}}{{evidence $c (dim $i) $w}}{{else}}–{{end}}</td>{{end}}</tr>
{{end}}</table>

<h2 id="method">6. Method note</h2>
{{with .R.Method}}<ul>
<li>Codebook: {{.Codebook}}</li>
<li>Annotator: {{if .Annotator}}{{.Annotator}}{{else}}(unknown){{end}}</li>
{{if .Annotators}}<li>Annotations in the corpus, by annotator: {{range $i, $a := .Annotators}}{{if $i}}; {{end}}{{if $a.Name}}{{$a.Name}}{{else}}(unknown){{end}}: {{$a.N}}{{end}}</li>{{end}}
<li>Rows: {{lower $.Units}}; those named in fewer than {{$.R.MinDocs}} works are listed apart; Findings speak of those named in at least {{$.R.FindingWorks}} works</li>
<li>{{links}}</li>
<li>{{clusters}}</li>
<li>{{quotes}}</li>
{{with .Eval}}<li>Annotator against gold file {{.Gold}} ({{.N}} passages): micro-F1 {{num .MicroF1}}, macro-F1 {{num .MacroF1}}, label F1 {{num .LabelF1}}{{if .Kappa}}; Cohen's kappa by dimension: {{range $i, $k := kappa .Kappa}}{{if $i}}, {{end}}{{$k.Name}} {{num $k.Value}}{{end}}{{end}}</li>
{{else}}<li>No gold file was given: the annotator's accuracy is not reported here (peermap eval).</li>{{end}}
</ul>{{end}}
<h3 id="spread">Supporting figures: spread of each {{lower .Unit}}</h3>
<p>Normalised entropy of each {{lower .Unit}}'s codes across the works that name it, per dimension (0: every work says the same; 1: works spread evenly over all codes), with the number of works coded in that dimension. Most spread first.</p>
{{if .R.Spread}}<table><tr><th>{{.Unit}}</th><th>Works</th><th>Spread</th>{{range (index .R.Spread 0).Dims}}<th>{{.Dimension}}</th>{{end}}</tr>
{{range .R.Spread}}<tr><td>{{.Unit}}</td><td class="n">{{.Works}}</td><td class="n">{{num .Score}}</td>{{range .Dims}}<td class="n">{{spread .}}</td>{{end}}</tr>
{{end}}</table>{{end}}
{{range .R.Spread}}{{$u := .Unit}}{{with .Contrast}}<h4>{{$u}}: {{.Dimension}}</h4>
<p class="codes">In one work ({{join .ACodes ", "}}):</p>
{{template "quote" .A}}
<p class="codes">In another ({{join .BCodes ", "}}):</p>
{{template "quote" .B}}
{{end}}{{end}}
<h3 id="pairs">Supporting figures: closest {{lower .Unit}} profiles</h3>
<p>{{.Unit}} pairs whose code profiles are closest (Jensen–Shannon divergence, 0 = identical), with the codes they share, most shared first.</p>
{{if .R.Pairs}}<table><tr><th>{{.Unit}}</th><th>{{.Unit}}</th><th>JSD</th><th>Shared codes</th></tr>
{{range .R.Pairs}}<tr><td>{{.A}}</td><td>{{.B}}</td><td class="n">{{num .JSD}}</td><td class="codes">{{shared .Shared}}</td></tr>
{{end}}</table>
{{range .R.Pairs}}{{if and .QuoteA .QuoteB}}<h4>{{.A}} and {{.B}}: {{index .Shared 0}}</h4>
<p class="codes">{{.A}}:</p>
{{template "quote" .QuoteA}}
<p class="codes">{{.B}}:</p>
{{template "quote" .QuoteB}}
{{end}}{{end}}{{else}}<p>No two {{lower .Units}} share a code.</p>{{end}}
{{with .R.Method}}<h3>Definitions</h3>
<dl>{{range .Definitions}}<dt><strong>{{.Term}}</strong></dt><dd>{{.Text}}</dd>{{end}}</dl>
{{end}}
</body>
</html>
{{define "quote"}}<blockquote id="{{.ID}}"><p>“{{quoteText .}}”</p><cite>— <a href="{{href .}}">{{.Citation}}</a> ({{.Label}}, {{.Code}})</cite></blockquote>{{end}}
{{define "heatmap"}}<svg class="heatmap {{.Class}}" xmlns="http://www.w3.org/2000/svg" width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img" aria-label="heatmap ({{.Class}})">
{{range .Dims}}<text class="dim" x="{{.X}}" y="{{.Y}}">{{.Text}}</text>
{{end}}{{range .Cols}}<text x="{{.X}}" y="{{.Y}}" transform="rotate(-60 {{.X}} {{.Y}})">{{.Text}}</text>
{{end}}{{range .Rows}}<text class="row" x="{{.X}}" y="{{.Y}}">{{.Text}}</text>
{{end}}{{range .Cells}}<g><rect class="cell" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="{{.Fill}}" data-unit="{{.Unit}}" data-code="{{.Code}}"><title>{{.Title}}</title></rect>{{if .Text}}<text class="{{.Ink}}" x="{{.X}}" y="{{.Y}}" dx="14" dy="14">{{.Text}}</text>{{end}}</g>
{{end}}</svg>
{{end}}
`

type kv struct {
	Name  string
	Value float64
}

// kappaList returns m's entries in key order.
func kappaList(m map[string]float64) []kv {
	var out []kv
	for _, k := range sortedKeys(m) {
		out = append(out, kv{k, m[k]})
	}
	return out
}
