// Command conformance compares openapi.yaml with Portkey's published OpenAPI description
// and fails on any difference that api/deviations.yaml does not list, or on a listed
// deviation that no longer applies.
//
//	go run ./api/cmd/conformance -upstream ../shared/reference/portkey-openapi/openapi.yaml
//
// It exits 0 when everything conforms, 1 on a problem or a stale deviation, and 2 when
// a file cannot be read. `make conformance UPSTREAM=path` runs it from the module root.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/portkey-go/portkey/api/internal/conformance"
)

func main() {
	os.Exit(run())
}

func run() int {
	spec := flag.String("spec", "openapi.yaml", "the project's description")
	upstream := flag.String("upstream", "", "Portkey's published description (required)")
	deviations := flag.String("deviations", "api/deviations.yaml", "the listed deviations")
	verbose := flag.Bool("v", false, "also list the differences that only relax ours")
	flag.Parse()
	if *upstream == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: conformance -upstream FILE [-spec FILE] [-deviations FILE] [-v]")
		return 2
	}

	ours, err := conformance.Load(*spec)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	up, err := conformance.Load(*upstream)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	devs, err := conformance.LoadDeviations(*deviations)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}

	report := conformance.Check(ours, up, devs)
	fmt.Printf("Conformance of %s with %s\n", *spec, *upstream)
	if err := report.Write(os.Stdout, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if !report.OK() {
		fmt.Println("\nFAIL: fix openapi.yaml or list the difference, with its reason, in", *deviations)
		return 1
	}
	fmt.Println("\nok")
	return 0
}
