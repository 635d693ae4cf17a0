package conformance

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Deviation is one listed, deliberate difference from upstream, read from
// api/deviations.yaml.
type Deviation struct {
	// Operation is "METHOD /path/{template}" as in Difference, or "*" for every
	// operation.
	Operation string `yaml:"operation"`
	// At is the place in the operation, written as Difference.At.
	At string `yaml:"at"`
	// Kind is the kind of difference excused, one of the Kind constants.
	Kind string `yaml:"kind"`
	// Differs says in words what differs.
	Differs string `yaml:"differs"`
	// Reason says why ours differs.
	Reason string `yaml:"reason"`
}

// String names the deviation as "operation at [kind]".
func (d Deviation) String() string {
	return fmt.Sprintf("%s %s [%s]", d.Operation, d.At, d.Kind)
}

func (d Deviation) matches(diff Difference) bool {
	return (d.Operation == "*" || d.Operation == diff.Operation) &&
		d.At == diff.At && d.Kind == diff.Kind
}

// LoadDeviations reads a deviations file.
func LoadDeviations(path string) ([]Deviation, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("conformance: %w", err)
	}
	devs, err := ParseDeviations(data)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return devs, nil
}

// ParseDeviations reads a deviations file from memory. Every entry must fill in every
// field, name a known kind and appear once: an entry without a reason, or one that
// cannot match anything, would defeat the point of the list.
func ParseDeviations(data []byte) ([]Deviation, error) {
	var file struct {
		Deviations []Deviation `yaml:"deviations"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&file); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("conformance: reading deviations: %w", err)
	}

	seen := map[Deviation]bool{}
	for i, d := range file.Deviations {
		key := Deviation{Operation: d.Operation, At: d.At, Kind: d.Kind}
		switch {
		case d.Operation == "" || d.At == "" || d.Kind == "" ||
			strings.TrimSpace(d.Differs) == "" || strings.TrimSpace(d.Reason) == "":
			return nil, fmt.Errorf("conformance: deviation %d: operation, at, kind, differs "+
				"and reason are all required", i+1)
		case !slices.Contains(kinds, d.Kind):
			return nil, fmt.Errorf("conformance: deviation %d: unknown kind %q", i+1, d.Kind)
		case seen[key]:
			return nil, fmt.Errorf("conformance: deviation %d repeats %s", i+1, key)
		}
		seen[key] = true
	}
	return file.Deviations, nil
}

// excuse splits differences into problems and excused ones, and returns the deviations
// that excused nothing.
func excuse(diffs []Difference, devs []Deviation) (problems []Difference, excused []Excused,
	stale []Deviation) {
	used := make([]bool, len(devs))
	for _, diff := range diffs {
		i := slices.IndexFunc(devs, func(d Deviation) bool { return d.matches(diff) })
		if i < 0 {
			problems = append(problems, diff)
			continue
		}
		used[i] = true
		excused = append(excused, Excused{Difference: diff, Deviation: devs[i]})
	}

	for i, d := range devs {
		if !used[i] {
			stale = append(stale, d)
		}
	}
	return problems, excused, stale
}
