package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// ValidateRequest checks a request against the operation it matched: path, query and
// header parameters, the request body and the API key header the description requires.
// It is stricter than the description in two ways: a query parameter or a body field
// the operation does not declare is refused. The request body is read and put back, so
// a handler can still read it.
func (s *Spec) ValidateRequest(ctx context.Context, r *http.Request, m *Match) error {
	if err := openapi3filter.ValidateRequest(ctx, s.requestInput(r, m)); err != nil {
		return fmt.Errorf("api: request breaks %s: %w", m.Operation.Key(), err)
	}
	if err := s.checkQuery(r, m); err != nil {
		return fmt.Errorf("api: request breaks %s: %w", m.Operation.Key(), err)
	}
	if err := checkBodyFields(r, m); err != nil {
		return fmt.Errorf("api: request breaks %s: %w", m.Operation.Key(), err)
	}
	return nil
}

// checkBodyFields refuses fields in a JSON request body that the body's schema does not
// declare, which openapi3filter lets through unless a schema says additionalProperties
// false: a client sending one has misspelled a field, and the real API would ignore it
// silently. Objects whose schema declares no properties, or allows additional ones, are
// left alone.
func checkBodyFields(r *http.Request, m *Match) error {
	body := m.Operation.op.RequestBody
	if body == nil || body.Value == nil || r.Body == nil {
		return nil
	}
	media := body.Value.Content.Get("application/json")
	if media == nil || media.Schema == nil || media.Schema.Value == nil {
		return nil
	}

	data, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err != nil {
		return err
	}
	// What was read goes back in front of what was not, so the handler sees it all.
	r.Body = readCloser{io.MultiReader(bytes.NewReader(data), r.Body), r.Body}
	if len(data) > maxRequestBody {
		return fmt.Errorf("body is larger than %d MiB", maxRequestBody>>20)
	}

	// One JSON value and nothing after it: openapi3filter reads only the first value,
	// so text after it would otherwise pass unseen.
	dec := json.NewDecoder(bytes.NewReader(data))
	var value any
	if err := dec.Decode(&value); err != nil {
		return fmt.Errorf("body is not JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("body holds more than one JSON value")
	}
	return undeclared(media.Schema.Value, value, "body")
}

// readCloser reads from one place and closes another.
type readCloser struct {
	io.Reader
	io.Closer
}

// maxRequestBody is the largest request body checked field by field. The admin API's
// bodies take a few hundred bytes; a bigger one is a fault in the client under test.
const maxRequestBody = 1 << 20

// undeclared walks value along schema and names the first field schema does not declare.
func undeclared(schema *openapi3.Schema, value any, at string) error {
	switch v := value.(type) {
	case map[string]any:
		closed := len(schema.Properties) > 0 && (schema.AdditionalProperties.Has == nil || !*schema.AdditionalProperties.Has) &&
			schema.AdditionalProperties.Schema == nil
		for _, name := range slices.Sorted(maps.Keys(v)) {
			prop, ok := schema.Properties[name]
			switch {
			case !ok && closed:
				return fmt.Errorf("%s.%s is not a declared field", at, name)
			case ok && prop.Value != nil:
				if err := undeclared(prop.Value, v[name], at+"."+name); err != nil {
					return err
				}
			}
		}
	case []any:
		if schema.Items == nil || schema.Items.Value == nil {
			return nil
		}
		for i, item := range v {
			if err := undeclared(schema.Items.Value, item, fmt.Sprintf("%s[%d]", at, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkQuery refuses query parameters the operation does not declare, which
// openapi3filter lets through: a client sending one has misspelled something.
func (s *Spec) checkQuery(r *http.Request, m *Match) error {
	declared := map[string]bool{}
	for _, params := range []openapi3.Parameters{m.Operation.item.Parameters, m.Operation.op.Parameters} {
		for _, p := range params {
			if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
				declared[p.Value.Name] = true
			}
		}
	}
	for name := range r.URL.Query() {
		if !declared[name] {
			return fmt.Errorf("query parameter %q is not declared", name)
		}
	}
	return nil
}

// ValidateResponse checks an answer to a request that matched m. Answers with a status
// the description does not list are accepted: Portkey documents few of its errors, and
// the error bodies are checked by the client's own decoding instead.
func (s *Spec) ValidateResponse(ctx context.Context, r *http.Request, m *Match,
	status int, header http.Header, body []byte) error {
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: s.requestInput(r, m),
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{},
	}
	if err := openapi3filter.ValidateResponse(ctx, input); err != nil {
		return fmt.Errorf("api: response %d breaks %s: %w", status, m.Operation.Key(), err)
	}
	return nil
}

func (s *Spec) requestInput(r *http.Request, m *Match) *openapi3filter.RequestValidationInput {
	return &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: m.Params,
		Route: &routers.Route{
			Spec:      s.doc,
			Path:      m.Operation.Path,
			PathItem:  m.Operation.item,
			Method:    m.Operation.Method,
			Operation: m.Operation.op,
		},
		Options: &openapi3filter.Options{
			AuthenticationFunc: checkCredentials,
			// A body where the operation declares none is a client fault, not noise.
			RejectWhenRequestBodyNotSpecified: true,
		},
	}
}

// checkCredentials enforces the description's security requirements the way a gateway
// would at the door: an apiKey scheme is met when its header, query parameter or cookie
// is present and non-empty. Whether the key is the right one is the server's business.
func checkCredentials(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	scheme := in.SecurityScheme
	if scheme == nil || scheme.Type != "apiKey" {
		return fmt.Errorf("security scheme %q is not supported", in.SecuritySchemeName)
	}

	r := in.RequestValidationInput.Request
	var value string
	switch scheme.In {
	case "header":
		value = r.Header.Get(scheme.Name)
	case "query":
		value = r.URL.Query().Get(scheme.Name)
	case "cookie":
		if c, err := r.Cookie(scheme.Name); err == nil {
			value = c.Value
		}
	}
	if value == "" {
		return errors.New("missing " + scheme.In + " " + scheme.Name)
	}
	return nil
}
