package m3uimport

import (
	"sort"
	"strconv"

	"canale/shared/api"
)

// Prepare gives derived names their final, unique form, and moves entries
// that cannot become channels (invalid fields, a given name used twice) to
// the errors, in line order with those of Parse. The same file always yields
// the same names, so importing it again updates the same channels.
func Prepare(entries []Entry, bad []api.ImportLine) ([]Entry, []api.ImportLine) {
	given := map[string]int{}
	for _, e := range entries {
		if !e.Derived {
			if _, ok := given[e.Channel.Name]; !ok {
				given[e.Channel.Name] = e.Line
			}
		}
	}
	taken := map[string]bool{}
	for n := range given {
		taken[n] = true
	}
	var ok []Entry
	for _, e := range entries {
		if e.Derived {
			e.Channel.Name = Unique(e.Channel.Name, e.Line, taken)
		} else if first := given[e.Channel.Name]; first != e.Line {
			bad = append(bad, api.ImportLine{Line: e.Line, Name: e.Channel.Name,
				Reason: "stream name already used on line " + strconv.Itoa(first)})
			continue
		}
		if err := e.Channel.Validate(); err != nil {
			bad = append(bad, api.ImportLine{Line: e.Line, Name: e.Channel.Name, Reason: err.Error()})
			continue
		}
		ok = append(ok, e)
	}
	sortLines(bad)
	return ok, bad
}

func sortLines(l []api.ImportLine) {
	sort.SliceStable(l, func(i, j int) bool { return l[i].Line < l[j].Line })
}
