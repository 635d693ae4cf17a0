package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// ValidateRequest checks a request against the operation it matched: path, query and
// header parameters, the request body and the API key header the description requires.
// The request body is read and put back, so a handler can still read it.
func (s *Spec) ValidateRequest(ctx context.Context, r *http.Request, m *Match) error {
	if err := openapi3filter.ValidateRequest(ctx, s.requestInput(r, m)); err != nil {
		return fmt.Errorf("api: request breaks %s: %w", m.Operation.Key(), err)
	}
	if err := s.checkQuery(r, m); err != nil {
		return fmt.Errorf("api: request breaks %s: %w", m.Operation.Key(), err)
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
