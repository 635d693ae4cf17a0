package wrapper

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxResultBody is how much of a successful answer is read. A page of a hundred users
// is a few tens of KiB; an answer past this is a fault, and reading it whole would let a
// broken server fill the caller's memory.
const maxResultBody = 32 << 20

// readBody reads a successful answer through the maxResultBody limit.
func readBody(resp *http.Response) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResultBody+1))
	if err != nil {
		return nil, fmt.Errorf("reading the answer: %w", err)
	}
	if len(body) > maxResultBody {
		return nil, fmt.Errorf("the answer is larger than %d MiB", maxResultBody>>20)
	}
	return body, nil
}

// object is one JSON object of an answer, read field by field. A field the client
// cannot read (a wrong type, a timestamp in no known layout) costs that field only: its
// text goes to the unparsed map, and every other field is still read. This is what lets
// one odd value through without failing a whole list.
type object struct {
	fields map[string]json.RawMessage
	// path is where the object sits in the result, such as "defaults" or
	// "usage_limits[1]"; "" for the result itself. It prefixes the unparsed keys.
	path string
	// unparsed is shared by a result and the objects nested in it.
	unparsed *map[string]string
}

// parseObject reads raw as a result's object. It reports false, with the text kept
// under the key "", when raw is not a JSON object at all.
func parseObject(raw []byte) (*object, bool) {
	o := &object{unparsed: new(map[string]string)}
	if json.Unmarshal(raw, &o.fields) != nil || o.fields == nil {
		o.note("", raw)
		return o, false
	}
	return o, true
}

// nested reads the object at name, as part of o's result. It returns nil when the field
// is missing or null, and notes the field when it is not an object.
func (o *object) nested(name string) *object {
	raw, ok := o.fields[name]
	if !ok || isNull(raw) {
		return nil
	}
	return o.child(name, raw)
}

// child reads raw, found at name, as an object nested in o's result.
func (o *object) child(name string, raw json.RawMessage) *object {
	c := &object{path: o.key(name), unparsed: o.unparsed}
	if json.Unmarshal(raw, &c.fields) != nil || c.fields == nil {
		o.note(name, raw)
		return nil
	}
	return c
}

// list returns the elements of the array at name: nil when the field is missing or
// null, and nil with the field noted when it is not an array.
func (o *object) list(name string) []json.RawMessage {
	raw, ok := o.fields[name]
	if !ok {
		return nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		o.note(name, raw)
		return nil
	}
	return items
}

// nestedList reads each object of the array at name with read, as part of o's result:
// unparsed fields of the third element are keyed as "name[2].field". An element that is
// no object is noted and left out.
func nestedList[T any](o *object, name string, read func(*object) T) []T {
	var out []T
	for i, raw := range o.list(name) {
		if c := o.child(name+"["+strconv.Itoa(i)+"]", raw); c != nil {
			out = append(out, read(c))
		}
	}
	return out
}

// note keeps the text of a field the client could not read.
func (o *object) note(name string, raw []byte) {
	if *o.unparsed == nil {
		*o.unparsed = map[string]string{}
	}
	(*o.unparsed)[o.key(name)] = string(raw)
}

// key is the unparsed key of the field name of o.
func (o *object) key(name string) string {
	switch {
	case o.path == "":
		return name
	case name == "":
		return o.path
	}
	return o.path + "." + name
}

// done returns what the result could not read, nil when it read everything.
func (o *object) done() map[string]string {
	return *o.unparsed
}

// field reads the field name into dst. A missing field or null leaves dst as it is; a
// value of another type is noted and leaves dst as it is too.
func field[T any](o *object, name string, dst *T) {
	raw, ok := o.fields[name]
	if !ok {
		return
	}
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		o.note(name, raw)
		return
	}
	if !isNull(raw) {
		*dst = v
	}
}

// timeField reads a timestamp in any layout of timeLayouts. An empty string or null
// leaves dst zero; anything else it cannot read is noted.
func timeField(o *object, name string, dst *time.Time) {
	raw, ok := o.fields[name]
	if !ok {
		return
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		o.note(name, raw)
		return
	}
	if s == "" {
		return
	}
	t, err := parseTime(s)
	if err != nil {
		o.note(name, raw)
		return
	}
	*dst = t
}

// flagField reads a flag the API writes as 0 or 1, and takes true and false too.
func flagField(o *object, name string, dst *bool) {
	raw, ok := o.fields[name]
	if !ok || isNull(raw) {
		return
	}
	var n float64
	if json.Unmarshal(raw, &n) == nil {
		*dst = n != 0
		return
	}
	if json.Unmarshal(raw, dst) != nil {
		o.note(name, raw)
	}
}

// timeLayouts are the ways the API writes a point in time: RFC 3339 ("2026-03-09T07:55:
// 25.000Z") and, on users and invites, a zoneless "2024-01-25 11:35:07". Fractions of a
// second are optional in every layout.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
}

// parseTime reads s in the first of timeLayouts that fits. A time written without a
// zone is taken as UTC, which is what the API stores.
func parseTime(s string) (time.Time, error) {
	// RFC 3339 allows a lower-case t and z, which Go's layouts do not.
	s = strings.ToUpper(s)
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q is in no known layout", s)
}

func isNull(raw json.RawMessage) bool {
	return string(raw) == "null"
}

// errNotObject is the error for a single result whose answer is no JSON object.
var errNotObject = errors.New("the answer is not a JSON object")

// decodeOne returns a decode function that reads a one-object answer holding the field
// required into dst with read.
func decodeOne[T any](dst *T, required string, read func(*object) T) func(*http.Response) error {
	return func(resp *http.Response) error {
		body, err := readBody(resp)
		if err != nil {
			return err
		}
		o, ok := parseObject(body)
		if !ok {
			return errNotObject
		}
		if raw, ok := o.fields[required]; !ok || isNull(raw) {
			return fmt.Errorf("the answer has no %s", required)
		}
		*dst = read(o)
		return nil
	}
}

// listEntries returns the entries of a list answer from raw, the value of its field
// name. A missing field is an error, so that {} or null from a proxy or a wrong base URL
// never passes for an empty list; null is no entries.
func listEntries(raw json.RawMessage, name string) ([]json.RawMessage, error) {
	if len(raw) == 0 {
		return nil, fmt.Errorf("the answer is not a list: it has no %s", name)
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(raw, &raws); err != nil {
		return nil, fmt.Errorf("the answer's %s is not an array: %w", name, err)
	}
	return raws, nil
}

// readItems reads each element of a list answer with read. An element that is no object
// at all still gives an entry, empty but for its text in Unparsed under the key "".
func readItems[T any](raws []json.RawMessage, read func(*object) T) []T {
	items := make([]T, 0, len(raws))
	for _, raw := range raws {
		o, _ := parseObject(raw)
		items = append(items, read(o))
	}
	return items
}

// readCount reads a count such as a list's total; -1 when it is missing, null, negative
// or not a whole number.
func readCount(raw json.RawMessage) int {
	n, err := strconv.Atoi(string(raw))
	if err != nil || n < 0 {
		return -1
	}
	return n
}
