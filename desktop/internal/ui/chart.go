package ui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// chartSeries is one line of a chart: values at times, oldest first. A
// series without times spreads its values evenly over the chart's span.
type chartSeries struct {
	Name   string
	Times  []time.Time
	Values []float64
}

// chartPalette colours series in order; it is readable on light and dark
// themes.
var chartPalette = []color.NRGBA{
	{R: 0x21, G: 0x96, B: 0xf3, A: 0xff}, {R: 0xff, G: 0x98, B: 0x00, A: 0xff},
	{R: 0x4c, G: 0xaf, B: 0x50, A: 0xff}, {R: 0x9c, G: 0x27, B: 0xb0, A: 0xff},
	{R: 0xf4, G: 0x43, B: 0x36, A: 0xff}, {R: 0x00, G: 0x96, B: 0x88, A: 0xff},
}

// lineChart draws series as lines over a time axis that spans the data,
// with labelled ticks and gridlines on both axes, a legend, and the values
// at the pointer's time while the mouse is over it. Stock widgets have no
// chart, so it extends the base widget with its own renderer.
type lineChart struct {
	widget.BaseWidget
	Title string
	Unit  string // after each value, e.g. "viewers"
	// Format, when set, writes a value instead of number and Unit.
	Format func(float64) string
	// Now is the clock, for the span of a chart without data.
	Now    func() time.Time
	series []chartSeries
	hover  float32 // x of the pointer over the plot; < 0 when away
}

func newLineChart(title, unit string) *lineChart {
	c := &lineChart{Title: title, Unit: unit, Now: time.Now, hover: -1}
	c.ExtendBaseWidget(c)
	return c
}

// SetSeries replaces the data and redraws.
func (c *lineChart) SetSeries(s []chartSeries) {
	c.series = s
	c.Refresh()
}

// format writes a value with its unit.
func (c *lineChart) format(v float64) string {
	if c.Format != nil {
		return c.Format(v)
	}
	s := formatValue(v)
	if c.Unit != "" {
		s += " " + c.Unit
	}
	return s
}

// chartMinSpan is the least time a chart spans, ending at its last sample.
const chartMinSpan = 10 * time.Minute

// span is the time the x axis covers: from the first sample to the last,
// and at least chartMinSpan up to the last (or now, with no samples).
func (c *lineChart) span() (from, to time.Time) {
	for _, s := range c.series {
		for _, t := range s.Times {
			if t.IsZero() {
				continue // an unset time is no sample's
			}
			if from.IsZero() || t.Before(from) {
				from = t
			}
			if t.After(to) {
				to = t
			}
		}
	}
	if from.IsZero() {
		to = c.Now()
	}
	// Samples of the last few minutes (or polls a millisecond apart) would
	// stretch over the whole width with no tick between them.
	if to.Sub(from) < chartMinSpan {
		from = to.Add(-chartMinSpan)
	}
	return from, to
}

func (c *lineChart) MouseIn(e *desktop.MouseEvent)    { c.MouseMoved(e) }
func (c *lineChart) MouseMoved(e *desktop.MouseEvent) { c.hover = e.Position.X; c.Refresh() }
func (c *lineChart) MouseOut()                        { c.hover = -1; c.Refresh() }

func (c *lineChart) CreateRenderer() fyne.WidgetRenderer {
	r := &chartRenderer{c: c,
		title:  &canvas.Text{TextStyle: fyne.TextStyle{Bold: true}},
		xAxis:  &canvas.Line{StrokeWidth: 1},
		yAxis:  &canvas.Line{StrokeWidth: 1},
		empty:  &canvas.Text{Text: "no data yet", Alignment: fyne.TextAlignCenter},
		cursor: &canvas.Line{StrokeWidth: 1},
		tipBox: &canvas.Rectangle{CornerRadius: 4, StrokeWidth: 1},
	}
	r.Refresh()
	return r
}

// chartRenderer lays the chart out by hand: a left margin as wide as the
// longest value label, two top lines for the title and legend, a bottom line
// for the time labels, and the plot in between.
type chartRenderer struct {
	c            *lineChart
	title, empty *canvas.Text
	xAxis, yAxis *canvas.Line
	xGrid, yGrid []*canvas.Line
	xLabels      []*canvas.Text
	yLabels      []*canvas.Text
	xTicks       []time.Time
	yTicks       []float64
	lines        []*canvas.Line // segments of every series
	legend       []*canvas.Text
	swatches     []*canvas.Rectangle
	cursor       *canvas.Line
	tipBox       *canvas.Rectangle
	tip          []*canvas.Text // the time, then one line per series
	top          float64        // the value at the top of the plot
	from, to     time.Time
	left         float32
	size         fyne.Size
	textSize     float32
}

const (
	chartRight  = 12
	chartHeader = 44 // title and legend lines
	chartFooter = 20
	chartXTicks = 6 // at most, on a wide chart
	chartYTicks = 4
)

func (r *chartRenderer) Destroy() {}

func (r *chartRenderer) MinSize() fyne.Size { return fyne.NewSize(260, 160) }

func (r *chartRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.title}
	for _, l := range append(r.xGrid, r.yGrid...) {
		objs = append(objs, l)
	}
	objs = append(objs, r.xAxis, r.yAxis, r.empty)
	for _, t := range append(r.xLabels, r.yLabels...) {
		objs = append(objs, t)
	}
	for _, l := range r.lines {
		objs = append(objs, l)
	}
	for i := range r.legend {
		objs = append(objs, r.swatches[i], r.legend[i])
	}
	objs = append(objs, r.cursor, r.tipBox)
	for _, t := range r.tip {
		objs = append(objs, t)
	}
	return objs
}

// Refresh rebuilds the axes, segments and tooltip from the data and the
// colours from the theme.
func (r *chartRenderer) Refresh() {
	fg := theme.Color(theme.ColorNameForeground)
	muted := theme.Color(theme.ColorNamePlaceHolder)
	grid := theme.Color(theme.ColorNameSeparator)
	r.textSize = theme.CaptionTextSize()
	r.title.Text, r.title.Color, r.title.TextSize = r.c.Title, fg, theme.TextSize()
	r.empty.Color, r.empty.TextSize = muted, r.textSize
	r.xAxis.StrokeColor, r.yAxis.StrokeColor = muted, muted

	var peak float64
	points := 0
	r.lines, r.legend, r.swatches = nil, nil, nil
	for i, s := range r.c.series {
		col := chartPalette[i%len(chartPalette)]
		for _, v := range s.Values {
			peak = max(peak, v)
		}
		for range max(len(s.Values)-1, min(len(s.Values), 1)) { // a lone sample is a short dash
			r.lines = append(r.lines, &canvas.Line{StrokeColor: col, StrokeWidth: 2})
		}
		points += len(s.Values)
		r.swatches = append(r.swatches, &canvas.Rectangle{FillColor: col})
		r.legend = append(r.legend, &canvas.Text{Text: s.Name, Color: fg, TextSize: r.textSize})
	}
	r.empty.Hidden = points > 0

	r.yTicks = valueTicks(peak, chartYTicks, r.c.Format == nil && r.c.Unit != "")
	r.top = r.yTicks[len(r.yTicks)-1]
	r.yLabels, r.yGrid = nil, nil
	r.left = 0
	for _, v := range r.yTicks {
		t := &canvas.Text{Text: r.c.format(v), Color: muted, TextSize: r.textSize, Alignment: fyne.TextAlignTrailing}
		r.left = max(r.left, t.MinSize().Width)
		r.yLabels = append(r.yLabels, t)
		r.yGrid = append(r.yGrid, &canvas.Line{StrokeColor: grid, StrokeWidth: 1})
	}
	r.left += 8

	r.from, r.to = r.c.span()
	r.xTicks = timeTicks(r.from, r.to, chartXTicks)
	r.xLabels, r.xGrid = nil, nil
	for _, t := range r.xTicks {
		r.xLabels = append(r.xLabels, &canvas.Text{Text: tickLabel(t, r.xTicks), Color: muted, TextSize: r.textSize, Alignment: fyne.TextAlignCenter})
		r.xGrid = append(r.xGrid, &canvas.Line{StrokeColor: grid, StrokeWidth: 1})
	}

	r.cursor.StrokeColor = muted
	r.tipBox.FillColor = theme.Color(theme.ColorNameOverlayBackground)
	r.tipBox.StrokeColor = muted
	r.tip = nil
	for _, line := range r.tooltip() {
		r.tip = append(r.tip, &canvas.Text{Text: line, Color: fg, TextSize: r.textSize})
	}
	r.Layout(r.size)
	canvas.Refresh(r.c)
}

// plot is the rectangle the data is drawn in, for the current size.
func (r *chartRenderer) plot() (x0, y0, w, h float32) {
	return r.left, chartHeader, max(r.size.Width-r.left-chartRight, 1), max(r.size.Height-chartHeader-chartFooter, 1)
}

// xOf places a time on the plot.
func (r *chartRenderer) xOf(t time.Time) float32 {
	x0, _, w, _ := r.plot()
	span := r.to.Sub(r.from)
	if span <= 0 {
		return x0 + w
	}
	return x0 + w*float32(float64(t.Sub(r.from))/float64(span))
}

// yOf places a value on the plot.
func (r *chartRenderer) yOf(v float64) float32 {
	_, y0, _, h := r.plot()
	top := r.top
	if top <= 0 {
		top = 1
	}
	return y0 + h - float32(v/top)*h
}

// timeAt is the time i of s is drawn at.
func (r *chartRenderer) timeAt(s chartSeries, i int) time.Time {
	if len(s.Times) == len(s.Values) {
		return s.Times[i]
	}
	if len(s.Values) < 2 {
		return r.to
	}
	return r.from.Add(time.Duration(float64(r.to.Sub(r.from)) * float64(i) / float64(len(s.Values)-1)))
}

// tooltip is what the pointer shows: the time under it and each series'
// value nearest to it, if one is near. It is empty while the pointer is
// away or over a time without data.
func (r *chartRenderer) tooltip() []string {
	x0, _, w, _ := r.plot()
	if r.c.hover < x0 || r.c.hover > x0+w || len(r.c.series) == 0 {
		return nil
	}
	at := r.from.Add(time.Duration(float64(r.to.Sub(r.from)) * float64((r.c.hover-x0)/w)))
	lines := []string{at.Local().Format("15:04:05")}
	for _, s := range r.c.series {
		best := -1
		for i := range s.Values {
			if best < 0 || absDuration(r.timeAt(s, i).Sub(at)) < absDuration(r.timeAt(s, best).Sub(at)) {
				best = i
			}
		}
		// A sample far from the pointer is not its value: the pointer is
		// over a time with no data for this series.
		if best >= 0 && absDuration(r.timeAt(s, best).Sub(at)) <= r.to.Sub(r.from)/20 {
			lines = append(lines, s.Name+": "+r.c.format(s.Values[best]))
		}
	}
	if len(lines) == 1 {
		return nil
	}
	return lines
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// Layout places the axes, grid, labels, segments and tooltip for size.
func (r *chartRenderer) Layout(size fyne.Size) {
	r.size = size
	x0, y0, w, h := r.plot()
	bottom := y0 + h
	lh := r.textSize + 4 // a caption line
	r.title.Resize(r.title.MinSize())
	r.title.Move(fyne.NewPos(0, 0))
	r.xAxis.Position1, r.xAxis.Position2 = fyne.NewPos(x0, bottom), fyne.NewPos(x0+w, bottom)
	r.yAxis.Position1, r.yAxis.Position2 = fyne.NewPos(x0, y0), fyne.NewPos(x0, bottom)
	for i, v := range r.yTicks {
		y := r.yOf(v)
		r.yGrid[i].Position1, r.yGrid[i].Position2 = fyne.NewPos(x0, y), fyne.NewPos(x0+w, y)
		r.yLabels[i].Resize(fyne.NewSize(r.left-6, lh))
		r.yLabels[i].Move(fyne.NewPos(0, y-lh/2))
	}
	for i, t := range r.xTicks {
		x := r.xOf(t)
		r.xGrid[i].Position1, r.xGrid[i].Position2 = fyne.NewPos(x, y0), fyne.NewPos(x, bottom)
		lw := r.xLabels[i].MinSize().Width
		r.xLabels[i].Resize(fyne.NewSize(lw, lh))
		r.xLabels[i].Move(fyne.NewPos(min(max(x-lw/2, x0), x0+w-lw), bottom+2))
	}
	r.empty.Resize(fyne.NewSize(w, lh))
	r.empty.Move(fyne.NewPos(x0, y0+h/2-lh/2))
	// The legend runs on the second line, from the left, as far as it fits.
	x := x0
	for i, t := range r.legend {
		tw := t.MinSize().Width
		r.swatches[i].Resize(fyne.NewSize(8, 8))
		r.swatches[i].Move(fyne.NewPos(x, 22+lh/2-4))
		t.Resize(fyne.NewSize(tw, lh))
		t.Move(fyne.NewPos(x+12, 22))
		x += 12 + tw + 14
	}
	r.layoutLines()
	r.layoutTooltip(x0, y0, w, h, lh)
}

// layoutLines places each series' segments at their times.
func (r *chartRenderer) layoutLines() {
	k := 0
	for _, s := range r.c.series {
		n := len(s.Values)
		if n == 1 {
			x, y := r.xOf(r.timeAt(s, 0)), r.yOf(s.Values[0])
			r.lines[k].Position1, r.lines[k].Position2 = fyne.NewPos(x-6, y), fyne.NewPos(x, y)
			k++
			continue
		}
		for j := 1; j < n; j++ {
			l := r.lines[k]
			l.Position1 = fyne.NewPos(r.xOf(r.timeAt(s, j-1)), r.yOf(s.Values[j-1]))
			l.Position2 = fyne.NewPos(r.xOf(r.timeAt(s, j)), r.yOf(s.Values[j]))
			k++
		}
	}
}

// layoutTooltip draws the cursor line and the box of values beside it,
// flipped to the cursor's left near the right edge.
func (r *chartRenderer) layoutTooltip(x0, y0, w, h, lh float32) {
	show := len(r.tip) > 0
	r.cursor.Hidden, r.tipBox.Hidden = !show, !show
	if !show {
		return
	}
	x := r.c.hover
	r.cursor.Position1, r.cursor.Position2 = fyne.NewPos(x, y0), fyne.NewPos(x, y0+h)
	var tw float32
	for _, t := range r.tip {
		tw = max(tw, t.MinSize().Width)
	}
	boxW, boxH := tw+12, float32(len(r.tip))*lh+8
	bx := x + 8
	if bx+boxW > x0+w {
		bx = x - 8 - boxW
	}
	bx = max(bx, 0)
	r.tipBox.Resize(fyne.NewSize(boxW, boxH))
	r.tipBox.Move(fyne.NewPos(bx, y0+4))
	for i, t := range r.tip {
		t.Resize(fyne.NewSize(tw, lh))
		t.Move(fyne.NewPos(bx+6, y0+8+float32(i)*lh))
	}
}
