// Command bench reads `go test -bench` output on standard input and prints
// every figure as a ratio to a baseline measured in the same run, because
// absolute times drift on noisy machines while ratios hold.
//
// A package's baseline is the first benchmark named in baselines that it
// ran; every other benchmark of the package is reported against it. Custom
// metrics (b.ReportMetric) are printed as they are.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// baselines are the reference benchmarks, in order of preference: a no-op
// handler on the same engine, a primary-key lookup, copying the same bytes
// from memory.
var baselines = []string{"BenchmarkNoop", "BenchmarkSubscriberByID", "BenchmarkServeSameBytes", "BenchmarkBaseline"}

type result struct {
	name    string
	nsPerOp float64
	extra   []string // custom metrics, "value unit"
}

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

func main() {
	byPkg, order := parse(os.Stdin)
	if len(order) == 0 {
		fmt.Println("bench: no benchmark results on standard input")
		os.Exit(1)
	}
	fmt.Println("\n== Ratios against a baseline of the same run (time ratio: >1 is slower than the baseline;")
	fmt.Println("   throughput ratio = baseline time / time, the figure the issues' targets use)")
	for _, pkg := range order {
		report(os.Stdout, pkg, byPkg[pkg])
	}
}

func parse(r io.Reader) (map[string][]result, []string) {
	byPkg := map[string][]result{}
	var order []string
	pkg := ""
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "pkg: ") {
			pkg = strings.TrimPrefix(line, "pkg: ")
			continue
		}
		m := benchLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if _, seen := byPkg[pkg]; !seen {
			order = append(order, pkg)
		}
		byPkg[pkg] = append(byPkg[pkg], parseFields(m[1], strings.Fields(m[2])))
	}
	return byPkg, order
}

func parseFields(name string, f []string) result {
	r := result{name: name}
	for i := 0; i+1 < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			continue
		}
		switch unit := f[i+1]; unit {
		case "ns/op":
			r.nsPerOp = v
		case "B/op", "allocs/op", "MB/s":
		default:
			r.extra = append(r.extra, f[i]+" "+unit)
		}
	}
	return r
}

func report(w io.Writer, pkg string, rs []result) {
	fmt.Fprintf(w, "\n%s\n", pkg)
	base := findBaseline(rs)
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].name < rs[j].name })
	for _, r := range rs {
		line := fmt.Sprintf("  %-44s %12.0f ns/op", strings.TrimPrefix(r.name, "Benchmark"), r.nsPerOp)
		switch {
		case base == nil:
			line += "   (no baseline in this package)"
		case r.name == base.name:
			line += "   baseline"
		case r.nsPerOp > 0 && base.nsPerOp > 0:
			line += fmt.Sprintf("   time ratio %7.2f   throughput ratio %5.2f",
				r.nsPerOp/base.nsPerOp, base.nsPerOp/r.nsPerOp)
		}
		if len(r.extra) > 0 {
			line += "   [" + strings.Join(r.extra, ", ") + "]"
		}
		fmt.Fprintln(w, line)
	}
}

// findBaseline returns a copy (rs is sorted afterwards) of the baseline.
func findBaseline(rs []result) *result {
	for _, b := range baselines {
		for _, r := range rs {
			if r.name == b || strings.HasPrefix(r.name, b+"/") {
				return &r
			}
		}
	}
	return nil
}
