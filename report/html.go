package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
)

// Heatmap geometry, in SVG user units.
const (
	hmCell   = 30  // cell width
	hmRow    = 22  // cell height
	hmLeft   = 190 // room for row names
	hmTop    = 150 // room for rotated column names
	hmDimGap = 8   // gap between dimensions
)

// heatmap is the laid-out SVG of units × all codes.
type heatmap struct {
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
	Unit, Code string
}

type hmText struct {
	X, Y int
	Text string
}

// layout places one cell per unit and code, dimension by dimension. The
// shade is the share of the unit's works in which the code describes it.
func layout(r *Report) *heatmap {
	if len(r.Units) == 0 {
		return nil
	}
	h := &heatmap{}
	x := hmLeft
	for _, m := range r.Matrices {
		if len(m.Codes) == 0 {
			continue
		}
		h.Dims = append(h.Dims, hmText{X: x + 2, Y: hmTop - 4, Text: m.Dimension})
		for j, code := range m.Codes {
			cx := x + j*hmCell
			h.Cols = append(h.Cols, hmText{X: cx + hmCell/2 + 4, Y: hmTop - 18, Text: m.Names[j]})
			for i, row := range m.Rows {
				c := row.Cells[j]
				share := 0.0
				if row.Works > 0 {
					share = float64(c.Works) / float64(row.Works)
				}
				hc := hmBox{
					X: cx, Y: hmTop + i*hmRow, W: hmCell - 2, H: hmRow - 2,
					Fill: shade(share), Ink: "v",
					Title: fmt.Sprintf("%s × %s: %d of %d works, %d passages", row.Unit, code, c.Works, row.Works, c.Passages),
					Unit:  row.Unit, Code: code,
				}
				if share > 0.5 {
					hc.Ink = "v on"
				}
				if c.Works > 0 {
					hc.Text = fmt.Sprint(c.Works)
				}
				h.Cells = append(h.Cells, hc)
			}
		}
		x += len(m.Codes)*hmCell + hmDimGap
	}
	for i, u := range r.Units {
		h.Rows = append(h.Rows, hmText{X: hmLeft - 6, Y: hmTop + i*hmRow + hmRow/2 + 4, Text: u.Name})
	}
	h.Width = x + 10
	h.Height = hmTop + len(r.Units)*hmRow + 10
	return h
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

// HTML writes r as one self-contained HTML file: inline CSS, an inline SVG
// heatmap, no scripts and no external assets. Each quote links to
// r.PassageURL + passage ID.
func HTML(w io.Writer, r *Report) error {
	t, err := template.New("report").Funcs(template.FuncMap{
		"num":       num,
		"cellCount": cellCount,
		"spread":    spreadCell,
		"lower":     strings.ToLower,
		"join":      strings.Join,
		"alsoIn":    alsoIn,
		"where":     whereList,
		"codeName":  codeName,
		"dim":       func(i int) Dimension { return r.Dimensions[i] },
		"href":      func(q Quote) string { return r.PassageURL + string(q.Passage) },
		"text":      func(s string) string { return strings.Join(strings.Fields(s), " ") },
		"kappa":     kappaList,
		"shared":    sharedList,
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
	}{r, unitTitle(r.By), unitsTitle(r.By), layout(r)}
	if err := t.Execute(&b, data); err != nil {
		return fmt.Errorf("render html report: %w", err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}

const htmlTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.R.Title}}</title>
<style>
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;max-width:1200px;margin:0 auto;padding:1em 1.5em}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:1px solid #ccd;padding-bottom:.2em;margin-top:2em}h3{font-size:1.05em;margin-top:1.4em}
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.9em}th,td{border:1px solid #d5d9e0;padding:.25em .5em;vertical-align:top;text-align:left}
th{background:#eef1f5}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
blockquote{margin:.6em 0 1em;padding:.4em .9em;border-left:4px solid #4a78b0;background:#f6f8fb}
blockquote p{margin:0 0 .3em}cite{font-style:normal;font-size:.88em;color:#444}
a{color:#1f5fa8}.meta{color:#555}.codes{font-size:.88em;color:#333}
.heatmap{max-width:100%;height:auto;display:block;margin:.5em 0 1em}.heatmap text{font-size:11px;fill:#1b1b1b}.heatmap text.dim{font-weight:bold;font-size:12px}
.heatmap text.v{font-size:10px;text-anchor:middle}.heatmap text.on{fill:#fff}.heatmap text.row{text-anchor:end}
nav ol{columns:2;font-size:.92em}
@media print{body{max-width:none;font-size:10.5pt;padding:0}nav{display:none}h2{break-after:avoid}table,blockquote,svg{break-inside:avoid}a{color:inherit;text-decoration:none}th{background:#eee}.heatmap{max-width:100%}}
</style>
</head>
<body>
<h1>{{.R.Title}}</h1>
<p class="meta">Rows are {{lower .Units}}. Codebook {{.R.Method.Codebook}}; annotator {{if .R.Method.Annotator}}{{.R.Method.Annotator}}{{else}}(unknown){{end}}.{{if .R.Stamp}} Generated {{.R.Stamp}}.{{end}}</p>
<nav><ol><li><a href="#flow">Corpus flow</a></li><li><a href="#matrix">{{.Unit}} × code</a></li><li><a href="#spread">{{.Units}} that hide different roles</a></li><li><a href="#pairs">Different names, same role</a></li><li><a href="#evidence">Evidence table</a></li><li><a href="#method">Method note</a></li></ol></nav>

<h2 id="flow">1. Corpus flow</h2>
{{with .R.Flow}}<ul>
<li>Files found: {{.Files}}{{if .Statuses}} ({{range $i, $c := .Statuses}}{{if $i}}, {{end}}{{$c.Name}} {{$c.N}}{{end}}){{end}}</li>
<li>Documents: {{.Documents}} (ingested {{.Ingested}}, skipped {{.Skipped}})</li>
<li>Version groups: {{.Groups}}, holding {{.Grouped}} documents; ingested documents make {{.Works}} works</li>
<li>Passages: {{.Passages}}; annotated {{.Annotated}} (naming a peer label {{.Labelled}}, carrying a code {{.Coded}}, with a human code {{.Human}})</li>
</ul>
{{if .FileReasons}}<table><tr><th>Files skipped or failed, by reason</th><th>Files</th></tr>{{range .FileReasons}}<tr><td>{{.Name}}</td><td class="n">{{.N}}</td></tr>{{end}}</table>{{end}}
{{if .SkipReasons}}<table><tr><th>Documents skipped, by reason</th><th>Documents</th></tr>{{range .SkipReasons}}<tr><td>{{.Name}}</td><td class="n">{{.N}}</td></tr>{{end}}</table>{{end}}
{{if .Kinds}}<table><tr><th>Kind</th><th>Documents</th><th>Works</th><th>Passages</th></tr>{{range .Kinds}}<tr><td>{{.Name}}</td><td class="n">{{.Docs}}</td><td class="n">{{.Works}}</td><td class="n">{{.Passages}}</td></tr>{{end}}</table>{{end}}
{{if .Langs}}<table><tr><th>Language</th><th>Documents</th><th>Works</th><th>Passages</th></tr>{{range .Langs}}<tr><td>{{.Name}}</td><td class="n">{{.Docs}}</td><td class="n">{{.Works}}</td><td class="n">{{.Passages}}</td></tr>{{end}}</table>{{end}}
{{end}}
<h2 id="matrix">2. {{.Unit}} × code</h2>
<p>The heatmap shades each cell by the share of the {{lower .Unit}}'s works in which the code describes it and prints the number of works; hover a cell for the counts. The tables below give every cell as works out of the works naming the {{lower .Unit}}, with passages in brackets. Only {{lower .Units}} named in at least {{.R.MinDocs}} works are rows.</p>
{{with .Map}}<svg class="heatmap" xmlns="http://www.w3.org/2000/svg" width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img" aria-label="heatmap of {{lower $.Units}} by code">
{{range .Dims}}<text class="dim" x="{{.X}}" y="{{.Y}}">{{.Text}}</text>
{{end}}{{range .Cols}}<text x="{{.X}}" y="{{.Y}}" transform="rotate(-60 {{.X}} {{.Y}})">{{.Text}}</text>
{{end}}{{range .Rows}}<text class="row" x="{{.X}}" y="{{.Y}}">{{.Text}}</text>
{{end}}{{range .Cells}}<g><rect class="cell" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="{{.Fill}}" data-unit="{{.Unit}}" data-code="{{.Code}}"><title>{{.Title}}</title></rect>{{if .Text}}<text class="{{.Ink}}" x="{{.X}}" y="{{.Y}}" dx="14" dy="14">{{.Text}}</text>{{end}}</g>
{{end}}</svg>
{{else}}<p>No {{lower .Unit}} is named in {{.R.MinDocs}} or more works.</p>{{end}}
{{if .R.Units}}{{range .R.Matrices}}<h3>{{.Dimension}}{{if .Question}}: {{.Question}}{{end}}</h3>
<table><tr><th>{{$.Unit}}</th><th>Works</th>{{range .Names}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}{{$w := .Works}}<tr><td>{{.Unit}}</td><td class="n">{{.Works}}</td>{{range .Cells}}<td class="n">{{cellCount . $w}}</td>{{end}}</tr>
{{end}}</table>
{{end}}{{end}}
<h3>{{.Units}} named in fewer than {{.R.MinDocs}} works</h3>
{{if .R.Rare}}<table><tr><th>{{.Unit}}</th><th>Works</th><th>Passages</th><th>Codes (works)</th></tr>
{{range .R.Rare}}<tr><td>{{.Name}}</td><td class="n">{{.Works}}</td><td class="n">{{.Passages}}</td><td class="codes">{{range $i, $c := .Codes}}{{if $i}}, {{end}}{{$c.Code}} ({{$c.Works}}){{else}}–{{end}}</td></tr>
{{end}}</table>{{else}}<p>None.</p>{{end}}

<h2 id="spread">3. {{.Units}} that hide different roles</h2>
<p>Normalised entropy of each {{lower .Unit}}'s codes across the works that name it, per dimension (0: every work says the same; 1: works spread evenly over all codes), with the number of works coded in that dimension. Most spread first; definitions in the method note.</p>
{{if .R.Spread}}<table><tr><th>{{.Unit}}</th><th>Works</th><th>Spread</th>{{range (index .R.Spread 0).Dims}}<th>{{.Dimension}}</th>{{end}}</tr>
{{range .R.Spread}}<tr><td>{{.Unit}}</td><td class="n">{{.Works}}</td><td class="n">{{num .Score}}</td>{{range .Dims}}<td class="n">{{spread .}}</td>{{end}}</tr>
{{end}}</table>{{end}}
{{range .R.Spread}}{{$u := .Unit}}{{with .Contrast}}<h3>{{$u}}: {{.Dimension}}</h3>
<p class="codes">In one work ({{join .ACodes ", "}}):</p>
{{template "quote" .A}}
<p class="codes">In another ({{join .BCodes ", "}}):</p>
{{template "quote" .B}}
{{end}}{{end}}
<h2 id="pairs">4. Different names, same role</h2>
<p>{{.Unit}} pairs whose code profiles are closest (Jensen–Shannon divergence, 0 = identical), with the codes they share, most shared first.</p>
{{if .R.Pairs}}<table><tr><th>{{.Unit}}</th><th>{{.Unit}}</th><th>JSD</th><th>Shared codes</th></tr>
{{range .R.Pairs}}<tr><td>{{.A}}</td><td>{{.B}}</td><td class="n">{{num .JSD}}</td><td class="codes">{{shared .Shared}}</td></tr>
{{end}}</table>
{{range .R.Pairs}}{{if and .QuoteA .QuoteB}}<h3>{{.A}} and {{.B}}: {{index .Shared 0}}</h3>
<p class="codes">{{.A}}:</p>
{{template "quote" .QuoteA}}
<p class="codes">{{.B}}:</p>
{{template "quote" .QuoteB}}
{{end}}{{end}}{{else}}<p>No two {{lower .Units}} share a code.</p>{{end}}

<h2 id="evidence">5. Evidence table</h2>
<p>One row per work; each code with where it was found (page, section or paragraph; passage IDs in the JSON and CSV).</p>
<table><tr><th>Work</th><th>{{.Units}}</th>{{range .R.Dimensions}}<th>{{.ID}}</th>{{end}}</tr>
{{range .R.Evidence}}<tr><td>{{.Citation}}{{alsoIn .}}</td><td>{{join .Units "; "}}</td>{{$w := .Work}}{{range $i, $d := .Dims}}<td class="codes">{{range $j, $c := $d.Codes}}{{if $j}}; {{end}}{{codeName (dim $i) $c.Code}}: {{where $c.Where $w}}{{else}}–{{end}}</td>{{end}}</tr>
{{end}}</table>

<h2 id="method">6. Method note</h2>
{{with .R.Method}}<ul>
<li>Codebook: {{.Codebook}}</li>
<li>Annotator: {{if .Annotator}}{{.Annotator}}{{else}}(unknown){{end}}</li>
{{if .Annotators}}<li>Annotations in the corpus, by annotator: {{range $i, $a := .Annotators}}{{if $i}}; {{end}}{{if $a.Name}}{{$a.Name}}{{else}}(unknown){{end}}: {{$a.N}}{{end}}</li>{{end}}
<li>Rows: {{lower $.Units}}; those named in fewer than {{$.R.MinDocs}} works are listed apart</li>
{{with .Eval}}<li>Annotator against gold file {{.Gold}} ({{.N}} passages): micro-F1 {{num .MicroF1}}, macro-F1 {{num .MacroF1}}, label F1 {{num .LabelF1}}{{if .Kappa}}; Cohen's kappa by dimension: {{range $i, $k := kappa .Kappa}}{{if $i}}, {{end}}{{$k.Name}} {{num $k.Value}}{{end}}{{end}}</li>
{{else}}<li>No gold file was given: the annotator's accuracy is not reported here (peermap eval).</li>{{end}}
</ul>
<h3>Definitions</h3>
<dl>{{range .Definitions}}<dt><strong>{{.Term}}</strong></dt><dd>{{.Text}}</dd>{{end}}</dl>
{{end}}
</body>
</html>
{{define "quote"}}<blockquote><p>“{{text .Text}}”</p><cite>— <a href="{{href .}}">{{.Citation}}</a></cite></blockquote>{{end}}
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
