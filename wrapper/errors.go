package wrapper

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
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
	// Method is the request's HTTP method.
	Method string
	// Path is the request's escaped URL path, base path included.
	Path string
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
// found (request id 9f2c)". What the server sent is shown with control characters
// escaped, so that an error message always stays on one line.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "portkey: %s %s: %d", e.Method, e.Path, e.StatusCode)
	if text := http.StatusText(e.StatusCode); text != "" {
		b.WriteString(" " + text)
	}
	if e.Code != "" {
		b.WriteString(": " + oneLine(e.Code))
	}
	if e.Message != "" {
		b.WriteString(": " + oneLine(e.Message))
	}
	if e.StatusCode == http.StatusNotFound && !e.fromPortkey() {
		b.WriteString(" (not an error from Portkey's API: is the base URL right?)")
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after " + e.RetryAfter.String() + ")")
	}
	if e.RequestID != "" {
		b.WriteString(" (request id " + oneLine(e.RequestID) + ")")
	}
	return b.String()
}

// fromPortkey reports whether the body was one of Portkey's error shapes, rather than a
// page from a proxy or a router in front of it.
func (e *APIError) fromPortkey() bool {
	return e.Code != "" || e.Message != ""
}

// oneLine escapes control characters (newlines, terminal escapes) in text a server sent.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Sentinels that an *APIError matches with errors.Is, by HTTP status.
var (
	// ErrUnauthorized matches a 401 answer: the API key is missing or wrong (AB05).
	ErrUnauthorized = errors.New("portkey: unauthorized (401)")
	// ErrForbidden matches a 403 answer: the key may not do this (AB03).
	ErrForbidden = errors.New("portkey: forbidden (403)")
	// ErrNotFound matches a 404 answer that carries a Portkey error body, such as an
	// unknown user (AB08). A bare 404 from a proxy or router, which is what a wrong base
	// URL produces, does not match: it must not pass for "already removed".
	ErrNotFound = errors.New("portkey: not found (404)")
	// ErrConflict matches a 409 answer (AB07).
	ErrConflict = errors.New("portkey: conflict (409)")
	// ErrRateLimited matches a 429 answer (AB06).
	ErrRateLimited = errors.New("portkey: rate limited (429)")
)

// Is lets errors.Is(err, ErrNotFound) and the other sentinels match by status.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound && e.fromPortkey()
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	}
	return false
}

// IsNotFound reports whether err is an *APIError for a 404 answer from Portkey's API,
// such as a user that does not exist (errorCode AB08). See ErrNotFound.
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
