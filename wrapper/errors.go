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
	"unicode"
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
	// A body cut short (at the limit, or because it stalled) ends with "…", having lost
	// the few hundred bytes before the cut where a broken copy of the key could hide.
	Body []byte

	// mask hides the API key in the finished message; nil for an APIError built by
	// hand. Masking the fields alone is not enough: the escaping Error does could spell
	// the key out again.
	mask func(string) string
}

// Error reads like "portkey: DELETE /v1/admin/users/u1: 404 Not Found: AB08: user not
// found (request id 9f2c)". What the server sent is shown with control characters
// escaped, so that an error message always stays on one line.
func (e APIError) Error() string {
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
	if e.StatusCode == http.StatusNotFound && e.Code == "" {
		b.WriteString(" (not an answer from Portkey's admin API: is the base URL right?)")
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after " + e.RetryAfter.String() + ")")
	}
	if e.RequestID != "" {
		b.WriteString(" (request id " + oneLine(e.RequestID) + ")")
	}
	if e.mask != nil {
		return e.mask(b.String())
	}
	return b.String()
}

// GoString prints the error for %#v, masked like Error: Go's quoting of the fields
// could otherwise spell the key out of escaped bytes.
func (e APIError) GoString() string {
	type fields APIError // the same fields without the methods, so Sprintf does not recurse
	s := fmt.Sprintf("%#v", fields(e))
	if e.mask != nil {
		return e.mask(s)
	}
	return s
}

// notFoundCode is the admin API's errorCode for a resource that does not exist.
const notFoundCode = "AB08"

// breaksLine reports whether r would break or garble a line of text: a control
// character, or a line or paragraph separator.
func breaksLine(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
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
	if !strings.ContainsFunc(s, breaksLine) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if breaksLine(r) {
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
	// ErrNotFound matches a 404 answer whose errorCode is AB08, the admin API's "not
	// found", as for an unknown user. Any other 404 (a proxy's or router's page, another
	// service's error) is what a wrong base URL produces, and does not match: it must
	// not pass for "already removed".
	ErrNotFound = errors.New("portkey: not found (404)")
	// ErrConflict matches a 409 answer (AB07).
	ErrConflict = errors.New("portkey: conflict (409)")
	// ErrRateLimited matches a 429 answer (AB06).
	ErrRateLimited = errors.New("portkey: rate limited (429)")
)

// Is lets errors.Is(err, ErrNotFound) and the other sentinels match: by status, and for
// ErrNotFound by errorCode AB08 too.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound && e.Code == notFoundCode
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	}
	return false
}

// IsNotFound reports whether err is an *APIError for a 404 answer with the admin API's
// errorCode AB08, such as for a user that does not exist. See ErrNotFound.
func IsNotFound(err error) bool {
	return errors.Is(err, ErrNotFound)
}

// newAPIError reads a non-2xx answer through the size limit and decodes whichever error
// body shape Portkey's services use. Everything taken from the answer is masked for the
// API key, after decoding, so that an escaped copy cannot slip through.
func newAPIError(resp *http.Response, cred *credential) *APIError {
	// A read that fails (a stalled body cut off after bodyGrace, a reset) leaves the
	// body cut short, just as the size limit does.
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody+1))
	truncated := len(body) > maxErrorBody || readErr != nil
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
	if message == "" && resp.StatusCode >= 300 && resp.StatusCode < 400 {
		// Masked before quoting: quoting adds a layer of escapes to see through.
		location := cred.maskString(resp.Header.Get("Location"))
		message = "redirect to " + strconv.Quote(location) + " not followed"
	}
	e.Code, e.Message = cred.maskString(code), cred.maskString(message)
	e.Body = cred.maskBody(body, truncated)
	e.Body = e.Body[:min(len(e.Body), maxErrorBody)] // masking can lengthen it
	e.mask = cred.maskString
	return e
}

// decodeErrorBody returns the code and message of an error body in one of the shapes
// Portkey's services answer with, or empty strings for anything else (an HTML page,
// nothing, truncated JSON):
//
//	{"errorCode":"AB08","message":"..."}            admin API
//	{"success":false,"data":{"message":"..."}}      other control plane services
//	{"status":"failure","message":"..."}            gateway
//	{"error":{"message":"..."}}, {"error":"..."}    OpenAI-style and framework pages
//
// Keys are matched exactly, and the code comes from errorCode alone: IsNotFound relies
// on it, so no other shape can pass for the admin API.
func decodeErrorBody(body []byte) (code, message string) {
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil {
		return "", ""
	}

	code = jsonText(fields["errorCode"])
	message = jsonText(fields["message"])
	for _, outer := range []string{"data", "error"} {
		var nested map[string]json.RawMessage
		if json.Unmarshal(fields[outer], &nested) == nil {
			message = cmp.Or(message, jsonText(nested["message"]))
		}
	}
	return code, cmp.Or(message, jsonText(fields["error"]))
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
