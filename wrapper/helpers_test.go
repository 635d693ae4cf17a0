package wrapper_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portkey-go/portkey/portkeytest"
	"github.com/portkey-go/portkey/wrapper"
)

// testKey is the API key the hand-written test servers expect. It is long and odd so
// that finding it in an error string cannot be a coincidence.
const testKey = "pk-live-SECRET-7f3a9c1e5b2d4f6a8c0e"

// prefix is where hand-written test servers mount the API, as a self-hosted control plane
// behind a path-routing proxy would.
const prefix = "/portkey/api/v1"

// prefixed starts a server that serves h under prefix and fails the test for any request
// that lost the prefix, so a client that drops or doubles part of the base path is caught.
func prefixed(t testing.TB, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if path := r.URL.EscapedPath(); !strings.HasPrefix(path, prefix+"/admin/") &&
			!strings.HasPrefix(path, prefix+"/scim/") {
			t.Errorf("request lost the base path: %s %s", r.Method, r.URL.EscapedPath())
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// waits records the waits between retries instead of sleeping through them.
type waits struct {
	mu  sync.Mutex
	got []time.Duration
}

func (w *waits) wait(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.got = append(w.got, d)
	w.mu.Unlock()
	return ctx.Err()
}

func (w *waits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.got...)
}

// newClient builds a client for a hand-written test server: no environment, the test
// key, no real sleeping between retries, and backoff at its ceiling.
func newClient(t testing.TB, baseURL string, opts ...wrapper.Option) (*wrapper.Client, *waits) {
	t.Helper()
	w := &waits{}
	all := append([]wrapper.Option{
		wrapper.WithoutEnvironment(), wrapper.WithAPIKey(testKey), wrapper.WithSelfHosted(baseURL),
		wrapper.WithWait(w.wait), wrapper.WithJitter(func(d time.Duration) time.Duration { return d }),
	}, opts...)
	c, err := wrapper.New(all...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, w
}

// localClient starts portkeytest with the given options and returns a client for it.
func localClient(t *testing.T, opts ...portkeytest.Option) (*wrapper.Client, *portkeytest.Server) {
	t.Helper()
	srv := portkeytest.NewServer(t, opts...)
	c, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithAPIKey(srv.APIKey),
		wrapper.WithSelfHosted(srv.URL), wrapper.WithHTTPClient(srv.HTTPClient()))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, srv
}

// noViolations fails the test if the local control plane saw traffic that breaks the spec.
func noViolations(t *testing.T, srv *portkeytest.Server) {
	t.Helper()
	for _, v := range srv.Violations() {
		t.Errorf("spec violation: %s", v)
	}
}

// canned is an answer a hand-written test server gives.
type canned struct {
	status      int
	contentType string
	body        string
	header      map[string]string
}

func (a canned) write(w http.ResponseWriter, _ *http.Request) {
	for k, v := range a.header {
		w.Header().Set(k, v)
	}
	if a.contentType != "" {
		w.Header().Set("Content-Type", a.contentType)
	}
	w.WriteHeader(a.status)
	_, _ = io.WriteString(w, a.body)
}

// rawServer accepts connections on loopback and hands each to answer after reading the
// request head, for answers net/http would refuse to write. It returns host:port.
func rawServer(t *testing.T, answer func(conn net.Conn)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		l.Close()
		wg.Wait()
	})
	wg.Go(func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer conn.Close()
				if _, err := http.ReadRequest(bufio.NewReader(conn)); err != nil {
					return
				}
				answer(conn)
			})
		}
	})
	return l.Addr().String()
}

// userNotFound is the admin API's answer for an unknown user.
var userNotFound = canned{status: http.StatusNotFound, contentType: "application/json",
	body: `{"errorCode":"AB08","message":"user not found"}`}
