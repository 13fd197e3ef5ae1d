package ui

import (
	"strconv"

	"canale/shared/api"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// dashboardData is everything the dashboard shows, loaded in one go.
type dashboardData struct {
	Fleet     api.FleetStatus
	History   []api.StreamerHistory // of Fleet.Streamers, same order
	Channel   string                // the channel charted below
	ChannelH  api.ChannelHistory
	LoadError error
}

// dashboardScreen sums up the fleet: health counts, viewers, bandwidth and
// open alerts, and charts the last hour per streamer and for one channel.
type dashboardScreen struct {
	w    *Window
	data dashboardData

	streamers, channels, viewers, bwIn, bwOut, alerts *widget.Label
	down                                              *widget.Label // names the streamers down
	info                                              *widget.Label
	alertsCard                                        *tapCard
	pick                                              *widget.Select
	viewersChart, outChart                            *lineChart
	chViewersChart, chRateChart                       *lineChart

	loading, again bool
}

func newDashboardScreen(w *Window) *dashboardScreen {
	big := func() *widget.Label {
		return &widget.Label{Text: "–", TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}
	}
	s := &dashboardScreen{w: w, streamers: big(), channels: big(), viewers: big(), bwIn: big(), bwOut: big(),
		alerts: big(), info: &widget.Label{Importance: widget.DangerImportance, Truncation: fyne.TextTruncateEllipsis},
		down:           &widget.Label{Importance: widget.DangerImportance, Truncation: fyne.TextTruncateEllipsis},
		viewersChart:   newLineChart("Viewers by streamer", "viewers"),
		outChart:       newKbpsChart("Output by streamer"),
		chViewersChart: newLineChart("Channel viewers", "viewers"),
		chRateChart:    newKbpsChart("Channel bitrate")}
	s.down.Hide()
	s.pick = &widget.Select{PlaceHolder: "channel to chart", OnChanged: s.onPick}
	s.load()
	w.every(s.load)
	return s
}

func (s *dashboardScreen) buildUI() fyne.CanvasObject {
	s.alertsCard = newTapCard(dashboardCard("Open alerts", s.alerts), s.w.showAlerts)
	cards := container.NewGridWithColumns(6, dashboardCard("Streamers", s.streamers, s.down),
		dashboardCard("Channels", s.channels), dashboardCard("Viewers now", s.viewers),
		dashboardCard("Bandwidth in", s.bwIn), dashboardCard("Bandwidth out", s.bwOut), s.alertsCard)
	refresh := &widget.Button{Text: "Refresh", Icon: theme.ViewRefreshIcon(), OnTapped: s.load}
	bar := container.NewBorder(nil, nil, nil, container.NewHBox(&widget.Label{Text: "Channel:"}, s.pick, refresh), s.info)
	charts := container.NewGridWithRows(2,
		container.NewGridWithColumns(2, s.viewersChart, s.outChart),
		container.NewGridWithColumns(2, s.chViewersChart, s.chRateChart))
	return container.NewBorder(container.NewVBox(cards, bar), nil, nil, nil, charts)
}

// load fetches the fleet and the histories; a load asked for while one is
// running runs once after it, so a burst of events costs two loads.
func (s *dashboardScreen) load() {
	if s.loading {
		s.again = true
		return
	}
	c := s.w.sess.API()
	if c == nil {
		return
	}
	s.loading = true
	channel := s.data.Channel
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		var d dashboardData
		d.Fleet, d.LoadError = c.Fleet(ctx)
		if d.LoadError != nil {
			return func() { s.loaded(d) }
		}
		for _, st := range d.Fleet.Streamers {
			h, err := c.StreamerHistory(ctx, st.ID)
			if err != nil {
				h = api.StreamerHistory{StreamerID: st.ID}
			}
			d.History = append(d.History, h)
		}
		d.Channel = channel
		if d.Channel == "" && len(d.Fleet.Channels) > 0 {
			d.Channel = d.Fleet.Channels[0].Channel
		}
		if d.Channel != "" {
			d.ChannelH, _ = c.ChannelHistory(ctx, d.Channel) // not reported yet: an empty chart
		}
		return func() { s.loaded(d) }
	})
}

func (s *dashboardScreen) loaded(d dashboardData) {
	s.loading = false
	if d.LoadError != nil {
		s.info.SetText(message(d.LoadError))
	} else {
		s.show(d)
	}
	if s.again {
		s.again = false
		s.load()
	}
}

// show puts a data set on screen; the golden test calls it with fixed data.
func (s *dashboardScreen) show(d dashboardData) {
	s.data = d
	s.info.SetText(d.Fleet.LoadError)
	x := newFleetIndex(d.Fleet)
	var up, down int
	var viewers, in, out int64
	for _, st := range d.Fleet.Streamers {
		switch st.Health {
		case api.HealthUp:
			up++
		case api.HealthDown:
			down++
		}
		viewers += st.Clients
		in += st.InputKbps
		out += st.OutputKbps
	}
	var alive, dead int
	var names []string
	for _, c := range d.Fleet.Channels {
		names = append(names, c.Channel)
		switch x.channelHealth(c.Channel) {
		case channelAlive:
			alive++
		case channelDead:
			dead++
		}
	}
	s.streamers.SetText(strconv.Itoa(up) + " up, " + strconv.Itoa(down) + " down")
	s.showDown(d.Fleet)
	s.channels.SetText(strconv.Itoa(alive) + " alive, " + strconv.Itoa(dead) + " dead")
	s.viewers.SetText(strconv.FormatInt(viewers, 10))
	s.bwIn.SetText(formatKbps(in))
	s.bwOut.SetText(formatKbps(out))
	s.setOpenAlerts(s.w.openAlerts())
	s.pick.OnChanged = nil
	s.pick.SetOptions(names)
	s.pick.SetSelected(d.Channel)
	s.pick.OnChanged = s.onPick
	s.showCharts(d)
}

func (s *dashboardScreen) showCharts(d dashboardData) {
	var viewers, out []chartSeries
	for i, h := range d.History {
		v, o := chartSeries{Name: d.Fleet.Streamers[i].Name}, chartSeries{Name: d.Fleet.Streamers[i].Name}
		for _, p := range h.Samples {
			v.Times, v.Values = append(v.Times, p.At), append(v.Values, float64(p.Clients))
			o.Times, o.Values = append(o.Times, p.At), append(o.Values, float64(p.OutputKbps))
		}
		viewers, out = append(viewers, v), append(out, o)
	}
	s.viewersChart.SetSeries(viewers)
	s.outChart.SetSeries(out)
	var chViewers, chRate []chartSeries
	for _, h := range d.ChannelH.Streamers {
		name := newFleetIndex(d.Fleet).streamerName(h.StreamerID)
		v, r := chartSeries{Name: name}, chartSeries{Name: name}
		for _, p := range h.Samples {
			v.Times, v.Values = append(v.Times, p.At), append(v.Values, float64(p.Clients))
			r.Times, r.Values = append(r.Times, p.At), append(r.Values, float64(p.InputKbps))
		}
		chViewers, chRate = append(chViewers, v), append(chRate, r)
	}
	s.chViewersChart.Title = "Viewers of " + d.Channel
	s.chRateChart.Title = "Input bitrate of " + d.Channel
	if d.Channel == "" {
		s.chViewersChart.Title, s.chRateChart.Title = "Channel viewers", "Channel bitrate"
	}
	s.chViewersChart.SetSeries(chViewers)
	s.chRateChart.SetSeries(chRate)
}

func (s *dashboardScreen) setOpenAlerts(n int) {
	s.alerts.Importance = widget.MediumImportance
	if n > 0 {
		s.alerts.Importance = widget.WarningImportance
	}
	s.alerts.SetText(strconv.Itoa(n))
}

func (s *dashboardScreen) onPick(name string) {
	s.data.Channel = name
	s.load()
}

// onEvent reloads on fleet transitions.
func (s *dashboardScreen) onEvent(e api.Event) {
	if isFleetEvent(e.Type) {
		s.load()
	}
}

func (s *dashboardScreen) resync() { s.load() }

// newKbpsChart is a chart of bitrates, its peak in the unit a person reads best.
func newKbpsChart(title string) *lineChart {
	c := newLineChart(title, "")
	c.Format = func(v float64) string { return formatKbps(int64(v)) }
	return c
}
