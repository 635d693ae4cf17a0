package conformance_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/portkey-go/portkey/api/internal/conformance"
)

// upstream is a small published description. Each test derives "ours" from it by one
// edit and checks that the edit is reported, and reported as what it is.
const upstream = `openapi: 3.0.0
info: {title: upstream, version: "1"}
paths:
  /things/{thingId}:
    get:
      parameters:
        - {name: thingId, in: path, required: true, schema: {type: string}}
        - {name: page_size, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
    put:
      parameters:
        - {name: thingId, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                role: {type: string, enum: [admin, member]}
                note: {type: string}
      responses:
        "200": {description: ok}
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {type: string, format: uuid}
        tags: {type: array, items: {type: string}}
        owner:
          type: object
          properties:
            name: {type: string}
`

// edit applies one replacement to the upstream text, which must hold old exactly once.
func edit(t *testing.T, old, new string) string {
	t.Helper()
	if strings.Count(upstream, old) != 1 {
		t.Fatalf("the upstream text should hold %q exactly once", old)
	}
	return strings.Replace(upstream, old, new, 1)
}

func check(t *testing.T, ours, deviations string) *conformance.Report {
	t.Helper()
	o, err := conformance.LoadData([]byte(ours))
	if err != nil {
		t.Fatal(err)
	}
	u, err := conformance.LoadData([]byte(upstream))
	if err != nil {
		t.Fatal(err)
	}
	devs, err := conformance.ParseDeviations([]byte(deviations))
	if err != nil {
		t.Fatal(err)
	}
	return conformance.Check(o, u, devs)
}

// deviation writes a deviations file with one entry.
func deviation(operation, at, kind string) string {
	return fmt.Sprintf("deviations:\n  - {operation: %q, at: %s, kind: %s, differs: d, reason: r}\n",
		operation, at, kind)
}

func TestIdenticalDescriptionsConform(t *testing.T) {
	t.Parallel()
	r := check(t, upstream, "")
	if !r.OK() || len(r.Relaxed) != 0 || len(r.Undescribed) != 0 {
		t.Errorf("report = %+v", r)
	}
	if r.Operations != 2 || r.Parameters != 3 || r.Fields != 6 {
		t.Errorf("counted %d operations, %d parameters, %d fields; want 2, 3, 6",
			r.Operations, r.Parameters, r.Fields)
	}
}

// TestOneEditOneProblem makes one edit at a time and requires exactly the problem it
// should cause.
func TestOneEditOneProblem(t *testing.T) {
	t.Parallel()
	const get, put = "GET /things/{thingId}", "PUT /things/{thingId}"
	for _, tt := range []struct {
		name, old, new string
		op, at, kind   string
		detail         string // a part of the problem's detail, if it matters
	}{
		{"renamed field", "name: {type: string}", "nmae: {type: string}",
			get, "responses.200.owner.nmae", conformance.KindUnknownField, ""},
		{"changed method", "    put:", "    patch:",
			"PATCH /things/{thingId}", "operation", conformance.KindMissingOperation, "GET, PUT"},
		{"missing parameter", "        - {name: page_size, in: query, schema: {type: integer}}\n", "",
			get, "parameters.query.page_size", conformance.KindMissingParameter, ""},
		{"parameter type", "in: query, schema: {type: integer}", "in: query, schema: {type: number}",
			get, "parameters.query.page_size", conformance.KindType, "ours number, upstream integer"},
		{"field type inside an array", "items: {type: string}", "items: {type: integer}",
			get, "responses.200.tags[]", conformance.KindType, ""},
		{"parameter requirement", "in: query, schema", "in: query, required: true, schema",
			get, "parameters.query.page_size", conformance.KindRequired, ""},
		{"null sent where upstream refuses it", "note: {type: string}", "note: {type: string, nullable: true}",
			put, "request.note", conformance.KindNullable, ""},
		{"another format", "format: uuid", "format: email",
			get, "responses.200.id", conformance.KindFormat, ""},
		{"enum superset", "enum: [admin, member]", "enum: [admin, member, manager]",
			put, "request.role", conformance.KindEnumExtra, "manager"},
		{"response body upstream lacks", `        "200": {description: ok}`,
			`        "200": {description: ok, content: {application/json: {schema: {type: object}}}}`,
			put, "responses.200", conformance.KindUnknownBody, ""},
	} {
		r := check(t, edit(t, tt.old, tt.new), "")
		if len(r.Problems) != 1 || r.OK() {
			t.Errorf("%s: problems = %v, want one", tt.name, r.Problems)
			continue
		}
		p := r.Problems[0]
		if p.Operation != tt.op || p.At != tt.at || p.Kind != tt.kind || !strings.Contains(p.Detail, tt.detail) {
			t.Errorf("%s: problem = %v, want %s at %s %s (%q)", tt.name, p, tt.kind, tt.op, tt.at, tt.detail)
		}
	}
}

func TestParameterMovedToAnotherPlace(t *testing.T) {
	t.Parallel()
	r := check(t, edit(t, "{name: page_size, in: query,", "{name: page_size, in: header,"), "")
	if len(r.Problems) != 2 || r.Problems[0].Kind != conformance.KindUnknownParameter ||
		r.Problems[1].Kind != conformance.KindMissingParameter {
		t.Errorf("problems = %v, want an unknown header and a missing query parameter", r.Problems)
	}
}

// TestEnumSupersetWithADeviation lists the difference TestOneEditOneProblem reports for
// an enum superset, which then passes.
func TestEnumSupersetWithADeviation(t *testing.T) {
	t.Parallel()
	ours := edit(t, "enum: [admin, member]", "enum: [admin, member, manager]")
	r := check(t, ours, deviation("PUT /things/{thingId}", "request.role", conformance.KindEnumExtra))
	if !r.OK() || len(r.Excused) != 1 {
		t.Errorf("with the deviation listed: problems %v, excused %v", r.Problems, r.Excused)
	}
}

func TestStaleDeviation(t *testing.T) {
	t.Parallel()
	r := check(t, upstream, deviation("*", "responses.default", conformance.KindUnknownResponse))
	if r.OK() || len(r.Stale) != 1 || len(r.Problems) != 0 {
		t.Errorf("OK=%v stale=%v problems=%v, want one stale deviation", r.OK(), r.Stale, r.Problems)
	}
}

func TestWildcardDeviationCoversEveryOperation(t *testing.T) {
	t.Parallel()
	ours := strings.ReplaceAll(upstream, `        "200":`, `        default: {description: failed}
        "200":`)
	ours = strings.Replace(ours, `        "200": {description: ok}`, `        "200": {description: ok}
        default: {description: failed}`, 1)
	r := check(t, ours, deviation("*", "responses.default", conformance.KindUnknownResponse))
	if !r.OK() || len(r.Excused) != 2 {
		t.Errorf("problems %v, excused %v; want both operations excused", r.Problems, r.Excused)
	}
}

func TestLenientDifferencesAreNotErrors(t *testing.T) {
	t.Parallel()
	ours := edit(t, "id: {type: string, format: uuid}", "id: {type: string, nullable: true}")
	r := check(t, ours, "")
	if !r.OK() || len(r.Relaxed) != 2 {
		t.Errorf("problems %v, relaxed %v; want no problem and two relaxations", r.Problems, r.Relaxed)
	}
}

func TestParseDeviationsRefusals(t *testing.T) {
	t.Parallel()
	entry := "  - {operation: GET /x, at: request, kind: type, differs: d, reason: r}\n"
	for name, text := range map[string]string{
		"no reason":     "deviations:\n  - {operation: GET /x, at: request, kind: type, differs: d}\n",
		"unknown kind":  "deviations:\n  - {operation: GET /x, at: request, kind: typo, differs: d, reason: r}\n",
		"repeated":      "deviations:\n" + entry + entry,
		"unknown field": "deviations:\n  - {operation: GET /x, at: request, kind: type, differs: d, reason: r, why: w}\n",
		"not yaml":      "deviations: [",
	} {
		if _, err := conformance.ParseDeviations([]byte(text)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestProjectConformsToUpstream runs the real check: the project's openapi.yaml and
// deviations against Portkey's published description beside the repository.
func TestProjectConformsToUpstream(t *testing.T) {
	t.Parallel()
	const upstreamFile = "../../../../shared/reference/portkey-openapi/openapi.yaml"
	up, err := conformance.Load(upstreamFile)
	if errors.Is(err, os.ErrNotExist) && os.Getenv("CI") == "" {
		t.Skipf("%s is not here; CI checks against it", upstreamFile)
	}
	if err != nil {
		t.Fatalf("%v: CI expects Portkey's published description in shared/ beside the repository", err)
	}
	ours, err := conformance.Load("../../../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	devs, err := conformance.LoadDeviations("../../deviations.yaml")
	if err != nil {
		t.Fatal(err)
	}

	r := conformance.Check(ours, up, devs)
	if !r.OK() {
		var b strings.Builder
		if err := r.Write(&b, false); err != nil {
			t.Fatal(err)
		}
		t.Errorf("openapi.yaml does not conform:\n%s", b.String())
	}
	if r.Operations != 22 {
		t.Errorf("checked %d operations, want 22", r.Operations)
	}
}
