package epg

import (
	"strings"
)

// xmlChannel and xmlProgramme mirror the XMLTV elements Canale reads; encoding/xml fills
// one at a time from the token stream.
type xmlChannel struct {
	ID           string    `xml:"id,attr"`
	DisplayNames []xmlText `xml:"display-name"`
	Icons        []xmlIcon `xml:"icon"`
}

type xmlProgramme struct {
	Start       string          `xml:"start,attr"`
	Stop        string          `xml:"stop,attr"`
	Channel     string          `xml:"channel,attr"`
	Titles      []xmlText       `xml:"title"`
	SubTitles   []xmlText       `xml:"sub-title"`
	Descs       []xmlText       `xml:"desc"`
	Categories  []xmlText       `xml:"category"`
	EpisodeNums []xmlEpisodeNum `xml:"episode-num"`
	Icons       []xmlIcon       `xml:"icon"`
}

type xmlText struct {
	Lang string `xml:"lang,attr"`
	Text string `xml:",chardata"`
}

type xmlIcon struct {
	Src string `xml:"src,attr"`
}

type xmlEpisodeNum struct {
	System string `xml:"system,attr"`
	Value  string `xml:",chardata"`
}

// channel converts x, or returns why it cannot be used.
func (x *xmlChannel) channel() (Channel, string) {
	ch := Channel{ID: strings.TrimSpace(x.ID)}
	if ch.ID == "" {
		return Channel{}, "channel without id"
	}
	for _, n := range x.DisplayNames {
		if t := strings.TrimSpace(n.Text); t != "" {
			ch.DisplayNames = append(ch.DisplayNames, t)
		}
	}
	ch.IconURL = firstIcon(x.Icons)
	return ch, ""
}

// programme converts x, or returns why it cannot be used: a programme needs a channel, a
// valid start and a title, and a stop, when given, must be valid and after the start.
func (x *xmlProgramme) programme() (Programme, string) {
	p := Programme{Channel: strings.TrimSpace(x.Channel)}
	if p.Channel == "" {
		return Programme{}, "programme without channel"
	}
	var err error
	if p.Start, err = ParseTime(x.Start); err != nil {
		return Programme{}, "programme of " + p.Channel + ": start: " + err.Error()
	}
	if strings.TrimSpace(x.Stop) != "" {
		if p.Stop, err = ParseTime(x.Stop); err != nil {
			return Programme{}, "programme of " + p.Channel + ": stop: " + err.Error()
		}
		if !p.Stop.After(p.Start) {
			return Programme{}, "programme of " + p.Channel + " at " + x.Start + ": stop is not after start"
		}
	}
	p.Title, p.Lang = firstText(x.Titles)
	if p.Title == "" {
		return Programme{}, "programme of " + p.Channel + " at " + x.Start + " without title"
	}
	p.SubTitle, _ = firstText(x.SubTitles)
	p.Desc, _ = firstText(x.Descs)
	for _, c := range x.Categories {
		if t := strings.TrimSpace(c.Text); t != "" {
			p.Categories = append(p.Categories, t)
		}
	}
	for _, e := range x.EpisodeNums {
		system := e.System
		if system == "" {
			system = "onscreen" // the DTD default
		}
		p.EpisodeNums = append(p.EpisodeNums, EpisodeNum{System: system, Value: strings.TrimSpace(e.Value)})
	}
	p.IconURL = firstIcon(x.Icons)
	return p, ""
}

func firstText(ts []xmlText) (text, lang string) {
	for _, t := range ts {
		if s := strings.TrimSpace(t.Text); s != "" {
			return s, t.Lang
		}
	}
	return "", ""
}

func firstIcon(icons []xmlIcon) string {
	for _, i := range icons {
		if s := strings.TrimSpace(i.Src); s != "" {
			return s
		}
	}
	return ""
}
