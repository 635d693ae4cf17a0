package conformance

import (
	"fmt"
	"io"
	"strings"
)

// Write prints the report for people: the counts first, then what failed, then what was
// excused and what upstream has that ours leaves out. verbose adds every relaxed
// difference, which are not errors and usually many.
func (r *Report) Write(w io.Writer, verbose bool) error {
	var b strings.Builder
	applied := map[Deviation]int{}
	var order []Deviation
	for _, e := range r.Excused {
		if applied[e.Deviation] == 0 {
			order = append(order, e.Deviation)
		}
		applied[e.Deviation]++
	}
	formats, nulls := 0, 0
	for _, d := range r.Relaxed {
		if d.Kind == KindFormat {
			formats++
		} else {
			nulls++
		}
	}

	fmt.Fprintf(&b, "  operations checked   %d\n", r.Operations)
	fmt.Fprintf(&b, "  parameters checked   %d\n", r.Parameters)
	fmt.Fprintf(&b, "  fields checked       %d\n", r.Fields)
	fmt.Fprintf(&b, "  deviations applied   %d of %d, excusing %d differences\n",
		len(order), len(order)+len(r.Stale), len(r.Excused))
	fmt.Fprintf(&b, "  relaxed, not errors  %d (%d formats dropped, %d nulls accepted)\n",
		len(r.Relaxed), formats, nulls)
	fmt.Fprintf(&b, "  not described        %d upstream fields, not errors\n", len(r.Undescribed))
	fmt.Fprintf(&b, "  problems             %d\n", len(r.Problems))
	fmt.Fprintf(&b, "  stale deviations     %d\n", len(r.Stale))

	section(&b, "Problems (ours differs from upstream and api/deviations.yaml does not say why)",
		r.Problems, Difference.String)
	section(&b, "Stale deviations (they match no difference any more: remove them)",
		r.Stale, Deviation.String)
	section(&b, "Deviations applied", order, func(d Deviation) string {
		return fmt.Sprintf("%s, %d difference(s): %s", d, applied[d], oneLine(d.Differs))
	})
	section(&b, "Not described (upstream fields ours leaves out)", r.Undescribed,
		func(d Difference) string { return d.Operation + " " + d.At })
	if verbose {
		section(&b, "Relaxed (ours accepts more than upstream promises)", r.Relaxed, Difference.String)
	}

	_, err := io.WriteString(w, b.String())
	return err
}

func section[T any](b *strings.Builder, title string, items []T, line func(T) string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(b, "\n%s:\n", title)
	for _, item := range items {
		fmt.Fprintf(b, "  %s\n", line(item))
	}
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
