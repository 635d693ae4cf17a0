// Package conformance compares the project's API description with Portkey's published
// one and reports every difference that is not a listed deviation.
//
// The project describes most operations in its own words, so a text comparison is of no
// use. Instead each operation of ours must exist upstream with the same method and
// path; its parameters must match by place, name, requirement and type; and every field
// it declares in request and response bodies, however deeply nested, must exist
// upstream under the same name with a compatible type. Upstream is treated as the
// authority on names and types: where ours differs on purpose, api/deviations.yaml says
// so and why, and a deviation that no longer matches any difference is itself an error,
// so the list cannot go stale.
//
// Some differences are not errors because they only make ours more lenient in what it
// accepts from the server: a dropped format (a timestamp kept as a plain string), or
// null allowed in an answer. They are counted as relaxed. Upstream fields that ours
// leaves out are counted as not described: a client that ignores a field is not wrong.
package conformance

import (
	"cmp"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Kinds of difference. A deviation names one, so that it excuses exactly that
// difference and not another that may later appear at the same place.
const (
	// KindMissingOperation: ours has an operation upstream lacks, or upstream has the
	// path only with other methods.
	KindMissingOperation = "missing-operation"
	// KindMissingParameter: upstream has a parameter ours lacks, so ours cannot send it.
	KindMissingParameter = "missing-parameter"
	// KindUnknownParameter: ours has a parameter upstream lacks.
	KindUnknownParameter = "unknown-parameter"
	// KindUnknownField: ours declares a field upstream lacks.
	KindUnknownField = "unknown-field"
	// KindMissingField: upstream requires a request field ours lacks, so ours cannot send it.
	KindMissingField = "missing-field"
	// KindType: the types differ (or ours describes items upstream does not).
	KindType = "type"
	// KindFormat: ours declares a format upstream does not.
	KindFormat = "format"
	// KindEnumExtra: ours allows values upstream does not list.
	KindEnumExtra = "enum-extra"
	// KindEnumMissing: upstream lists values ours does not.
	KindEnumMissing = "enum-missing"
	// KindRequired: a parameter, field or body is required on one side only.
	KindRequired = "required"
	// KindNullable: ours sends null where upstream does not allow it, or refuses a null
	// upstream may answer.
	KindNullable = "nullable"
	// KindUnknownBody: ours declares a body (or a media type of one) upstream lacks.
	KindUnknownBody = "unknown-body"
	// KindMissingBody: upstream declares a request body, or a 2xx answer body, ours lacks.
	KindMissingBody = "missing-body"
	// KindUnknownResponse: ours declares an answer status upstream lacks.
	KindUnknownResponse = "unknown-response"
	// KindMissingResponse: upstream declares a 2xx answer ours lacks.
	KindMissingResponse = "missing-response"
	// KindUnsupported: ours uses a schema construct this check cannot compare.
	KindUnsupported = "unsupported"
)

// kinds lists every kind, for checking deviations.
var kinds = []string{
	KindMissingOperation, KindMissingParameter, KindUnknownParameter, KindUnknownField,
	KindMissingField, KindType, KindFormat, KindEnumExtra, KindEnumMissing, KindRequired,
	KindNullable, KindUnknownBody, KindMissingBody, KindUnknownResponse,
	KindMissingResponse, KindUnsupported,
}

// Difference is one way ours differs from upstream.
type Difference struct {
	// Operation is "METHOD /path/{template}".
	Operation string
	// At is where in the operation, such as "parameters.query.page_size",
	// "request.defaults.metadata" or "responses.200.data[].role".
	At string
	// Kind is one of the Kind constants.
	Kind string
	// Detail says what each side has.
	Detail string
}

// String reads like "GET /admin/users parameters.query.role [enum-extra]: ours also
// allows guest".
func (d Difference) String() string {
	return fmt.Sprintf("%s %s [%s]: %s", d.Operation, d.At, d.Kind, d.Detail)
}

// Report is the outcome of Check.
type Report struct {
	// Operations, Parameters and Fields count what was compared.
	Operations, Parameters, Fields int
	// Problems are the differences no deviation excuses.
	Problems []Difference
	// Excused are the differences a deviation excuses, with it.
	Excused []Excused
	// Stale are the deviations that excuse nothing any more.
	Stale []Deviation
	// Relaxed are differences that only make ours more lenient; not errors.
	Relaxed []Difference
	// Undescribed are upstream fields ours leaves out; not errors.
	Undescribed []Difference
}

// Excused is a difference together with the deviation that excuses it.
type Excused struct {
	// Difference is what differs.
	Difference Difference
	// Deviation is the listed entry that excuses it.
	Deviation Deviation
}

// OK reports whether the check passed: no problem and no stale deviation.
func (r *Report) OK() bool {
	return len(r.Problems) == 0 && len(r.Stale) == 0
}

// Load reads a description without validating it: Portkey's published file has known
// validation errors (invalid examples, arrays without items) that say nothing about the
// names and types compared here. External references are refused, so loading never
// reaches the network.
func Load(path string) (*openapi3.T, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("conformance: %w", err)
	}
	return LoadData(data)
}

// LoadData is Load for a description in memory.
func LoadData(data []byte) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("conformance: loading description: %w", err)
	}
	return doc, nil
}

// Check compares ours with upstream and sorts each difference into a problem, an
// excused difference, a relaxation or an undescribed upstream field.
func Check(ours, upstream *openapi3.T, deviations []Deviation) *Report {
	c := &checker{report: &Report{}}
	for _, path := range sortedKeys(ours.Paths.Map()) {
		item := ours.Paths.Value(path)
		upItem := upstream.Paths.Value(path)
		for _, method := range sortedKeys(item.Operations()) {
			c.operation(strings.ToUpper(method)+" "+path, item, item.GetOperation(method),
				upItem, method)
		}
	}

	c.report.Problems, c.report.Excused, c.report.Stale = excuse(c.differences, deviations)
	return c.report
}

// direction says whether a schema describes what the client sends or what it receives:
// the same difference can be harmless one way and wrong the other.
type direction int

const (
	request direction = iota
	response
)

type checker struct {
	report      *Report
	differences []Difference
	op          string
	open        map[[2]*openapi3.Schema]bool // the schema pairs being compared
}

// note records a difference of the current operation in one of the lists: add is for
// those that a deviation must excuse, the others are only counted.
func (c *checker) note(list *[]Difference, at, kind, format string, args ...any) {
	*list = append(*list,
		Difference{Operation: c.op, At: at, Kind: kind, Detail: fmt.Sprintf(format, args...)})
}

func (c *checker) add(at, kind, format string, args ...any) {
	c.note(&c.differences, at, kind, format, args...)
}

func (c *checker) operation(key string, item *openapi3.PathItem, op *openapi3.Operation,
	upItem *openapi3.PathItem, method string) {
	c.op, c.open = key, map[[2]*openapi3.Schema]bool{}
	c.report.Operations++

	var upOp *openapi3.Operation
	if upItem != nil {
		upOp = upItem.GetOperation(method)
	}
	if upOp == nil {
		detail := "upstream has no such path"
		if upItem != nil {
			detail = "upstream has the path only with " +
				strings.ToUpper(strings.Join(sortedKeys(upItem.Operations()), ", "))
		}
		c.add("operation", KindMissingOperation, "%s", detail)
		return
	}

	c.parameters(parameters(item, op), parameters(upItem, upOp))
	c.requestBody(op.RequestBody, upOp.RequestBody)
	c.responses(op.Responses, upOp.Responses)
}

// parameters merges path-level and operation-level parameters, the operation's winning,
// keyed by "in.name".
func parameters(item *openapi3.PathItem, op *openapi3.Operation) map[string]*openapi3.Parameter {
	params := map[string]*openapi3.Parameter{}
	for _, list := range []openapi3.Parameters{item.Parameters, op.Parameters} {
		for _, ref := range list {
			if p := ref.Value; p != nil {
				params[p.In+"."+p.Name] = p
			}
		}
	}
	return params
}

func (c *checker) parameters(ours, up map[string]*openapi3.Parameter) {
	for _, key := range sortedKeys(ours) {
		at := "parameters." + key
		c.report.Parameters++
		p, u := ours[key], up[key]
		if u == nil {
			c.add(at, KindUnknownParameter, "upstream has no %s parameter %q", p.In, p.Name)
			continue
		}
		if p.Required != u.Required {
			c.add(at, KindRequired, "ours required=%v, upstream required=%v", p.Required, u.Required)
		}
		c.schema(at, schemaOf(p.Schema), schemaOf(u.Schema), request)
	}

	for _, key := range sortedKeys(up) {
		if ours[key] == nil {
			c.add("parameters."+key, KindMissingParameter, "ours lacks upstream's %s parameter %q",
				up[key].In, up[key].Name)
		}
	}
}

func (c *checker) requestBody(ours, up *openapi3.RequestBodyRef) {
	switch {
	case ours == nil && up == nil:
		return
	case ours == nil:
		c.add("request", KindMissingBody, "upstream declares a request body, ours none")
		return
	case up == nil:
		c.add("request", KindUnknownBody, "ours declares a request body, upstream none")
		return
	}

	if ours.Value.Required != up.Value.Required {
		c.add("request", KindRequired, "body required: ours %v, upstream %v",
			ours.Value.Required, up.Value.Required)
	}
	c.content("request", ours.Value.Content, up.Value.Content, request)
}

func (c *checker) responses(ours, up *openapi3.Responses) {
	ourMap, upMap := responseMap(ours), responseMap(up)
	for _, status := range sortedKeys(ourMap) {
		at := "responses." + status
		u := upMap[status]
		if u == nil {
			c.add(at, KindUnknownResponse, "upstream declares no %s answer", status)
			continue
		}
		if len(ourMap[status].Content) == 0 && len(u.Content) > 0 && is2xx(status) {
			c.add(at, KindMissingBody, "upstream declares a body, ours none")
			continue
		}
		c.content(at, ourMap[status].Content, u.Content, response)
	}

	for _, status := range sortedKeys(upMap) {
		if ourMap[status] == nil && is2xx(status) {
			c.add("responses."+status, KindMissingResponse, "ours lacks upstream's %s answer", status)
		}
	}
}

func responseMap(r *openapi3.Responses) map[string]*openapi3.Response {
	m := map[string]*openapi3.Response{}
	if r == nil {
		return m
	}
	for status, ref := range r.Map() {
		if ref.Value != nil {
			m[status] = ref.Value
		}
	}
	return m
}

func is2xx(status string) bool {
	return strings.HasPrefix(status, "2")
}

func (c *checker) content(at string, ours, up openapi3.Content, dir direction) {
	for _, mediaType := range sortedKeys(ours) {
		u := up[mediaType]
		if u == nil {
			c.add(at, KindUnknownBody, "upstream has no %s body here", mediaType)
			continue
		}
		c.schema(at, schemaOf(ours[mediaType].Schema), schemaOf(u.Schema), dir)
	}
}

// schema compares one schema of ours with upstream's at the same place, and recurses
// into properties, array items and map values.
func (c *checker) schema(at string, ours, up *openapi3.Schema, dir direction) {
	if ours == nil || up == nil {
		return
	}
	// A schema that contains itself is compared once per place, not forever.
	pair := [2]*openapi3.Schema{ours, up}
	if c.open[pair] {
		return
	}
	c.open[pair] = true
	defer delete(c.open, pair)

	if len(ours.OneOf) > 0 || len(ours.AnyOf) > 0 || ours.Not != nil {
		c.add(at, KindUnsupported, "ours uses oneOf, anyOf or not, which this check cannot compare")
	}

	c.scalar(at, ours, up, dir)
	c.properties(at, flatten(ours), flatten(up), dir)

	if ours.Items != nil {
		if up.Items == nil {
			c.add(at+"[]", KindType, "ours describes array items, upstream does not")
		} else {
			c.schema(at+"[]", schemaOf(ours.Items), schemaOf(up.Items), dir)
		}
	}
	if ours.AdditionalProperties.Schema != nil {
		if up.AdditionalProperties.Schema == nil {
			c.add(at+"{}", KindUnknownField, "ours describes map values, upstream does not")
		} else {
			c.schema(at+"{}", schemaOf(ours.AdditionalProperties.Schema),
				schemaOf(up.AdditionalProperties.Schema), dir)
		}
	}
}

// scalar compares what one schema says about its own value: type, format, enum and
// whether null is allowed.
func (c *checker) scalar(at string, ours, up *openapi3.Schema, dir direction) {
	if ourType, upType := typeName(ours), typeName(up); ourType != upType {
		c.add(at, KindType, "ours %s, upstream %s", ourType, upType)
	}

	switch {
	case ours.Format != "" && ours.Format != up.Format:
		c.add(at, KindFormat, "ours format %q, upstream %q", ours.Format, up.Format)
	case ours.Format == "" && up.Format != "":
		c.note(&c.report.Relaxed, at, KindFormat, "upstream format %q dropped", up.Format)
	}

	ourEnum, upEnum := enumSet(ours), enumSet(up)
	if len(ourEnum) > 0 || len(upEnum) > 0 {
		if extra := minus(ourEnum, upEnum); len(extra) > 0 && len(upEnum) > 0 {
			c.add(at, KindEnumExtra, "ours also allows %s", strings.Join(extra, ", "))
		}
		if missing := minus(upEnum, ourEnum); len(missing) > 0 {
			c.add(at, KindEnumMissing, "ours lacks %s", strings.Join(missing, ", "))
		}
		if len(upEnum) == 0 {
			c.add(at, KindEnumExtra, "ours restricts to %s, upstream allows any value",
				strings.Join(ourEnum, ", "))
		}
	}

	switch {
	case ours.Nullable == up.Nullable:
	case dir == request && ours.Nullable:
		c.add(at, KindNullable, "ours may send null, upstream does not allow it")
	case dir == response && up.Nullable:
		c.add(at, KindNullable, "upstream may answer null, ours does not allow it")
	default:
		c.note(&c.report.Relaxed, at, KindNullable, "ours accepts null, upstream does not say it comes")
	}
}

// properties compares the fields of two object schemas.
func (c *checker) properties(at string, ours, up objectShape, dir direction) {
	for _, name := range sortedKeys(ours.props) {
		fieldAt := at + "." + name
		c.report.Fields++
		u := up.props[name]
		if u == nil {
			c.add(fieldAt, KindUnknownField, "upstream has no field %q here", name)
			continue
		}
		if ours.required[name] != up.required[name] {
			c.add(fieldAt, KindRequired, "ours required=%v, upstream required=%v",
				ours.required[name], up.required[name])
		}
		c.schema(fieldAt, ours.props[name], u, dir)
	}

	for _, name := range sortedKeys(up.props) {
		if ours.props[name] != nil {
			continue
		}
		if dir == request && up.required[name] {
			c.add(at+"."+name, KindMissingField, "upstream requires %q, ours cannot send it", name)
		} else {
			c.note(&c.report.Undescribed, at+"."+name, "undescribed", "field")
		}
	}
}

// objectShape is an object schema's fields with allOf members merged in.
type objectShape struct {
	props    map[string]*openapi3.Schema
	required map[string]bool
}

func flatten(s *openapi3.Schema) objectShape {
	shape := objectShape{props: map[string]*openapi3.Schema{}, required: map[string]bool{}}
	var walk func(s *openapi3.Schema, depth int)
	walk = func(s *openapi3.Schema, depth int) {
		if s == nil || depth > 16 {
			return
		}
		for name, ref := range s.Properties {
			shape.props[name] = schemaOf(ref)
		}
		for _, name := range s.Required {
			shape.required[name] = true
		}
		for _, ref := range s.AllOf {
			walk(schemaOf(ref), depth+1)
		}
	}
	walk(s, 0)
	return shape
}

func schemaOf(ref *openapi3.SchemaRef) *openapi3.Schema {
	if ref == nil {
		return nil
	}
	return ref.Value
}

func typeName(s *openapi3.Schema) string {
	if s.Type == nil || len(*s.Type) == 0 {
		if len(s.Properties) > 0 {
			return "object"
		}
		return "any"
	}
	return strings.Join(s.Type.Slice(), "|")
}

func enumSet(s *openapi3.Schema) []string {
	set := map[string]bool{}
	for _, v := range s.Enum {
		set[fmt.Sprint(v)] = true
	}
	return slices.Sorted(maps.Keys(set))
}

// minus returns the members of a that b lacks.
func minus(a, b []string) []string {
	var out []string
	for _, v := range a {
		if !slices.Contains(b, v) {
			out = append(out, v)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.SortedFunc(maps.Keys(m), cmp.Compare[string])
}
