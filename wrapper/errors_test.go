package wrapper_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/portkey-go/portkey/portkeytest"
	"github.com/portkey-go/portkey/wrapper"
)

func TestErrorShapes(t *testing.T) {
	t.Parallel()
	const js = "application/json"
	tests := []struct {
		name   string
		answer canned
		want   wrapper.APIError
	}{
		{"admin", canned{status: 403, contentType: js, body: `{"errorCode":"AB03","message":"not allowed"}`},
			wrapper.APIError{StatusCode: 403, Code: "AB03", Message: "not allowed"}},
		{"control plane service",
			canned{status: 400, contentType: js, body: `{"success":false,"data":{"message":"bad email"}}`},
			wrapper.APIError{StatusCode: 400, Message: "bad email"}},
		{"gateway", canned{status: 500, contentType: js, body: `{"status":"failure","message":"boom"}`},
			wrapper.APIError{StatusCode: 500, Message: "boom"}},
		{"OpenAI style", canned{status: 400, contentType: js, body: `{"error":{"message":"nope","code":"invalid"}}`},
			wrapper.APIError{StatusCode: 400, Message: "nope"}}, // only errorCode sets Code
		{"message not a string",
			canned{status: 409, contentType: js, body: `{"errorCode":"AB07","message":{"email":"taken"}}`},
			wrapper.APIError{StatusCode: 409, Code: "AB07", Message: `{"email":"taken"}`}},
		{"HTML from a proxy", canned{status: 502, contentType: "text/html", body: "<html><body>Bad Gateway</body></html>"},
			wrapper.APIError{StatusCode: 502}},
		{"no body, no type", canned{status: 401}, wrapper.APIError{StatusCode: 401}},
		{"truncated JSON", canned{status: 500, contentType: js, body: `{"errorCode":"AB04","mess`},
			wrapper.APIError{StatusCode: 500}},
		{"request id", canned{status: 404, contentType: js, body: `{"errorCode":"AB08","message":"gone"}`,
			header: map[string]string{"x-portkey-trace-id": "tr-42"}},
			wrapper.APIError{StatusCode: 404, Code: "AB08", Message: "gone", RequestID: "tr-42"}},
		{"request id fallback", canned{status: 404, header: map[string]string{"x-request-id": "rq-7"}},
			wrapper.APIError{StatusCode: 404, RequestID: "rq-7"}},
		{"error as a plain string", canned{status: 404, contentType: js, body: `{"status":404,"error":"Not Found"}`},
			wrapper.APIError{StatusCode: 404, Message: "Not Found"}},
		{"redirect not followed", canned{status: 302, header: map[string]string{"Location": "https://elsewhere.example/"}},
			wrapper.APIError{StatusCode: 302, Message: `redirect to "https://elsewhere.example/" not followed`}},
		{"exact keys only", canned{status: 404, contentType: js, body: `{"ERRORCODE":"AB08","Message":"x"}`},
			wrapper.APIError{StatusCode: 404}},
		{"AB08 outside errorCode", canned{status: 404, contentType: js, body: `{"error":{"code":"AB08","message":"m"}}`},
			wrapper.APIError{StatusCode: 404, Message: "m"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := prefixed(t, tt.answer.write)
			c, _ := newClient(t, srv.URL+prefix, wrapper.WithMaxRetries(0))

			err := c.Users.Delete(context.Background(), "user_1")
			var got *wrapper.APIError
			if !errors.As(err, &got) {
				t.Fatalf("Delete error = %v, want *APIError", err)
			}
			if got.StatusCode != tt.want.StatusCode || got.Code != tt.want.Code ||
				got.Message != tt.want.Message || got.RequestID != tt.want.RequestID {
				t.Errorf("got status %d code %q message %q request id %q, want %+v",
					got.StatusCode, got.Code, got.Message, got.RequestID, tt.want)
			}
			if string(got.Body) != tt.answer.body || got.Method != "DELETE" || got.Path != prefix+"/admin/users/user_1" {
				t.Errorf("Body %q Method %q Path %q", got.Body, got.Method, got.Path)
			}
		})
	}
}

// TestErrorBodyIsReadThroughALimit answers with a 50 MB error body. The client keeps the
// first 1 MiB, stops reading there, and stays small: the server gets to send little more
// than the limit and the socket buffers, and the call allocates a few MiB. It does not run
// in parallel, so that the allocation count is this call's alone.
func TestErrorBodyIsReadThroughALimit(t *testing.T) {
	const size = 50 << 20
	var sent atomic.Int64
	srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(size))
		w.WriteHeader(500)
		chunk := bytes.Repeat([]byte("x"), 64<<10)
		for range size / len(chunk) {
			n, err := w.Write(chunk)
			sent.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	c, _ := newClient(t, srv.URL+prefix)

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err := c.Users.Delete(context.Background(), "user_1")
	runtime.ReadMemStats(&after)
	srv.Close() // waits for the handler, so that sent is final

	var apiErr *wrapper.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 {
		t.Fatalf("Delete error = %v", err)
	}
	// The cut loses the tail where a broken copy of the key could hide (10 bytes for
	// each byte of the key), and says so with "…".
	if want := 1<<20 - 10*len(testKey) + len("…"); len(apiErr.Body) != want || !bytes.HasSuffix(apiErr.Body, []byte("x…")) {
		t.Errorf("kept %d bytes of the body ending %q, want %d ending in x…", len(apiErr.Body),
			apiErr.Body[max(0, len(apiErr.Body)-8):], want)
	}
	if used := after.TotalAlloc - before.TotalAlloc; used > 16<<20 {
		t.Errorf("one call allocated %d MiB", used>>20)
	}
	if sent.Load() > 16<<20 {
		t.Errorf("the server got to send %d MiB of %d", sent.Load()>>20, size>>20)
	}
	t.Logf("allocated %d KiB; the server sent %d KiB of %d MiB", (after.TotalAlloc-before.TotalAlloc)>>10,
		sent.Load()>>10, size>>20)
}

// TestAPIKeyNeverInErrors makes a server echo the key every way it can and checks that
// no error text, field or body shows it.
func TestAPIKeyNeverInErrors(t *testing.T) {
	t.Parallel()
	srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("x-portkey-api-key")
		w.Header().Set("x-portkey-trace-id", "trace-"+key)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(401)
		io.WriteString(w, `{"errorCode":"AB05","message":"key `+key+` is not valid"}`)
	})
	c, _ := newClient(t, srv.URL+prefix)

	err := c.Users.Delete(context.Background(), "user_1")
	var apiErr *wrapper.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("Delete error = %v", err)
	}
	for what, s := range map[string]string{"Error()": err.Error(), "%+v": fmt.Sprintf("%+v", apiErr),
		"%#v": fmt.Sprintf("%#v", apiErr), "Body": string(apiErr.Body), "Message": apiErr.Message,
		"RequestID": apiErr.RequestID} {
		if strings.Contains(s, testKey) {
			t.Errorf("%s shows the API key: %s", what, s)
		}
	}
	if apiErr.Message != "key [redacted] is not valid" {
		t.Errorf("Message = %q", apiErr.Message)
	}
}

// TestKeyStaysWithItsOrigin redirects to another origin: the other server must receive
// nothing, and the caller gets the redirect as an error instead of a false success.
func TestKeyStaysWithItsOrigin(t *testing.T) {
	t.Parallel()
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		if r.Header.Get("x-portkey-api-key") != "" {
			t.Errorf("the API key reached another origin")
		}
	}))
	t.Cleanup(other.Close)

	for _, status := range []int{301, 302, 303, 307, 308} {
		srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+prefix+"/admin/users/user_1", status)
		})
		c, _ := newClient(t, srv.URL+prefix)

		err := c.Users.Delete(context.Background(), "user_1")
		var apiErr *wrapper.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
			t.Errorf("redirect %d: Delete error = %v, want *APIError %d", status, err, status)
		}
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the other origin received %d requests", n)
	}
}

// TestRedirectsAreNeverFollowed redirects, on the same origin, to another user: following
// would remove that user and report this one removed.
func TestRedirectsAreNeverFollowed(t *testing.T) {
	t.Parallel()
	for _, status := range []int{301, 302, 303, 307, 308} {
		var followed atomic.Int32
		srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/someone_else") {
				followed.Add(1)
				return
			}
			http.Redirect(w, r, prefix+"/admin/users/someone_else", status)
		})
		c, _ := newClient(t, srv.URL+prefix)

		err := c.Users.Delete(context.Background(), "user_1")
		var apiErr *wrapper.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != status || followed.Load() != 0 {
			t.Errorf("redirect %d: error %v, %d requests followed it; want *APIError %d and none",
				status, err, followed.Load(), status)
		}
	}
}

func TestTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(release) })
	c, _ := newClient(t, srv.URL+prefix, wrapper.WithTimeout(50*time.Millisecond))

	err := c.Users.Delete(context.Background(), "user_1")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Delete error = %v, want the timeout", err)
	}
}

func TestCancelledContextSendsNothing(t *testing.T) {
	t.Parallel()
	srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
		t.Error("request sent with a cancelled context")
	})
	c, _ := newClient(t, srv.URL+prefix)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	if err := c.Users.Delete(ctx, "user_1"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Delete error = %v, want context.Canceled", err)
	}
}

func TestErrorStaysOnOneLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  *wrapper.APIError
		want string
	}{
		{&wrapper.APIError{Method: "DELETE", Path: "/v1/admin/users/u", StatusCode: 400, Code: "AB01",
			Message: "first\nsecond\x1b[31m red", RequestID: "id\r\n"},
			`portkey: DELETE /v1/admin/users/u: 400 Bad Request: AB01: first\nsecond\x1b[31m red (request id id\r\n)`},
		{&wrapper.APIError{Method: "DELETE", Path: "/x", StatusCode: 400, Message: "a\u2028b\u2029c"},
			`portkey: DELETE /x: 400 Bad Request: a\u2028b\u2029c`},
		{&wrapper.APIError{Method: "DELETE", Path: "/x", StatusCode: 499},
			"portkey: DELETE /x: 499"},
		{&wrapper.APIError{Method: "DELETE", Path: "/x", StatusCode: 503, RetryAfter: time.Hour},
			"portkey: DELETE /x: 503 Service Unavailable (retry after 1h0m0s)"},
		{&wrapper.APIError{Method: "DELETE", Path: "/admin/users/u", StatusCode: 404},
			"portkey: DELETE /admin/users/u: 404 Not Found (not an answer from Portkey's admin API: is the base URL right?)"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q\nwant      %q", got, tt.want)
		}
	}
}

// TestWrongBasePathIsNotNotFound points the client at the server's root instead of its
// /v1 base path. The 404 that follows must not read as "user already removed".
func TestWrongBasePathIsNotNotFound(t *testing.T) {
	t.Parallel()
	srv := portkeytest.NewServer(t, portkeytest.WithUsers(portkeytest.User{ID: "user_1"}))
	c, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithAPIKey(srv.APIKey),
		wrapper.WithSelfHosted(strings.TrimSuffix(srv.URL, "/v1")), wrapper.WithHTTPClient(srv.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}

	err = c.Users.Delete(context.Background(), "user_1")
	var apiErr *wrapper.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || wrapper.IsNotFound(err) {
		t.Fatalf("Delete error = %v; want a 404 that IsNotFound rejects", err)
	}
	if !strings.Contains(err.Error(), "is the base URL right?") {
		t.Errorf("Error() = %q, want a hint about the base URL", err)
	}
	if _, ok := srv.User("user_1"); !ok {
		t.Error("user_1 was removed")
	}
}
