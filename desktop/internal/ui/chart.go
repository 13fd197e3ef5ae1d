package ui

import (
	"image/color"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// chartSeries is one line of a chart: values sampled at equal steps, oldest
// first.
type chartSeries struct {
	Name   string
	Values []float64
}

// chartPalette colours series in order; it is readable on light and dark
// themes.
var chartPalette = []color.NRGBA{
	{R: 0x21, G: 0x96, B: 0xf3, A: 0xff}, {R: 0xff, G: 0x98, B: 0x00, A: 0xff},
	{R: 0x4c, G: 0xaf, B: 0x50, A: 0xff}, {R: 0x9c, G: 0x27, B: 0xb0, A: 0xff},
	{R: 0xf4, G: 0x43, B: 0x36, A: 0xff}, {R: 0x00, G: 0x96, B: 0x88, A: 0xff},
}

// lineChart draws series as lines over a time axis (the last hour), with the
// peak on the value axis and a legend. Stock widgets have no chart, so it
// extends the base widget with its own renderer.
type lineChart struct {
	widget.BaseWidget
	Title string
	Unit  string // after the peak value, e.g. "viewers"
	// Format, when set, writes the peak value instead of number and Unit.
	Format func(float64) string
	Start  string // label of the left end of the time axis
	End    string // label of the right end
	series []chartSeries
}

func newLineChart(title, unit string) *lineChart {
	c := &lineChart{Title: title, Unit: unit, Start: "-60 min", End: "now"}
	c.ExtendBaseWidget(c)
	return c
}

// SetSeries replaces the data and redraws.
func (c *lineChart) SetSeries(s []chartSeries) {
	c.series = s
	c.Refresh()
}

func (c *lineChart) CreateRenderer() fyne.WidgetRenderer {
	r := &chartRenderer{c: c,
		title: &canvas.Text{TextStyle: fyne.TextStyle{Bold: true}},
		peak:  &canvas.Text{Alignment: fyne.TextAlignTrailing},
		zero:  &canvas.Text{Text: "0", Alignment: fyne.TextAlignTrailing},
		start: &canvas.Text{}, end: &canvas.Text{Alignment: fyne.TextAlignTrailing},
		xAxis: &canvas.Line{StrokeWidth: 1}, yAxis: &canvas.Line{StrokeWidth: 1},
		empty: &canvas.Text{Text: "no data yet", Alignment: fyne.TextAlignCenter}}
	r.Refresh()
	return r
}

// chartRenderer lays the chart out by hand: a left margin for the value
// labels, a top line for the title and legend, a bottom line for the time
// labels, and the plot in between.
type chartRenderer struct {
	c                 *lineChart
	title, peak, zero *canvas.Text
	start, end, empty *canvas.Text
	xAxis, yAxis      *canvas.Line
	lines             []*canvas.Line // segments of every series
	lineSeries        []int          // series index of each segment
	legend            []*canvas.Text
	swatches          []*canvas.Rectangle
	max               float64
	size              fyne.Size
}

const (
	chartLeft   = 84 // room for the value labels
	chartRight  = 8
	chartHeader = 24
	chartFooter = 20
)

func (r *chartRenderer) Destroy() {}

func (r *chartRenderer) MinSize() fyne.Size { return fyne.NewSize(240, 140) }

func (r *chartRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.title, r.xAxis, r.yAxis, r.peak, r.zero, r.start, r.end, r.empty}
	for _, l := range r.lines {
		objs = append(objs, l)
	}
	for i := range r.legend {
		objs = append(objs, r.swatches[i], r.legend[i])
	}
	return objs
}

// Refresh rebuilds the segments from the data and the colours from the theme.
func (r *chartRenderer) Refresh() {
	fg := theme.Color(theme.ColorNameForeground)
	muted := theme.Color(theme.ColorNameDisabled)
	size := theme.CaptionTextSize()
	r.title.Text, r.title.Color, r.title.TextSize = r.c.Title, fg, theme.TextSize()
	r.start.Text, r.end.Text = r.c.Start, r.c.End
	for _, t := range []*canvas.Text{r.peak, r.zero, r.start, r.end, r.empty} {
		t.Color, t.TextSize = muted, size
	}
	r.xAxis.StrokeColor, r.yAxis.StrokeColor = muted, muted
	r.max = 0
	r.lines, r.lineSeries, r.legend, r.swatches = nil, nil, nil, nil
	points := 0
	for i, s := range r.c.series {
		col := chartPalette[i%len(chartPalette)]
		for _, v := range s.Values {
			r.max = max(r.max, v)
		}
		segments := len(s.Values) - 1
		if len(s.Values) == 1 {
			segments = 1 // a lone sample is a short dash at "now"
		}
		for range segments {
			r.lines = append(r.lines, &canvas.Line{StrokeColor: col, StrokeWidth: 2})
			r.lineSeries = append(r.lineSeries, i)
		}
		points += len(s.Values)
		r.swatches = append(r.swatches, &canvas.Rectangle{FillColor: col})
		r.legend = append(r.legend, &canvas.Text{Text: s.Name, Color: fg, TextSize: size})
	}
	r.peak.Text = formatValue(r.max) + " " + r.c.Unit
	if r.c.Format != nil {
		r.peak.Text = r.c.Format(r.max)
	}
	if points == 0 {
		r.empty.Show()
	} else {
		r.empty.Hide()
	}
	r.Layout(r.size)
	canvas.Refresh(r.c)
}

// Layout places the axes, labels and segments for size.
func (r *chartRenderer) Layout(size fyne.Size) {
	r.size = size
	plotW := size.Width - chartLeft - chartRight
	plotH := size.Height - chartHeader - chartFooter
	bottom := chartHeader + plotH
	for _, t := range append([]*canvas.Text{r.title, r.start}, r.legend...) {
		t.Resize(t.MinSize())
	}
	r.title.Move(fyne.NewPos(0, 0))
	r.xAxis.Position1, r.xAxis.Position2 = fyne.NewPos(chartLeft, bottom), fyne.NewPos(chartLeft+plotW, bottom)
	r.yAxis.Position1, r.yAxis.Position2 = fyne.NewPos(chartLeft, chartHeader), fyne.NewPos(chartLeft, bottom)
	labelW := float32(chartLeft - 4)
	r.peak.Resize(fyne.NewSize(labelW, 14))
	r.peak.Move(fyne.NewPos(0, chartHeader))
	r.zero.Resize(fyne.NewSize(labelW, 14))
	r.zero.Move(fyne.NewPos(0, bottom-14))
	r.start.Move(fyne.NewPos(chartLeft, bottom+2))
	r.end.Resize(fyne.NewSize(80, 14))
	r.end.Move(fyne.NewPos(chartLeft+plotW-80, bottom+2))
	r.empty.Resize(fyne.NewSize(plotW, 14))
	r.empty.Move(fyne.NewPos(chartLeft, chartHeader+plotH/2-7))
	// The legend runs right-aligned on the title line.
	x := size.Width - chartRight
	for i := len(r.legend) - 1; i >= 0; i-- {
		w := fyne.MeasureText(r.legend[i].Text, r.legend[i].TextSize, r.legend[i].TextStyle).Width
		x -= w
		r.legend[i].Move(fyne.NewPos(x, 4))
		x -= 12
		r.swatches[i].Resize(fyne.NewSize(8, 8))
		r.swatches[i].Move(fyne.NewPos(x, 8))
		x -= 8
	}
	r.layoutLines(plotW, plotH)
}

// layoutLines places each series' segments; every series spans the whole
// width, so series of different lengths still end at "now".
func (r *chartRenderer) layoutLines(plotW, plotH float32) {
	scale := r.max
	if scale <= 0 {
		scale = 1
	}
	k := 0
	for _, s := range r.c.series {
		n := len(s.Values)
		if n == 1 {
			l := r.lines[k]
			l.Position1 = fyne.NewPos(chartLeft+plotW-6, chartHeader+plotH-float32(s.Values[0]/scale)*plotH)
			l.Position2 = fyne.NewPos(chartLeft+plotW, l.Position1.Y)
			k++
			continue
		}
		step := plotW / float32(max(n-1, 1))
		y := func(v float64) float32 { return chartHeader + plotH - float32(v/scale)*plotH }
		for j := 1; j < n; j++ {
			l := r.lines[k]
			l.Position1 = fyne.NewPos(chartLeft+float32(j-1)*step, y(s.Values[j-1]))
			l.Position2 = fyne.NewPos(chartLeft+float32(j)*step, y(s.Values[j]))
			k++
		}
	}
}

// formatValue shortens a number for an axis: 1234 → 1.2k, 2500000 → 2.5M.
func formatValue(v float64) string {
	switch {
	case v >= 1e6:
		return strconv.FormatFloat(v/1e6, 'f', 1, 64) + "M"
	case v >= 1e4:
		return strconv.FormatFloat(v/1e3, 'f', 0, 64) + "k"
	case v >= 1e3:
		return strconv.FormatFloat(v/1e3, 'f', 1, 64) + "k"
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}
