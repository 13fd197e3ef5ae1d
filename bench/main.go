// Command bench reads `go test -bench` output on standard input and prints
// every figure as a ratio to a baseline measured in the same run, because
// absolute times drift on noisy machines while ratios hold.
//
// Each benchmark is paired with the closest baseline of the same run:
//
//  1. a sibling sub-benchmark named Noop or Baseline (BenchmarkPlayAuth/Authorize
//     against BenchmarkPlayAuth/Noop);
//  2. a benchmark named for it after a baseline stem (BenchmarkM3U5000 against
//     BenchmarkServeSameBytesM3U5000);
//  3. the package's baseline: the first of BenchmarkNoop, BenchmarkSubscriberByID,
//     BenchmarkServeSameBytes and BenchmarkBaseline that it ran.
//
// Custom metrics (b.ReportMetric) are printed as they are.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// baselines are the reference benchmarks, in order of preference: a no-op
// handler on the same engine, a primary-key lookup, copying the same bytes
// from memory.
var baselines = []string{"BenchmarkNoop", "BenchmarkSubscriberByID", "BenchmarkServeSameBytes", "BenchmarkBaseline"}

// siblingBaselines are the names of sub-benchmarks that are the baseline of
// their siblings.
var siblingBaselines = []string{"Noop", "Baseline"}

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
	byName := make(map[string]result, len(rs))
	for _, r := range rs {
		byName[r.name] = r
	}
	isBase := map[string]bool{}
	pairs := make(map[string]result, len(rs))
	for _, r := range rs {
		if b, ok := baselineOf(r.name, byName, rs); ok {
			pairs[r.name] = b
			isBase[b.name] = true
		}
	}
	sorted := slices.Clone(rs)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].name < sorted[j].name })
	for _, r := range sorted {
		line := fmt.Sprintf("  %-44s %12.0f ns/op", strings.TrimPrefix(r.name, "Benchmark"), r.nsPerOp)
		base, paired := pairs[r.name]
		switch {
		case paired && base.nsPerOp > 0 && r.nsPerOp > 0:
			line += fmt.Sprintf("   time ratio %7.2f   throughput ratio %5.2f   vs %s",
				r.nsPerOp/base.nsPerOp, base.nsPerOp/r.nsPerOp, strings.TrimPrefix(base.name, "Benchmark"))
		case isBase[r.name]:
			line += "   baseline"
		case !paired:
			line += "   (no baseline in this package)"
		}
		if len(r.extra) > 0 {
			line += "   [" + strings.Join(r.extra, ", ") + "]"
		}
		fmt.Fprintln(w, line)
	}
}

// baselineOf finds the baseline name is measured against (see the package
// doc for the order); a baseline has none.
func baselineOf(name string, byName map[string]result, rs []result) (result, bool) {
	if isBaselineName(name) {
		return result{}, false
	}
	if parent, _, ok := strings.Cut(name, "/"); ok {
		for _, s := range siblingBaselines {
			if b, ok := byName[parent+"/"+s]; ok {
				return b, true
			}
		}
	}
	rest := strings.TrimPrefix(name, "Benchmark")
	for _, stem := range baselines {
		if b, ok := byName[stem+rest]; ok {
			return b, true
		}
	}
	for _, stem := range baselines {
		for _, r := range rs {
			if r.name == stem || strings.HasPrefix(r.name, stem+"/") {
				return r, true
			}
		}
	}
	return result{}, false
}

// isBaselineName reports whether name is a baseline itself: a package
// baseline (or one of its sub-benchmarks), a name-paired baseline such as
// BenchmarkServeSameBytesM3U5000, or a sibling baseline such as X/Noop.
func isBaselineName(name string) bool {
	for _, stem := range baselines {
		if strings.HasPrefix(name, stem) {
			return true
		}
	}
	_, sub, ok := strings.Cut(name, "/")
	return ok && slices.Contains(siblingBaselines, sub)
}
