// Command benchratio reads `go test -bench` output and prints, for each mode of the
// overhead benchmarks (BenchmarkDelete/mode=.../way=...), the median time and
// allocations of each way and the wrapper's distance from the plain net/http floor,
// against the budget: at most 1.05 times the floor's time, at most 10 more allocations.
//
// The time ratio is the median of the ratios within each round (the n-th wrapper result
// over the n-th net/http one), not the ratio of the medians: make bench runs every way
// once per round, so the two results of a round were measured a moment apart, and a
// machine that is busier in one round than the next slows both alike.
//
//	go test -run '^$' -bench Delete -benchmem -count 10 ./wrapper > bench.out
//	go run ./internal/benchratio bench.out
//
// It exits 1 when the wrapper is over budget in any mode, 2 when the input holds no
// overhead benchmark.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"text/tabwriter"
)

// The budget the wrapper is held to, beside plain net/http.
const (
	maxTimeRatio   = 1.05
	maxExtraAllocs = 10
)

// line matches one result, such as
// "BenchmarkDelete/mode=serial/way=wrapper-2  30000  37840 ns/op  7677 B/op  87 allocs/op".
var line = regexp.MustCompile(`^BenchmarkDelete/mode=(\w+)/way=(\w+)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op\s+[\d.]+ B/op\s+(\d+) allocs/op`)

// samples holds every run of one way in one mode.
type samples struct {
	ns, allocs []float64
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: benchratio FILE")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchratio:", err)
		os.Exit(2)
	}
	defer f.Close()
	os.Exit(report(f, os.Stdout))
}

// report prints the table and returns the exit status.
func report(in io.Reader, out io.Writer) int {
	results := map[string]map[string]*samples{} // mode, way
	var modes []string
	scan := bufio.NewScanner(in)
	for scan.Scan() {
		m := line.FindStringSubmatch(scan.Text())
		if m == nil {
			continue
		}
		mode, way := m[1], m[2]
		if results[mode] == nil {
			results[mode] = map[string]*samples{}
			modes = append(modes, mode)
		}
		if results[mode][way] == nil {
			results[mode][way] = &samples{}
		}
		ns, _ := strconv.ParseFloat(m[3], 64)
		allocs, _ := strconv.ParseFloat(m[4], 64)
		results[mode][way].ns = append(results[mode][way].ns, ns)
		results[mode][way].allocs = append(results[mode][way].allocs, allocs)
	}
	if len(modes) == 0 {
		fmt.Fprintln(out, "benchratio: no BenchmarkDelete/mode=.../way=... results")
		return 2
	}

	status := 0
	t := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(t, "mode\tnet/http µs\tgenerated µs\twrapper µs\twrapper/net/http (by round)\tallocs net/http\tgenerated\twrapper\textra allocs\tverdict\t")
	for _, mode := range modes {
		floor, gen, wrap := results[mode]["nethttp"], results[mode]["generated"], results[mode]["wrapper"]
		if floor == nil || gen == nil || wrap == nil {
			fmt.Fprintf(t, "%s\tmissing a way\t\t\t\t\t\t\t\t\t\n", mode)
			status = 1
			continue
		}
		ratio := median(ratios(wrap.ns, floor.ns))
		extra := median(wrap.allocs) - median(floor.allocs)
		verdict := "within budget"
		if ratio > maxTimeRatio || extra > maxExtraAllocs {
			verdict = "OVER BUDGET"
			status = 1
		}
		fmt.Fprintf(t, "%s\t%.1f\t%.1f\t%.1f\t%.3f\t%.0f\t%.0f\t%.0f\t%+.0f\t%s\t\n", mode,
			median(floor.ns)/1000, median(gen.ns)/1000, median(wrap.ns)/1000, ratio,
			median(floor.allocs), median(gen.allocs), median(wrap.allocs), extra, verdict)
	}
	t.Flush()
	fmt.Fprintf(out, "budget: wrapper time at most %.2f times net/http's (median of the rounds' ratios), at most %d more allocations (medians)\n",
		maxTimeRatio, maxExtraAllocs)
	return status
}

// ratios divides each of xs by the ys of the same round, for as many rounds as both
// have.
func ratios(xs, ys []float64) []float64 {
	out := make([]float64, min(len(xs), len(ys)))
	for i := range out {
		out[i] = xs[i] / ys[i]
	}
	return out
}

func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
