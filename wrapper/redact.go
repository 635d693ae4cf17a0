package wrapper

import (
	"bytes"
	"encoding/json"
	"strings"
)

// masked stands in for the API key wherever a server or a lower layer repeated it.
const masked = "[redacted]"

// minPartialKey is the shortest start of the key that is masked where a body was cut off
// at the size limit; anything shorter says nothing about the key.
const minPartialKey = 4

// credential holds the API key inside a function, not a string field, so that no fmt
// verb prints it: fmt shows a function as an address, even inside a struct whose
// unexported fields it walks without calling any method.
type credential struct {
	key func() string
}

func newCredential(key string) *credential {
	return &credential{key: func() string { return key }}
}

// maskString replaces every copy of the key in s.
func (c *credential) maskString(s string) string {
	key := c.key()
	if !strings.Contains(s, key) {
		return s
	}
	return strings.ReplaceAll(s, key, masked)
}

// maskBody replaces every copy of the key in an error body. Where the body was cut off
// at the size limit, a tail that is the start of the key is masked too. Where the key
// is there only in an encoded form, such as JSON \u escapes, the body is withheld.
func (c *credential) maskBody(body []byte, truncated bool) []byte {
	key := c.key()
	body = bytes.ReplaceAll(body, []byte(key), []byte(masked))
	if truncated {
		for n := min(len(key)-1, len(body)); n >= minPartialKey; n-- {
			if bytes.HasSuffix(body, []byte(key[:n])) {
				body = append(body[:len(body)-n:len(body)-n], masked...)
				break
			}
		}
	}
	if jsonHolds(body, key) {
		return []byte(masked + ": the body held the API key in an encoded form")
	}
	return body
}

// maskError hides the key in the text of an error from below the wrapper: Go's HTTP
// client quotes URLs and malformed answers in its errors, and a hostile server can put
// the key in either. errors.Is and errors.As still reach the original error.
func (c *credential) maskError(err error) error {
	if err == nil || !strings.Contains(err.Error(), c.key()) {
		return err
	}
	return &maskedError{err: err, text: c.maskString(err.Error())}
}

type maskedError struct {
	err  error
	text string
}

func (e *maskedError) Error() string { return e.text }
func (e *maskedError) Unwrap() error { return e.err }

// jsonHolds reports whether body is JSON with a string that contains key once decoded.
func jsonHolds(body []byte, key string) bool {
	if !json.Valid(body) || !bytes.Contains(body, []byte(`\u`)) {
		return false
	}
	var v any
	if json.Unmarshal(body, &v) != nil {
		return false
	}
	return holds(v, key)
}

func holds(v any, key string) bool {
	switch v := v.(type) {
	case string:
		return strings.Contains(v, key)
	case []any:
		for _, e := range v {
			if holds(e, key) {
				return true
			}
		}
	case map[string]any:
		for k, e := range v {
			if strings.Contains(k, key) || holds(e, key) {
				return true
			}
		}
	}
	return false
}
