package epg

import (
	"fmt"
	"strconv"
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

// channel converts x, or returns why it cannot be used. Texts past their
// caps are cut and named in c.
func (x *xmlChannel) channel(c *cutter) (Channel, string) {
	ch := Channel{ID: strings.TrimSpace(x.ID)}
	if msg := checkID("channel", ch.ID); msg != "" {
		return Channel{}, msg
	}
	for _, n := range x.DisplayNames {
		if t := strings.TrimSpace(n.Text); t != "" {
			ch.DisplayNames = appendCapped(c, "display-name", ch.DisplayNames, c.clip("display-name", t, maxTextBytes))
		}
	}
	ch.IconURL = c.clip("icon", firstIcon(x.Icons), maxURLBytes)
	return ch, ""
}

// checkID says why id cannot name a channel, or "".
func checkID(what, id string) string {
	switch {
	case id == "":
		return what + " without id"
	case len(id) > maxIDBytes:
		return fmt.Sprintf("%s id of %d bytes is longer than %d", what, len(id), maxIDBytes)
	}
	return ""
}

// appendCapped appends v to list unless it holds maxRepeated already.
func appendCapped[T any](c *cutter, field string, list []T, v T) []T {
	if len(list) >= maxRepeated {
		c.note(field + " (more than " + strconv.Itoa(maxRepeated) + ")")
		return list
	}
	return append(list, v)
}

// programme converts x, or returns why it cannot be used: a programme needs a channel, a
// valid start and a title, and a stop, when given, must be valid and after the start.
// Texts past their caps are cut and named in c.
func (x *xmlProgramme) programme(c *cutter) (Programme, string) {
	p := Programme{Channel: strings.TrimSpace(x.Channel)}
	if p.Channel == "" {
		return Programme{}, "programme without channel"
	}
	if msg := checkID("programme channel", p.Channel); msg != "" {
		return Programme{}, msg
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
	p.Title = c.clip("title", p.Title, maxTextBytes)
	p.Lang = c.clip("lang", p.Lang, maxTextBytes)
	p.SubTitle, _ = firstText(x.SubTitles)
	p.SubTitle = c.clip("sub-title", p.SubTitle, maxTextBytes)
	p.Desc, _ = firstText(x.Descs)
	p.Desc = c.clip("desc", p.Desc, maxDescBytes)
	for _, cat := range x.Categories {
		if t := strings.TrimSpace(cat.Text); t != "" {
			p.Categories = appendCapped(c, "category", p.Categories, c.clip("category", t, maxTextBytes))
		}
	}
	for _, e := range x.EpisodeNums {
		system := e.System
		if system == "" {
			system = "onscreen" // the DTD default
		}
		n := EpisodeNum{System: c.clip("episode-num", system, maxTextBytes),
			Value: c.clip("episode-num", strings.TrimSpace(e.Value), maxTextBytes)}
		p.EpisodeNums = appendCapped(c, "episode-num", p.EpisodeNums, n)
	}
	p.IconURL = c.clip("icon", firstIcon(x.Icons), maxURLBytes)
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
