package ui

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// fitTable is a table whose columns share out the width it is given,
// recomputed on every resize and reload. Fyne's table keeps fixed column
// widths, so at 1920 px a long column was cut short beside empty space and
// at 1280 px headers ran into each other.
//
// Each column takes at least its MinWidths entry and its header; the room
// left goes first to the columns whose values are cut (as Text reports
// them), then to every column in proportion, so the table always fills its
// width. When even the least widths do not fit, the table scrolls sideways.
type fitTable struct {
	widget.Table
	// MinWidths are the least width of each column.
	MinWidths []float32
	// Header, when set, is a column's title, which its width always holds.
	Header func(col int) string
	// Text, when set, is the text of a cell; columns whose text is cut
	// grow first.
	Text func(row, col int) string

	widths  []float32 // as last set, for tests
	fitting bool
}

// fitSampleRows bounds how many rows are measured: enough to see a column's
// usual width without measuring a long audit log on every refresh.
const fitSampleRows = 50

// newFitTable readies t, which must not be used before: it becomes the
// widget its Table extends.
func newFitTable(t *fitTable) *fitTable {
	t.ExtendBaseWidget(t)
	for i, w := range t.MinWidths {
		t.SetColumnWidth(i, w)
	}
	return t
}

// newTextTable returns a fitted table of rows() with a header, as the audit
// screen.
func newTextTable[T any](cols []textColumn[T], rows func() []T, onSelect func(T)) *fitTable {
	mins := make([]float32, len(cols))
	for i, c := range cols {
		mins[i] = c.width
	}
	t := &fitTable{Table: widget.Table{
		Length:     func() (int, int) { return len(rows()), len(cols) },
		CreateCell: func() fyne.CanvasObject { return &widget.Label{Truncation: fyne.TextTruncateEllipsis} },
		UpdateCell: func(id widget.TableCellID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(cols[id.Col].value(rows()[id.Row]))
		},
		ShowHeaderRow: true,
		CreateHeader:  newHeaderLabel,
		UpdateHeader: func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Col >= 0 {
				o.(*widget.Label).SetText(cols[id.Col].title)
			}
		},
	}, MinWidths: mins,
		Header: func(col int) string { return cols[col].title },
		Text:   func(row, col int) string { return cols[col].value(rows()[row]) }}
	if onSelect != nil {
		t.OnSelected = func(id widget.TableCellID) {
			if r := rows(); id.Row >= 0 && id.Row < len(r) {
				onSelect(r[id.Row])
			}
		}
	}
	return newFitTable(t)
}

// newHeaderLabel is a header cell: bold, and cut with an ellipsis rather
// than drawn over its neighbour when the column is narrow.
func newHeaderLabel() fyne.CanvasObject {
	return &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
}

func (t *fitTable) CreateRenderer() fyne.WidgetRenderer {
	t.ExtendBaseWidget(t)
	return &fitRenderer{WidgetRenderer: t.Table.CreateRenderer(), t: t}
}

// fitRenderer is the table's renderer, fitting the columns before it lays
// them out.
type fitRenderer struct {
	fyne.WidgetRenderer
	t *fitTable
}

func (r *fitRenderer) Layout(size fyne.Size) {
	r.t.fit(size.Width)
	r.WidgetRenderer.Layout(size)
}

func (r *fitRenderer) Refresh() {
	if r.t.fitting {
		return // fit refreshes once when it is done
	}
	r.t.fit(r.t.Size().Width)
	r.WidgetRenderer.Refresh()
}

// fit sets the column widths for a table width.
func (t *fitTable) fit(width float32) {
	if t.fitting || width <= 0 || len(t.MinWidths) == 0 {
		return
	}
	widths := t.columnWidths(width)
	t.fitting = true
	for i, w := range widths {
		t.SetColumnWidth(i, w)
	}
	t.fitting = false
	t.widths = widths
}

// columnWidths shares out width among the columns.
func (t *fitTable) columnWidths(width float32) []float32 {
	n := len(t.MinWidths)
	pad := theme.Padding()
	avail := width - float32(n)*pad // a divider after every column
	if t.ShowHeaderColumn {
		avail -= t.templateHeaderWidth() + pad
	}
	inner := 2 * theme.InnerPadding()
	mins := make([]float32, n)
	wants := make([]float32, n)
	rows := 0
	if t.Length != nil && t.Text != nil {
		rows, _ = t.Length()
	}
	for i := range n {
		mins[i] = t.MinWidths[i]
		if t.Header != nil {
			mins[i] = max(mins[i], textWidth(t.Header(i), fyne.TextStyle{Bold: true})+inner)
		}
		wants[i] = mins[i]
		for r := range min(rows, fitSampleRows) {
			wants[i] = max(wants[i], textWidth(t.Text(r, i), fyne.TextStyle{})+inner)
		}
		// Whole pixels, rounded up: a header cut by a fraction still shows "…".
		mins[i], wants[i] = float32(math.Ceil(float64(mins[i]))), float32(math.Ceil(float64(wants[i])))
	}
	return shareWidth(mins, wants, avail)
}

// shareWidth gives each column its want when all fit, and shares the rest
// in proportion to the wants; when they do not, each gets its min and the
// rest is shared in proportion to what each still wants. When the mins do
// not fit, they are the answer.
func shareWidth(mins, wants []float32, avail float32) []float32 {
	var sumMin, sumWant float32
	for i := range mins {
		sumMin += mins[i]
		sumWant += wants[i]
	}
	out := make([]float32, len(mins))
	switch {
	case sumWant <= 0:
		copy(out, mins)
	case sumWant <= avail:
		for i := range out {
			out[i] = wants[i] + (avail-sumWant)*wants[i]/sumWant
		}
	case sumMin <= avail:
		for i := range out {
			out[i] = mins[i] + (avail-sumMin)*(wants[i]-mins[i])/(sumWant-sumMin)
		}
	default:
		copy(out, mins)
	}
	for i := range out {
		out[i] = float32(int(out[i])) // whole pixels: no column jitters by a fraction on refresh
	}
	return out
}

// templateHeaderWidth is the width of the header column, when shown.
func (t *fitTable) templateHeaderWidth() float32 {
	if t.CreateHeader == nil {
		return 0
	}
	return t.CreateHeader().MinSize().Width
}

// textWidth measures text as a label draws it.
func textWidth(s string, style fyne.TextStyle) float32 {
	return fyne.MeasureText(s, theme.TextSize(), style).Width
}

// columnMins lists the least widths of n columns.
func columnMins(n int, width func(i int) float32) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = width(i)
	}
	return out
}
