package wrapper

import (
	"bytes"
	"cmp"
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
	if e.StatusCode == http.StatusNotFound && !e.fromAdminAPI() {
		b.WriteString(" (not an answer from Portkey's admin API: is the base URL right?)")
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after " + e.RetryAfter.String() + ")")
	}
	if e.RequestID != "" {
		b.WriteString(" (request id " + oneLine(e.RequestID) + ")")
	}
	return b.String()
}

// fromAdminAPI reports whether Code is one of the admin API's error codes, "AB" and two
// digits (AB01 to AB09 today). Proxies, routers and Portkey's other services answer
// without one.
func (e *APIError) fromAdminAPI() bool {
	c := e.Code
	return len(c) == 4 && c[:2] == "AB" && c[2] >= '0' && c[2] <= '9' && c[3] >= '0' && c[3] <= '9'
}

// maxShown is how many characters of a server's text an error message shows; the whole
// text stays in the APIError's fields.
const maxShown = 512

// oneLine escapes control characters (newlines, terminal escapes) in text a server sent,
// and shortens it to maxShown characters.
func oneLine(s string) string {
	if len(s) > maxShown {
		runes := []rune(s)
		if len(runes) > maxShown {
			s = string(runes[:maxShown]) + "…"
		}
	}
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
	// ErrNotFound matches a 404 answer that carries one of the admin API's error codes,
	// such as AB08 for an unknown user. Any other 404 (a proxy's or router's page,
	// another service's error) is what a wrong base URL produces, and does not match:
	// it must not pass for "already removed".
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
		return e.StatusCode == http.StatusNotFound && e.fromAdminAPI()
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	}
	return false
}

// IsNotFound reports whether err is an *APIError for a 404 answer from Portkey's admin
// API, such as a user that does not exist (errorCode AB08). See ErrNotFound.
func IsNotFound(err error) bool {
	return errors.Is(err, ErrNotFound)
}

// newAPIError reads a non-2xx answer through the size limit and decodes whichever error
// body shape Portkey's services use. Everything taken from the answer is masked for the
// API key, after decoding, so that an escaped copy cannot slip through.
func newAPIError(resp *http.Response, cred *credential) *APIError {
	// A 1xx final answer (101 Switching Protocols) has the raw connection for a body,
	// which no context governs: it is never read.
	var body []byte
	if resp.StatusCode >= 200 {
		body, _ = io.ReadAll(io.LimitReader(resp.Body, maxErrorBody+1))
	}
	truncated := len(body) > maxErrorBody
	body = body[:min(len(body), maxErrorBody)]

	e := &APIError{
		StatusCode: resp.StatusCode,
		RequestID:  cred.maskString(requestID(resp.Header)),
		RetryAfter: retryAfter(resp.Header, time.Now()),
	}
	if req := resp.Request; req != nil {
		e.Method, e.Path = req.Method, cred.maskString(req.URL.EscapedPath())
	}
	code, message := decodeErrorBody(body)
	e.Code, e.Message = cred.maskString(code), cred.maskString(message)
	e.Body = cred.maskBody(body, truncated)
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
	// Error is an object in OpenAI-style bodies and a plain string in some frameworks'
	// default pages, so it is decoded in a second step.
	Error json.RawMessage `json:"error"`
}

// nestedError is the OpenAI-style {"error":{"message":..., "code":...}}.
type nestedError struct {
	Message json.RawMessage `json:"message"`
	Code    json.RawMessage `json:"code"`
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

	var nested nestedError
	if json.Unmarshal(eb.Error, &nested) == nil {
		message = cmp.Or(message, jsonText(nested.Message))
		code = cmp.Or(code, jsonText(nested.Code))
	} else {
		message = cmp.Or(message, jsonText(eb.Error))
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
