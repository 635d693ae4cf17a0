// Command benchratio reads `go test -bench` output and prints, for each mode of the
// overhead benchmarks, the median time and allocations of each way and the wrapper's
// distance from the plain net/http floor, against the budget: at most 1.05 times the
// floor's time, at most 10 more allocations.
//
// Two benchmarks feed it. BenchmarkDelete/mode=.../way=... runs each way on its own and
// gives the times per call and the allocations. BenchmarkDeletePaired/mode=... runs the
// ways interleaved in short blocks and reports the time ratios themselves
// (wrapper/nethttp); when its results are there, the time budget is judged on them, the
// median over the rounds, because ways measured a few milliseconds apart meet the same
// machine and ways measured seconds apart do not. Without them, the time ratio is the
// median of the ratios within each round of BenchmarkDelete (the n-th wrapper result
// over the n-th net/http one), which cancels slow rounds but not a machine that changes
// speed within one.
//
//	go test -run '^$' -bench 'Delete(Paired)?$' -benchmem -count 10 ./wrapper > bench.out
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

// line matches one result of a way on its own, such as
// "BenchmarkDelete/mode=serial/way=wrapper-2  30000  37840 ns/op  7677 B/op  87 allocs/op".
var line = regexp.MustCompile(`^BenchmarkDelete/mode=(\w+)/way=(\w+)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op\s+[\d.]+ B/op\s+(\d+) allocs/op`)

// pairedLine matches one result of the interleaved benchmark, such as
// "BenchmarkDeletePaired/mode=serial-2  300  3100000 ns/op  1.01 generated/nethttp  1.04 wrapper/nethttp";
// the metrics are picked out of it by pairedRatio.
var (
	pairedLine  = regexp.MustCompile(`^BenchmarkDeletePaired/mode=(\w+)(?:-\d+)?\s`)
	pairedRatio = regexp.MustCompile(`([\d.]+) wrapper/nethttp`)
)

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
	paired := map[string][]float64{}            // mode: wrapper/nethttp of each round
	var modes []string
	scan := bufio.NewScanner(in)
	for scan.Scan() {
		if m := pairedLine.FindStringSubmatch(scan.Text()); m != nil {
			if r := pairedRatio.FindStringSubmatch(scan.Text()); r != nil {
				ratio, _ := strconv.ParseFloat(r[1], 64)
				paired[m[1]] = append(paired[m[1]], ratio)
			}
			continue
		}
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
	fmt.Fprintln(t, "mode\tnet/http µs\tgenerated µs\twrapper µs\twrapper/net/http: by round\tinterleaved\tallocs net/http\tgenerated\twrapper\textra allocs\tverdict\t")
	for _, mode := range modes {
		floor, gen, wrap := results[mode]["nethttp"], results[mode]["generated"], results[mode]["wrapper"]
		if floor == nil || gen == nil || wrap == nil {
			fmt.Fprintf(t, "%s\tmissing a way\t\t\t\t\t\t\t\t\t\t\n", mode)
			status = 1
			continue
		}
		byRound := median(ratios(wrap.ns, floor.ns))
		judged, interleaved := byRound, "-"
		if rs := paired[mode]; len(rs) > 0 {
			judged = median(rs)
			interleaved = fmt.Sprintf("%.3f", judged)
		}
		extra := median(wrap.allocs) - median(floor.allocs)
		verdict := "within budget"
		if judged > maxTimeRatio || extra > maxExtraAllocs {
			verdict = "OVER BUDGET"
			status = 1
		}
		fmt.Fprintf(t, "%s\t%.1f\t%.1f\t%.1f\t%.3f\t%s\t%.0f\t%.0f\t%.0f\t%+.0f\t%s\t\n", mode,
			median(floor.ns)/1000, median(gen.ns)/1000, median(wrap.ns)/1000, byRound, interleaved,
			median(floor.allocs), median(gen.allocs), median(wrap.allocs), extra, verdict)
	}
	t.Flush()
	fmt.Fprintf(out, "budget: wrapper time at most %.2f times net/http's (the interleaved ratio's median where measured, else the median of the rounds' ratios), at most %d more allocations (medians)\n",
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
