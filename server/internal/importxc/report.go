package importxc

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Entities in report order.
var entities = []string{"streamers", "categories", "channels", "vod", "series", "seasons", "episodes",
	"packages", "package_channels", "package_vod", "package_series", "resellers", "subscribers", "subscriber_packages",
	"devices", "offers", "reseller_packages", "reseller_rules", "epg_sources", "e2_devices"}

// Report is what an import did, or would do in a dry run.
type Report struct {
	Dialect  Dialect        `json:"dialect"`
	DryRun   bool           `json:"dry_run"`
	Imported map[string]int `json:"imported"`
	// Tables is, per source table read, how many rows were read and what
	// became of them, in the order the tables were read.
	Tables  []TableCount `json:"tables"`
	Skipped []Skip       `json:"skipped,omitempty"`
	// SkippedTables are whole tables not imported, each with the reason.
	SkippedTables []TableSkip `json:"skipped_tables,omitempty"`
	// LocalSources are the streams whose source was a file on an XC
	// server, each with the VOD path it maps to or why none does.
	LocalSources []LocalSource `json:"local_sources,omitempty"`
	Notes        []string      `json:"notes,omitempty"`
	Duration     time.Duration `json:"duration_ns"`
}

// Skip is a source row that was not imported, and why.
type Skip struct {
	Table  string `json:"table"`
	ID     int64  `json:"id"`
	Reason string `json:"reason"`
}

// TableCount is what became of one source table's rows. A lookup table
// (groups, stream types, line outputs) is read for the settings it gives
// other rows; its rows are not imported as such.
type TableCount struct {
	Table    string `json:"table"`
	Read     int    `json:"read"`
	Imported int    `json:"imported"`
	Skipped  int    `json:"skipped"`
	Lookup   bool   `json:"lookup,omitempty"`
}

// TableSkip is a source table left out as a whole.
type TableSkip struct {
	Table  string `json:"table"`
	Rows   int    `json:"rows"`
	Reason string `json:"reason"`
}

func (r *Report) skipTable(table string, rows int, reason string) {
	r.SkippedTables = append(r.SkippedTables, TableSkip{Table: table, Rows: rows, Reason: reason})
}

// countTables fills Tables from the rows read and the rows skipped.
func (r *Report) countTables(order []string, read map[string]int, lookup map[string]bool) {
	skipped := map[string]int{}
	for _, s := range r.Skipped {
		skipped[s.Table]++
	}
	r.Tables = r.Tables[:0]
	for _, t := range order {
		c := TableCount{Table: t, Read: read[t], Skipped: skipped[t], Lookup: lookup[t]}
		if !c.Lookup {
			c.Imported = c.Read - c.Skipped
		}
		r.Tables = append(r.Tables, c)
	}
}

func newReport() *Report { return &Report{Imported: map[string]int{}} }

func (r *Report) skip(table string, id int64, reason string) {
	r.Skipped = append(r.Skipped, Skip{Table: table, ID: id, Reason: reason})
}

func (r *Report) note(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

// maxListedIDs bounds the ids printed per skip reason: a reason shared by
// 10,000 series episodes is one line, not 10,000.
const maxListedIDs = 10

// Write prints the report for a terminal: counts, then skipped rows grouped
// by table and reason, then notes.
func (r *Report) Write(w io.Writer) {
	verb := "imported"
	if r.DryRun {
		verb = "would import (dry run, nothing written)"
	}
	fmt.Fprintf(w, "XC import (%s dialect), %s in %s:\n", r.Dialect, verb, r.Duration.Round(time.Millisecond))
	for _, e := range entities {
		fmt.Fprintf(w, "  %-20s %d\n", e, r.Imported[e])
	}
	if len(r.Tables) > 0 {
		fmt.Fprintf(w, "Source tables:\n  %-20s %8s %8s %8s\n", "table", "read", "imported", "skipped")
	}
	for _, t := range r.Tables {
		if t.Lookup {
			fmt.Fprintf(w, "  %-20s %8d %8s %8s  (settings of other rows)\n", t.Table, t.Read, "-", "-")
			continue
		}
		fmt.Fprintf(w, "  %-20s %8d %8d %8d\n", t.Table, t.Read, t.Imported, t.Skipped)
	}
	if len(r.SkippedTables) > 0 {
		fmt.Fprintln(w, "Tables not imported:")
	}
	for _, t := range r.SkippedTables {
		fmt.Fprintf(w, "  %s: %d rows, %s\n", t.Table, t.Rows, t.Reason)
	}
	type key struct{ table, reason string }
	var order []key
	groups := map[key][]int64{}
	for _, s := range r.Skipped {
		k := key{s.Table, s.Reason}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], s.ID)
	}
	if len(order) > 0 {
		fmt.Fprintf(w, "Skipped %d rows:\n", len(r.Skipped))
	}
	for _, k := range order {
		ids := groups[k]
		var list []string
		for _, id := range ids[:min(len(ids), maxListedIDs)] {
			list = append(list, fmt.Sprint(id))
		}
		more := ""
		if len(ids) > maxListedIDs {
			more = fmt.Sprintf(" and %d more", len(ids)-maxListedIDs)
		}
		fmt.Fprintf(w, "  %s: %d (%s): ids %s%s\n", k.table, len(ids), k.reason, strings.Join(list, ", "), more)
	}
	if len(r.LocalSources) > 0 {
		fmt.Fprintf(w, "Sources that are files on the XC servers (%d):\n", len(r.LocalSources))
	}
	for _, l := range r.LocalSources {
		if l.StreamName != "" {
			fmt.Fprintf(w, "  %s %d: %s → VOD path %s\n", l.Table, l.ID, l.Source, l.StreamName)
			continue
		}
		fmt.Fprintf(w, "  %s %d: %s: %s\n", l.Table, l.ID, l.Source, l.Reason)
	}
	if len(r.Notes) > 0 {
		fmt.Fprintln(w, "Notes:")
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "  - %s\n", n)
	}
}
