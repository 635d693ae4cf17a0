package wrapper_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/portkey-go/portkey/wrapper"
)

// keyFree fails the test if the API key shows in any rendering of v, however encoded,
// or, for an error, in any error of its chain.
func keyFree(t *testing.T, what string, v any) {
	t.Helper()
	keyFreeOf(t, what, v, testKey)
}

func keyFreeOf(t *testing.T, what string, v any, key string) {
	t.Helper()
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		s := fmt.Sprintf(format, v)
		if strings.Contains(s, fmt.Sprintf("%x", key)) || holdsKey(s, key) {
			t.Errorf("%s printed with %s shows the API key: %s", what, format, s)
		}
	}
	if err, ok := v.(error); ok {
		for inner := errors.Unwrap(err); inner != nil; inner = errors.Unwrap(inner) {
			keyFreeOf(t, what+" (wrapped)", inner, key)
		}
	}
}

// echoed runs one delete against a server written by h and returns the *APIError,
// after checking that the key shows in no rendering of it.
func echoed(t *testing.T, h http.HandlerFunc) *wrapper.APIError {
	t.Helper()
	srv := prefixed(t, h)
	c, _ := newClient(t, srv.URL+prefix)

	err := c.Users.Delete(context.Background(), "user_1")
	var apiErr *wrapper.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("Delete error = %v, want *APIError", err)
	}
	keyFree(t, "error", err)
	return apiErr
}

// holdsKey reports whether s holds key as is or after undoing up to three levels of
// percent-encoding and backslash escapes. It is written apart from the package's own
// decoding, so that a fault there cannot hide itself.
func holdsKey(s, key string) bool {
	for range 4 {
		if strings.Contains(s, key) {
			return true
		}
		if !strings.ContainsAny(s, `%\`) {
			return false // nothing left to decode
		}
		s = escapes.ReplaceAllStringFunc(s, func(e string) string {
			switch {
			case e[0] == '%':
				b, _ := strconv.ParseUint(e[1:], 16, 8)
				return string(rune(b))
			case e[1] == 'u' || e[1] == 'x':
				r, _ := strconv.ParseUint(e[2:], 16, 32)
				return string(rune(r))
			case e[1] == 'n':
				return "\n"
			case e[1] == 't':
				return "\t"
			}
			return e[1:]
		})
	}
	return false
}

var escapes = regexp.MustCompile(`%[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|\\.`)

// percentEncoded spells every byte of s as %XX.
func percentEncoded(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "%%%02X", s[i])
	}
	return b.String()
}

// TestClientNeverPrintsTheKey formats the client itself, as a debugging caller would.
func TestClientNeverPrintsTheKey(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t, "https://cp.example/v1")
	keyFree(t, "*Client", c)
	keyFree(t, "Client", *c)
	keyFree(t, "Users", c.Users)
	keyFree(t, "a struct holding a client", struct{ c *wrapper.Client }{c})
	keyFree(t, "a struct holding a client value", struct{ c wrapper.Client }{*c})
}

// TestKeyEchoedInEncodedJSON echoes the key with \u escapes, which a byte search of the
// body cannot see: the decoded fields must still be masked, and the body withheld.
func TestKeyEchoedInEncodedJSON(t *testing.T) {
	t.Parallel()
	apiErr := echoed(t, func(w http.ResponseWriter, r *http.Request) {
		var escaped strings.Builder
		for _, c := range r.Header.Get("x-portkey-api-key") {
			fmt.Fprintf(&escaped, `\u%04x`, c)
		}
		w.WriteHeader(401)
		fmt.Fprintf(w, `{"errorCode":"%s","message":"bad key %s","data":{"k":"%s"}}`, escaped.String(),
			escaped.String(), escaped.String())
	})
	if apiErr.Code != "[redacted]" || apiErr.Message != "bad key [redacted]" {
		t.Errorf("Code %q, Message %q", apiErr.Code, apiErr.Message)
	}
	if strings.Contains(string(apiErr.Body), `\u`) {
		t.Errorf("Body still holds the encoded key: %s", apiErr.Body)
	}
}

// minPartial is the shortest start of the key that would say something about it.
const minPartial = 4

// TestKeyAtTheSizeLimit puts the key where the 1 MiB cut splits it: no start of the key
// may be left in Body.
func TestKeyAtTheSizeLimit(t *testing.T) {
	t.Parallel()
	apiErr := echoed(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(500)
		io.WriteString(w, strings.Repeat("x", 1<<20-len(testKey)+1)+testKey)
	})
	if strings.Contains(string(apiErr.Body), testKey[:minPartial]) || !strings.HasSuffix(string(apiErr.Body), "x…") {
		t.Errorf("Body ends with %q", apiErr.Body[len(apiErr.Body)-40:])
	}
}

// TestKeyInRedirects makes a server put the key into the Location it redirects to, and
// into a Location that does not parse; the error names the Location.
func TestKeyInRedirects(t *testing.T) {
	t.Parallel()
	tests := map[string]http.HandlerFunc{
		"in the Location": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, prefix+"/admin/echo?k="+r.Header.Get("x-portkey-api-key"), http.StatusTemporaryRedirect)
		},
		"in an unparsable Location": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", "http://[::1/"+r.Header.Get("x-portkey-api-key"))
			w.WriteHeader(http.StatusTemporaryRedirect)
		},
	}
	for name, h := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := prefixed(t, h)
			c, _ := newClient(t, srv.URL+prefix)
			err := c.Users.Delete(context.Background(), "user_1")
			if err == nil {
				t.Fatal("Delete succeeded")
			}
			keyFree(t, "error", err)
		})
	}
}

// TestKeyInMalformedAnswers echoes the key in answers Go's HTTP client refuses to parse;
// its errors quote the offending bytes.
func TestKeyInMalformedAnswers(t *testing.T) {
	t.Parallel()
	answers := []string{
		testKey + "\r\n\r\n",
		"HTTP/1.1 " + testKey + " OK\r\n\r\n",
		"HTTP/1.1 500 Internal Server Error\r\n" + testKey + "\r\n\r\n",
		"HTTP/1.1 500 Internal Server Error\r\nContent-Length: " + testKey + "\r\n\r\n",
		"HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: " + testKey + "\r\n\r\n",
	}
	for _, answer := range answers {
		addr := rawServer(t, func(conn net.Conn) { io.WriteString(conn, answer) })
		c, _ := newClient(t, "http://"+addr+"/v1")
		err := c.Users.Delete(context.Background(), "user_1")
		if err == nil {
			t.Errorf("answer %q: Delete succeeded", answer)
			continue
		}
		keyFree(t, "error", err)
	}
}

// TestKeyInReasonPhraseWhileWaiting: the error for a wait cut short names the last
// answer's status line, which the server wrote.
func TestKeyInReasonPhraseWhileWaiting(t *testing.T) {
	t.Parallel()
	addr := rawServer(t, func(conn net.Conn) {
		io.WriteString(conn, "HTTP/1.1 503 "+testKey+"\r\nRetry-After: 5\r\nContent-Length: 0\r\n\r\n")
	})
	ctx, cancel := context.WithCancel(context.Background())
	c, _ := newClient(t, "http://"+addr+"/v1", wrapper.WithWait(func(ctx context.Context, d time.Duration) error {
		cancel()
		return ctx.Err()
	}))

	err := c.Users.Delete(ctx, "user_1")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Delete error = %v, want context.Canceled", err)
	}
	keyFree(t, "error", err)
}

// TestKeyInABadBaseURL: a base URL pasted together with the key is refused without
// repeating the key.
func TestKeyInABadBaseURL(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"https://cp.example/v1?key=" + testKey, "cp.example/" + testKey,
		"https://cp.example:" + testKey + "/v1", " " + testKey} {
		_, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithAPIKey(testKey), wrapper.WithSelfHosted(raw))
		if err == nil {
			t.Fatalf("New accepted %q", raw)
		}
		keyFree(t, "error", err)
	}
}

// TestKeyInEncodedForms echoes the key spelled in ways a byte search cannot see.
func TestKeyInEncodedForms(t *testing.T) {
	t.Parallel()
	var unicode strings.Builder
	for _, c := range testKey {
		fmt.Fprintf(&unicode, `\u%04x`, c)
	}
	pct := percentEncoded(testKey)
	mixed := testKey[:5] + pct[15:30] + testKey[10:]
	tests := map[string]http.HandlerFunc{
		"percent-encoded in Location": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", prefix+"/admin/k/"+pct)
			w.WriteHeader(307)
		},
		"half encoded in a message": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(400)
			io.WriteString(w, `{"errorCode":"AB01","message":"key `+mixed+`"}`)
		},
		"JSON escapes in a body that is not JSON": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(500)
			io.WriteString(w, "\ufeff{\"message\":\""+unicode.String()+"\"} trailing")
		},
		"escaped slashes": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(500)
			io.WriteString(w, `{"message":"`+strings.ReplaceAll(testKey, "-", `\-`)+`"}`)
		},
		"encoded twice": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(500)
			io.WriteString(w, strings.ReplaceAll(pct, "%", "%25"))
		},
		"encoded three times": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(500)
			io.WriteString(w, strings.ReplaceAll(pct, "%", "%2525"))
		},
	}
	for name, h := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			apiErr := echoed(t, h)
			for what, text := range map[string]string{"Message": apiErr.Message, "Body": string(apiErr.Body)} {
				if holdsKey(text, testKey) {
					t.Errorf("%s holds the key once decoded: %q", what, text)
				}
			}
		})
	}
}

// TestKeyInEncodedMalformedAnswer percent-encodes the key in a status line that Go's
// HTTP client quotes in its error, and checks the whole error chain.
func TestKeyInEncodedMalformedAnswer(t *testing.T) {
	t.Parallel()
	addr := rawServer(t, func(conn net.Conn) {
		io.WriteString(conn, "HTTP/1.1 "+percentEncoded(testKey)+" OK\r\n\r\n")
	})
	c, _ := newClient(t, "http://"+addr+"/v1")
	err := c.Users.Delete(context.Background(), "user_1")
	if err == nil {
		t.Fatal("Delete succeeded")
	}
	keyFree(t, "error", err)
	if !strings.Contains(err.Error(), "malformed HTTP status code") {
		t.Errorf("the masked error lost its meaning: %v", err)
	}
}

// TestErrorRenderingCannotSpellTheKey uses a key that Error's own escaping could spell
// out: a message holding the byte 0x01 is shown as \x01.
func TestErrorRenderingCannotSpellTheKey(t *testing.T) {
	t.Parallel()
	const oddKey = `pk-\x01-SECRET-abcdef`
	srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		io.WriteString(w, `{"errorCode":"AB01","message":"pk-\u0001-SECRET-abcdef"}`)
	})
	c, _ := newClient(t, srv.URL+prefix, wrapper.WithAPIKey(oddKey))
	err := c.Users.Delete(context.Background(), "user_1")
	if err == nil {
		t.Fatal("Delete succeeded")
	}
	keyFreeOf(t, "error", err, oddKey)
}

// TestKeySplitByACut puts the key at every offset around the point where a long error
// from the HTTP layer is cut before masking: in a malformed status line that Go quotes,
// and in the reason phrase of an answer that is retried until the deadline. No part of
// the key long enough to mean anything may survive the cut.
func TestKeySplitByACut(t *testing.T) {
	t.Parallel()
	const cutAt = 4 << 10
	fragment := testKey[:minPartial]
	for pad := cutAt - len(testKey) - 200; pad < cutAt+50; pad += 7 {
		answers := map[string]string{
			"malformed status line": "XTTP/1.1 " + strings.Repeat("A", pad) + testKey + "\r\n\r\n",
			"reason phrase":         "HTTP/1.1 503 " + strings.Repeat("A", pad) + testKey + "\r\nContent-Length: 0\r\n\r\n",
		}
		for name, answer := range answers {
			addr := rawServer(t, func(conn net.Conn) { io.WriteString(conn, answer) })
			c, _ := newClient(t, "http://"+addr+"/v1", wrapper.WithMaxRetries(1),
				wrapper.WithWait(func(ctx context.Context, _ time.Duration) error { return context.DeadlineExceeded }))
			err := c.Users.Delete(context.Background(), "user_1")
			if err == nil {
				t.Fatalf("%s, pad %d: no error", name, pad)
			}
			if text := err.Error(); strings.Contains(text, fragment) || holdsKey(text, testKey) {
				t.Fatalf("%s, pad %d: error shows part of the key: …%s", name, pad, text[max(0, len(text)-120):])
			}
		}
	}
}
