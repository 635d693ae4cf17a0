package wrapper_test

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/portkey-go/portkey/wrapper"
)

// env builds a fake environment for WithLookupEnv.
func env(vars map[string]string) wrapper.Option {
	return wrapper.WithLookupEnv(func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	})
}

func TestNewBaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts []wrapper.Option
		want string
	}{
		{"cloud by default", nil, "https://api.portkey.ai/v1/"},
		{"self-hosted as given", []wrapper.Option{wrapper.WithSelfHosted("https://portkey.internal.example/v1")},
			"https://portkey.internal.example/v1/"},
		{"no /v1 added", []wrapper.Option{wrapper.WithSelfHosted("https://portkey.internal.example")},
			"https://portkey.internal.example/"},
		{"no /v1 removed, trailing slash tolerated",
			[]wrapper.Option{wrapper.WithSelfHosted("https://cp.example/a/v1/")}, "https://cp.example/a/v1/"},
		{"port kept", []wrapper.Option{wrapper.WithSelfHosted("https://cp.example:8443/v1")},
			"https://cp.example:8443/v1/"},
		{"http to loopback", []wrapper.Option{wrapper.WithSelfHosted("http://127.0.0.1:8080/v1")},
			"http://127.0.0.1:8080/v1/"},
		{"http to localhost", []wrapper.Option{wrapper.WithSelfHosted("http://localhost:8080")},
			"http://localhost:8080/"},
		{"http to ::1", []wrapper.Option{wrapper.WithSelfHosted("http://[::1]:8080/v1")},
			"http://[::1]:8080/v1/"},
		{"http elsewhere when allowed", []wrapper.Option{wrapper.WithSelfHosted("http://cp.internal/v1"),
			wrapper.WithInsecureHTTP()}, "http://cp.internal/v1/"},
		{"from the environment", []wrapper.Option{env(map[string]string{
			"PORTKEY_BASE_URL": "https://env.example/v1"})}, "https://env.example/v1/"},
		{"option wins over environment", []wrapper.Option{wrapper.WithSelfHosted("https://opt.example/v1"),
			env(map[string]string{"PORTKEY_BASE_URL": "https://env.example/v1"})}, "https://opt.example/v1/"},
		{"empty variable is unset", []wrapper.Option{env(map[string]string{"PORTKEY_BASE_URL": ""})},
			"https://api.portkey.ai/v1/"},
		{"environment ignored on request", []wrapper.Option{wrapper.WithoutEnvironment(),
			env(map[string]string{"PORTKEY_BASE_URL": "https://env.example/v1"})}, "https://api.portkey.ai/v1/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := append([]wrapper.Option{wrapper.WithAPIKey(testKey)}, tt.opts...)
			c, err := wrapper.New(opts...)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if got := c.BaseURL(); got != tt.want {
				t.Errorf("BaseURL() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNewRefusesBadBaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw  string
		want string // part of the error besides the value
	}{
		{"", "empty"},
		{" https://cp.example/v1", "white space"},
		{"https://cp.example/v1\n", "white space"},
		{"cp.example/v1", "no scheme"},
		{"ftp://cp.example/v1", `scheme "ftp"`},
		{"https:///v1", "no host"},
		{"https:cp.example", "no host"},
		{"https://cp.example/v1?x=1", "query"},
		{"https://cp.example/v1?", "query"},
		{"https://cp.example/v1#top", "fragment"},
		{"https://cp.example/v1#", "fragment"},
		{"https://admin@cp.example/v1", "user info"},
		{"http://cp.example/v1", "plain http"},
		{"http://10.0.0.8/v1", "plain http"},
		{"https://cp.example//v1", "segment"},
		{"https://cp.example/v1//", "segment"},
		{"https://cp.example/v1/../admin", "segment"},
		{"https://cp.example/./v1", "segment"},
		{"https://cp.example/%2e%2e/v1", "segment"},
		{"https://cp.example/v1/..;/admin", "segment"},
		{"https://cp.example/v1%5C..%5Cadmin", "backslash"},
		{"https://cp.example:99999/v1", "port"},
		{"https://cp.example:0/v1", "port"},
		{"https://cp.example:08443/v1", "port"},
		{"https://cp.example:/v1", "port"},
		{"https://cp.example/v1/%2E", "segment"},
		{"https://cp.exa mple/v1", "parse"},
		{"https://cp.example/v1\x00", "parse"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			t.Parallel()
			_, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithAPIKey(testKey), wrapper.WithSelfHosted(tt.raw))
			if err == nil {
				t.Fatalf("New accepted base URL %q", tt.raw)
			}
			msg := err.Error()
			if !strings.Contains(msg, "WithSelfHosted") || !strings.Contains(msg, tt.want) {
				t.Errorf("error %q should name WithSelfHosted and say %q", msg, tt.want)
			}
			if tt.raw != "" && !strings.Contains(msg, strconv.Quote(tt.raw)) {
				t.Errorf("error %q does not show the value %q", msg, tt.raw)
			}
		})
	}
}

func TestNewNamesTheEnvironmentVariable(t *testing.T) {
	t.Parallel()
	_, err := wrapper.New(wrapper.WithAPIKey(testKey), env(map[string]string{"PORTKEY_BASE_URL": "ftp://x"}))
	if err == nil || !strings.Contains(err.Error(), "PORTKEY_BASE_URL") || !strings.Contains(err.Error(), "ftp://x") {
		t.Fatalf("error %v should name PORTKEY_BASE_URL and its value", err)
	}
}

func TestNewRedactsPasswordInBaseURL(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		"https://u:hunter2@cp.example/v1",
		"https://u:hunter2@cp.example:99x/v1", // does not parse
		"https://u:hunter2@[::1/v1",           // does not parse
		"https://u:hunter2@cp.example/v1 ",    // white space
		"ftp://u:hunter2@cp.example/v1",
		"https://u:hunter2/x@cp.example/v1", // the password holds a slash
		"https://u:hunter2?x@cp.example/v1",
		"https://u:hunter2#x@cp.example/v1",
		"//u:hunter2@cp.example/v1",
		"https:/u:hunter2@cp.example/v1",
		`https://u:hun"ter2@cp.example/v1`,  // quoted as hun\"ter2
		"https://u:hun\tter2@cp.example/v1", // quoted as hun\tter2
		"u:hunter2@cp.example/v1",           // no scheme: "u" reads as one
	} {
		_, err := wrapper.New(wrapper.WithAPIKey(testKey), wrapper.WithSelfHosted(raw))
		if err == nil || strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "ter2") ||
			!strings.Contains(err.Error(), "[redacted]") {
			t.Errorf("WithSelfHosted(%q): error %v should refuse the URL and mask its password", raw, err)
		}
	}
}

func TestNewAPIKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts []wrapper.Option
		want string // "" means New succeeds
	}{
		{"missing", []wrapper.Option{wrapper.WithoutEnvironment()}, "no API key"},
		{"empty option", []wrapper.Option{wrapper.WithAPIKey("")}, "WithAPIKey: API key is empty"},
		{"white space", []wrapper.Option{wrapper.WithAPIKey(testKey + " ")}, "WithAPIKey: API key has surrounding"},
		{"newline", []wrapper.Option{wrapper.WithAPIKey("pk-a\r\nX-Evil: 1")}, "WithAPIKey: API key holds a control"},
		{"from environment", []wrapper.Option{env(map[string]string{"PORTKEY_API_KEY": testKey})}, ""},
		{"bad in environment", []wrapper.Option{env(map[string]string{"PORTKEY_API_KEY": "\t" + testKey})},
			"PORTKEY_API_KEY: API key has surrounding"},
		{"empty variable is unset", []wrapper.Option{env(map[string]string{"PORTKEY_API_KEY": ""})}, "no API key"},
		{"environment ignored on request", []wrapper.Option{wrapper.WithoutEnvironment(),
			env(map[string]string{"PORTKEY_API_KEY": testKey})}, "no API key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := wrapper.New(tt.opts...)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("New: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("New error = %v, want it to say %q", err, tt.want)
			case err != nil && strings.Contains(err.Error(), "pk-"):
				t.Fatalf("error %q repeats the API key", err)
			}
		})
	}
}

func TestOptionsRefuseBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		opt  wrapper.Option
		want string
	}{
		{wrapper.WithHTTPClient(nil), "WithHTTPClient: client is nil"},
		{wrapper.WithMaxRetries(-1), "WithMaxRetries: -1 is negative"},
		{wrapper.WithTimeout(0), "WithTimeout: 0s is not positive"},
		{wrapper.WithTimeout(-time.Second), "WithTimeout: -1s is not positive"},
		{wrapper.WithUserAgent(""), "WithUserAgent"},
		{wrapper.WithUserAgent("x\r\ny"), "WithUserAgent"},
		{nil, "option 1 is nil"},
	}
	for _, tt := range tests {
		_, err := wrapper.New(wrapper.WithAPIKey(testKey), tt.opt)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New error = %v, want it to say %q", err, tt.want)
		}
	}
}

func TestWithHTTPClientIsNotChanged(t *testing.T) {
	t.Parallel()
	hc := &http.Client{Timeout: 7 * time.Second}
	if _, err := wrapper.New(wrapper.WithAPIKey(testKey), wrapper.WithHTTPClient(hc)); err != nil {
		t.Fatal(err)
	}
	if hc.CheckRedirect != nil || hc.Timeout != 7*time.Second {
		t.Errorf("New changed the caller's http.Client: %+v", hc)
	}
}

func TestAPIErrorIs(t *testing.T) {
	t.Parallel()
	sentinels := map[int]error{401: wrapper.ErrUnauthorized, 403: wrapper.ErrForbidden,
		404: wrapper.ErrNotFound, 409: wrapper.ErrConflict, 429: wrapper.ErrRateLimited}
	for status, want := range sentinels {
		err := error(&wrapper.APIError{StatusCode: status, Code: "AB08"})
		for _, other := range sentinels {
			if got := errors.Is(err, other); got != (other == want) {
				t.Errorf("errors.Is(%d, %v) = %v", status, other, got)
			}
		}
	}
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{&wrapper.APIError{StatusCode: 404, Code: "AB08", Message: "user not found"}, true},
		{&wrapper.APIError{StatusCode: 404, Code: "AB02", Message: "invalid id"}, false}, // a 404 "validation"
		{&wrapper.APIError{StatusCode: 404}, false},                                      // a router's page
		{&wrapper.APIError{StatusCode: 404, Message: "Not found"}, false},                // the gateway's shape
		{&wrapper.APIError{StatusCode: 404, Code: "invalid_request_error"}, false},       // an OpenAI-style API
		{&wrapper.APIError{StatusCode: 404, Code: "ABCD"}, false},
		{&wrapper.APIError{StatusCode: 404, Code: "AB80"}, false},
		{&wrapper.APIError{StatusCode: 400, Code: "AB08"}, false},
		{fmt.Errorf("wrapped: %w", &wrapper.APIError{StatusCode: 404, Code: "AB08"}), true},
		{errors.New("404"), false},
		{nil, false},
	} {
		if got := wrapper.IsNotFound(tt.err); got != tt.want {
			t.Errorf("IsNotFound(%v) = %v", tt.err, got)
		}
	}
}
