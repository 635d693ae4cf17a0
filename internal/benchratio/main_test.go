package main

import (
	"fmt"
	"strings"
	"testing"
)

func TestReport(t *testing.T) {
	const within = `BenchmarkDelete/mode=serial/way=wrapper-2   100  41000 ns/op  7500 B/op  84 allocs/op
BenchmarkDelete/mode=serial/way=generated-2 100  40500 ns/op  6800 B/op  76 allocs/op
BenchmarkDelete/mode=serial/way=nethttp-2   100  40000 ns/op  6790 B/op  75 allocs/op
`
	tests := []struct {
		name, input, want string
		status            int
	}{
		{"within budget", within, "1.025", 0},
		{"too slow", strings.Replace(within, "41000 ns/op", "42500 ns/op", 1), "OVER BUDGET", 1},
		{"too many allocations", strings.Replace(within, "84 allocs/op", "86 allocs/op", 1), "OVER BUDGET", 1},
		{"a way missing", strings.SplitN(within, "\n", 2)[1], "missing a way", 1},
		{"nothing", "PASS\nok\n", "no BenchmarkDelete", 2},
	}
	for _, tt := range tests {
		var out strings.Builder
		status := report(strings.NewReader(tt.input), &out)
		if status != tt.status || !strings.Contains(out.String(), tt.want) {
			t.Errorf("%s: status %d, output\n%s\nwant status %d and %q", tt.name, status, out.String(), tt.status, tt.want)
		}
	}
}

func TestMedian(t *testing.T) {
	if got := median([]float64{3, 1, 2}); got != 2 {
		t.Errorf("median of 3 = %v", got)
	}
	if got := median([]float64{4, 1, 3, 2}); got != 2.5 {
		t.Errorf("median of 4 = %v", got)
	}
}

// TestRatioByRound: a round that was slow for every way does not count against the
// wrapper, as a ratio of medians would let it.
func TestRatioByRound(t *testing.T) {
	rounds := ""
	for _, r := range [][2]int{{41000, 40000}, {82000, 80000}, {41500, 40000}} {
		rounds += fmt.Sprintf("BenchmarkDelete/mode=serial/way=wrapper-2 1 %d ns/op 1 B/op 84 allocs/op\n", r[0]) +
			"BenchmarkDelete/mode=serial/way=generated-2 1 40000 ns/op 1 B/op 75 allocs/op\n" +
			fmt.Sprintf("BenchmarkDelete/mode=serial/way=nethttp-2 1 %d ns/op 1 B/op 75 allocs/op\n", r[1])
	}
	var out strings.Builder
	if status := report(strings.NewReader(rounds), &out); status != 0 || !strings.Contains(out.String(), "1.025") {
		t.Errorf("status %d:\n%s", status, out.String())
	}
}

// TestPairedRatioDecides: where the interleaved benchmark ran, its ratio judges the time,
// whatever the ways measured one after another say, in both directions.
func TestPairedRatioDecides(t *testing.T) {
	const apart = `BenchmarkDelete/mode=serial/way=wrapper-2   100  41000 ns/op  7500 B/op  84 allocs/op
BenchmarkDelete/mode=serial/way=generated-2 100  40500 ns/op  6800 B/op  76 allocs/op
BenchmarkDelete/mode=serial/way=nethttp-2   100  40000 ns/op  6790 B/op  75 allocs/op
`
	paired := func(ratios ...string) string {
		out := ""
		for _, r := range ratios {
			out += "BenchmarkDeletePaired/mode=serial-2  300  3100000 ns/op  1.010 generated/nethttp  " + r + " wrapper/nethttp\n"
		}
		return out
	}
	tests := []struct {
		name, input, want string
		status            int
	}{
		{"paired over, apart within", apart + paired("1.070", "1.060", "1.020"), "1.060", 1},
		{"paired within, apart over", strings.Replace(apart, "41000", "45000", 1) + paired("1.030", "1.040", "1.090"), "1.040", 0},
		{"paired from another mode", apart + strings.ReplaceAll(paired("1.500"), "serial", "parallel"), "1.025", 0},
	}
	for _, tt := range tests {
		var out strings.Builder
		status := report(strings.NewReader(tt.input), &out)
		if status != tt.status || !strings.Contains(out.String(), tt.want) {
			t.Errorf("%s: status %d, output\n%s\nwant status %d and %q", tt.name, status, out.String(), tt.status, tt.want)
		}
	}
}
