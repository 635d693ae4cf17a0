package wrapper

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// maxErrorBody is how much of an error answer is read and kept. Portkey's error bodies
// are a few hundred bytes; anything past this is a proxy page or a fault, and reading it
// all would let a broken server fill the caller's memory.
const maxErrorBody = 1 << 20

// APIError is the error for every answer outside 2xx. Use errors.As to reach it, or the
// sentinels (ErrNotFound, ErrUnauthorized, ...) with errors.Is.
type APIError struct {
	// Method and Path are the request's method and URL path.
	Method string
	Path   string
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Code is Portkey's errorCode, such as "AB08" for an unknown user; empty when the
	// body carried none.
	Code string
	// Message is the server's message, empty when the body carried none.
	Message string
	// RequestID is the x-portkey-trace-id (or x-request-id) header of the answer, to quote
	// to Portkey's support.
	RequestID string
	// RetryAfter is the wait the server asked for in Retry-After, zero when it asked none.
	RetryAfter time.Duration
	// Body is the start of the answer's body, at most 1 MiB, with the API key masked.
	Body []byte
}

// Error reads like "portkey: DELETE /v1/admin/users/u1: 404 Not Found: AB08: user not
// found (request id 9f2c)".
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "portkey: %s %s: %d %s", e.Method, e.Path, e.StatusCode,
		http.StatusText(e.StatusCode))
	if e.Code != "" {
		b.WriteString(": " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.RequestID != "" {
		b.WriteString(" (request id " + e.RequestID + ")")
	}
	return b.String()
}

// Sentinels matched by APIError through errors.Is, by HTTP status.
var (
	ErrUnauthorized = errors.New("portkey: unauthorized (401)")
	ErrForbidden    = errors.New("portkey: forbidden (403)")
	ErrNotFound     = errors.New("portkey: not found (404)")
	ErrConflict     = errors.New("portkey: conflict (409)")
	ErrRateLimited  = errors.New("portkey: rate limited (429)")
)

// Is lets errors.Is(err, ErrNotFound) and the other sentinels match by status.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	}
	return false
}

// IsNotFound reports whether err is an APIError for a 404 answer, such as a user that
// does not exist (errorCode AB08).
func IsNotFound(err error) bool {
	return errors.Is(err, ErrNotFound)
}

// newAPIError reads a non-2xx answer through the size limit and decodes whichever error
// body shape Portkey's services use. The API key is masked wherever a server echoed it.
func newAPIError(resp *http.Response, apiKey string) *APIError {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	body = redact(body, apiKey)

	e := &APIError{
		Method:     resp.Request.Method,
		Path:       resp.Request.URL.EscapedPath(),
		StatusCode: resp.StatusCode,
		RequestID:  string(redact([]byte(requestID(resp.Header)), apiKey)),
		RetryAfter: retryAfter(resp.Header, time.Now()),
		Body:       body,
	}
	e.Code, e.Message = decodeErrorBody(body)
	return e
}

// errorBody holds every field of the error shapes Portkey answers with:
//
//	{"errorCode":"AB08","message":"..."}            admin API
//	{"success":false,"data":{"message":"..."}}      other control plane services
//	{"status":"failure","message":"..."}            gateway
//	{"error":{"message":"...","code":"..."}}        OpenAI-style gateway errors
type errorBody struct {
	ErrorCode string          `json:"errorCode"`
	Message   json.RawMessage `json:"message"`
	Data      *struct {
		Message json.RawMessage `json:"message"`
	} `json:"data"`
	Error *struct {
		Message json.RawMessage `json:"message"`
		Code    json.RawMessage `json:"code"`
	} `json:"error"`
}

// decodeErrorBody returns the code and message of an error body, or empty strings when
// the body is not one of the JSON shapes above (an HTML page, nothing, truncated JSON).
func decodeErrorBody(body []byte) (code, message string) {
	var eb errorBody
	if json.Unmarshal(body, &eb) != nil {
		return "", ""
	}

	code = eb.ErrorCode
	message = jsonText(eb.Message)
	if message == "" && eb.Data != nil {
		message = jsonText(eb.Data.Message)
	}
	if eb.Error != nil {
		if message == "" {
			message = jsonText(eb.Error.Message)
		}
		if code == "" {
			code = jsonText(eb.Error.Code)
		}
	}
	return code, message
}

// jsonText turns a JSON string into its text and any other JSON value into its compact
// source, so that a message sent as an object or a number is still shown.
func jsonText(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return ""
	}
	return buf.String()
}

func requestID(h http.Header) string {
	if id := h.Get("x-portkey-trace-id"); id != "" {
		return id
	}
	return h.Get("x-request-id")
}

// redact masks every copy of the API key in b.
func redact(b []byte, apiKey string) []byte {
	if apiKey == "" || !bytes.Contains(b, []byte(apiKey)) {
		return b
	}
	return bytes.ReplaceAll(b, []byte(apiKey), []byte("[redacted]"))
}
