// Package api reads the Portkey API description (openapi.yaml) with kin-openapi and checks
// HTTP traffic against it.
//
// It is the contract half of the module: portkeytest validates every request it serves
// and every answer it gives through this package, and the contract tests use it to prove
// that the client in package wrapper speaks the API as described. The client itself does
// not import it, so programs that only call Portkey never compile a spec validator.
package api

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/portkey-go/portkey"
)

// Spec is a loaded and validated API description. It is safe for concurrent use.
type Spec struct {
	doc *openapi3.T
	ops []*Operation
}

// Operation is one method on one path of the description.
type Operation struct {
	// Method is the HTTP method in upper case, such as "DELETE".
	Method string
	// Path is the path template as written in the description, such as
	// "/admin/users/{userId}".
	Path string
	// ID is the operationId written in the description; it may be empty, since Portkey
	// leaves it out of many operations (the generator's names come from api/overlay.yaml).
	ID string

	segments []string
	item     *openapi3.PathItem
	op       *openapi3.Operation
}

// Key names the operation as "METHOD /path/{template}", which stays unique even where
// the description gives no operationId.
func (o *Operation) Key() string {
	return o.Method + " " + o.Path
}

// Load reads the description embedded in this module at build time.
func Load() (*Spec, error) {
	return Parse(portkey.OpenAPI())
}

// LoadFile reads the description from a file, such as the repository's openapi.yaml.
func LoadFile(path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}
	spec, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return spec, nil
}

// Parse loads a description from bytes and validates it. External references are
// refused: the description must be complete in itself, and loading never touches the
// network or the file system.
func Parse(data []byte) (*Spec, error) {
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("api: loading description: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("api: invalid description: %w", err)
	}

	spec := &Spec{doc: doc}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			spec.ops = append(spec.ops, &Operation{
				Method:   strings.ToUpper(method),
				Path:     path,
				ID:       op.OperationID,
				segments: splitPath(path),
				item:     item,
				op:       op,
			})
		}
	}
	slices.SortFunc(spec.ops, func(a, b *Operation) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Method, b.Method))
	})
	return spec, nil
}

// Operations lists every operation in the description, sorted by path, then method.
func (s *Spec) Operations() []*Operation {
	return slices.Clone(s.ops)
}

// ServerURL returns the first server URL of the description, which for Portkey is the
// cloud base URL.
func (s *Spec) ServerURL() string {
	if len(s.doc.Servers) == 0 {
		return ""
	}
	return s.doc.Servers[0].URL
}

// APIKeyHeader returns the header name of the description's first apiKey security
// scheme, "x-portkey-api-key" for Portkey.
func (s *Spec) APIKeyHeader() string {
	names := make([]string, 0, len(s.doc.Components.SecuritySchemes))
	for name := range s.doc.Components.SecuritySchemes {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		scheme := s.doc.Components.SecuritySchemes[name].Value
		if scheme != nil && scheme.Type == "apiKey" && scheme.In == "header" {
			return scheme.Name
		}
	}
	return ""
}

// Errors returned by Spec.Find and Spec.FindRequest.
var (
	// ErrNoOperation means no path template of the description matches the path.
	ErrNoOperation = errors.New("api: no operation matches the path")
	// ErrMethodNotAllowed means a path template matches, but not with this method.
	ErrMethodNotAllowed = errors.New("api: the path exists, but not with this method")
)

// Match is an operation found for a request, with its path parameters decoded.
type Match struct {
	// Operation is the operation found.
	Operation *Operation
	// Params holds each path parameter's decoded value, keyed by its name.
	Params map[string]string
}

// Find returns the operation for a method and a path relative to the base URL, such as
// "/admin/users/user%2F1". The path must be in its escaped form (url.URL.EscapedPath):
// each template parameter matches exactly one non-empty segment, which is then
// unescaped, so "user%2F1" is one parameter "user/1" and never two segments. Where
// several templates match, the one with the most literal segments wins.
func (s *Spec) Find(method, escapedPath string) (*Match, error) {
	if !validEscapedPath(escapedPath) {
		return nil, fmt.Errorf("%w: %q is not an escaped absolute path", ErrNoOperation, escapedPath)
	}
	segments := splitPath(escapedPath)

	var best *Match
	bestLiterals := -1
	pathSeen := false
	for _, op := range s.ops {
		params, literals, ok := matchSegments(op.segments, segments)
		if !ok {
			continue
		}
		pathSeen = true
		if op.Method != method || literals <= bestLiterals {
			continue
		}
		best, bestLiterals = &Match{Operation: op, Params: params}, literals
	}

	switch {
	case best != nil:
		return best, nil
	case pathSeen:
		return nil, fmt.Errorf("%w: %s %s", ErrMethodNotAllowed, method, escapedPath)
	default:
		return nil, fmt.Errorf("%w: %s", ErrNoOperation, escapedPath)
	}
}

// FindRequest is Find for an incoming request whose URL path starts with prefix, the
// base path the API is mounted under ("/v1" for Portkey's cloud, "" at the root). The
// prefix is compared with the escaped path, so it must be written escaped itself (see
// CheckBasePath).
func (s *Spec) FindRequest(r *http.Request, prefix string) (*Match, error) {
	rel, ok := strings.CutPrefix(r.URL.EscapedPath(), strings.TrimSuffix(prefix, "/"))
	if !ok || !strings.HasPrefix(rel, "/") {
		return nil, fmt.Errorf("%w: %s is not under the base path %q",
			ErrNoOperation, r.URL.EscapedPath(), prefix)
	}
	return s.Find(r.Method, rel)
}

// validEscapedPath reports whether p is an absolute path in escaped form (RFC 3986): a
// leading "/", then only unreserved characters, sub-delimiters, ":", "@", "/" and
// well-formed %XX escapes.
func validEscapedPath(p string) bool {
	if !strings.HasPrefix(p, "/") {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '%':
			if i+2 >= len(p) || !isHex(p[i+1]) || !isHex(p[i+2]) {
				return false
			}
			i += 2
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("-._~!$&'()*+,;=:@/", c) >= 0:
		default:
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// CheckBasePath reports whether prefix can be a base path for FindRequest: empty, or
// an escaped absolute path without a trailing slash and without empty or dot segments.
func CheckBasePath(prefix string) error {
	if prefix == "" {
		return nil
	}
	if !validEscapedPath(prefix) || strings.HasSuffix(prefix, "/") {
		return fmt.Errorf("api: base path %q must be empty or an escaped path that starts "+
			"with \"/\" and does not end with it", prefix)
	}
	for _, seg := range splitPath(prefix) {
		if got, _ := url.PathUnescape(seg); got == "" || got == "." || got == ".." {
			return fmt.Errorf("api: base path %q has an empty or dot segment", prefix)
		}
	}
	return nil
}

func splitPath(path string) []string {
	return strings.Split(strings.TrimPrefix(path, "/"), "/")
}

// matchSegments matches escaped request segments against a template's segments. It
// reports the decoded parameters and how many literal segments matched.
func matchSegments(template, segments []string) (map[string]string, int, bool) {
	if len(template) != len(segments) {
		return nil, 0, false
	}

	params := map[string]string{}
	literals := 0
	for i, want := range template {
		got, err := url.PathUnescape(segments[i])
		if err != nil {
			return nil, 0, false
		}
		if name, ok := templateParam(want); ok {
			// A dot segment is not an id: servers and proxies resolve it away.
			if got == "" || got == "." || got == ".." {
				return nil, 0, false
			}
			params[name] = got
			continue
		}
		if got != want {
			return nil, 0, false
		}
		literals++
	}
	return params, literals, true
}

func templateParam(segment string) (string, bool) {
	if len(segment) > 2 && segment[0] == '{' && segment[len(segment)-1] == '}' {
		return segment[1 : len(segment)-1], true
	}
	return "", false
}
