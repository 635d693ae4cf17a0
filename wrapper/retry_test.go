package wrapper_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/portkey-go/portkey/wrapper"
)

// flaky answers the first len(statuses) requests with those statuses, then 200.
func flaky(t *testing.T, statuses []int, header http.Header) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i < len(statuses) {
			for k, v := range header {
				w.Header()[k] = v
			}
			w.WriteHeader(statuses[i])
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte("{}"))
	})
	return srv, &n
}

func TestRetriesOnStatuses(t *testing.T) {
	t.Parallel()
	for _, status := range []int{429, 502, 503, 504} {
		srv, n := flaky(t, []int{status, status}, nil)
		c, w := newClient(t, srv.URL+prefix)

		if err := c.Users.Delete(context.Background(), "user_1"); err != nil {
			t.Errorf("%d twice, then 200: Delete error = %v", status, err)
		}
		if n.Load() != 3 {
			t.Errorf("%d: %d attempts, want 3", status, n.Load())
		}
		// Backoff at its ceiling (the jitter hook returns it): 500ms, then 1s.
		if got := w.all(); !slices.Equal(got, []time.Duration{500 * time.Millisecond, time.Second}) {
			t.Errorf("%d: waits = %v", status, got)
		}
	}
}

func TestNoRetryOnOtherStatuses(t *testing.T) {
	t.Parallel()
	for _, status := range []int{400, 401, 403, 404, 409, 500, 501} {
		srv, n := flaky(t, []int{status}, nil)
		c, _ := newClient(t, srv.URL+prefix)

		err := c.Users.Delete(context.Background(), "user_1")
		var apiErr *wrapper.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != status || n.Load() != 1 {
			t.Errorf("%d: error %v after %d attempts, want the %d after one", status, err, n.Load(), status)
		}
	}
}

func TestRetriesGiveUp(t *testing.T) {
	t.Parallel()
	for _, retries := range []int{0, 1, 2, 5} {
		srv, n := flaky(t, []int{503, 503, 503, 503, 503, 503, 503}, nil)
		c, w := newClient(t, srv.URL+prefix, wrapper.WithMaxRetries(retries))

		err := c.Users.Delete(context.Background(), "user_1")
		var apiErr *wrapper.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
			t.Errorf("retries %d: error %v, want the last 503", retries, err)
		}
		if int(n.Load()) != retries+1 || len(w.all()) != retries {
			t.Errorf("retries %d: %d attempts and %d waits", retries, n.Load(), len(w.all()))
		}
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	srv, _ := flaky(t, []int{429}, http.Header{"Retry-After": {"3"}})
	c, w := newClient(t, srv.URL+prefix)

	if err := c.Users.Delete(context.Background(), "user_1"); err != nil {
		t.Fatal(err)
	}
	if got := w.all(); !slices.Equal(got, []time.Duration{3 * time.Second}) {
		t.Errorf("waits = %v, want [3s]", got)
	}
}

func TestRetryAfterBeyondTheCapIsReturned(t *testing.T) {
	t.Parallel()
	srv, n := flaky(t, []int{429}, http.Header{"Retry-After": {"3600"}})
	c, w := newClient(t, srv.URL+prefix)

	err := c.Users.Delete(context.Background(), "user_1")
	var apiErr *wrapper.APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, wrapper.ErrRateLimited) || apiErr.RetryAfter != time.Hour {
		t.Fatalf("Delete error = %#v, want 429 with RetryAfter 1h", err)
	}
	if n.Load() != 1 || len(w.all()) != 0 {
		t.Errorf("%d attempts, waits %v; want one attempt and no wait", n.Load(), w.all())
	}
}

func TestRetryAfterParsing(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		value string
		want  time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"-5", 0},
		{"7", 7 * time.Second},
		{" 7 ", 7 * time.Second},
		{"99999999999999999", 24 * time.Hour},
		{"99999999999999999999999", 24 * time.Hour},
		{"-99999999999999999999999", 0},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
		{now.AddDate(100, 0, 0).Format(http.TimeFormat), 24 * time.Hour},
		{"Fri, 04 Dec 2026 12:00:30 GMT", 30 * time.Second},
		{"soon", 0},
		{"1.5", 0},
		{"+2", 0},
		{"2s", 0},
		{"007", 7 * time.Second},
	}
	for _, tt := range tests {
		if got := wrapper.RetryAfter(http.Header{"Retry-After": {tt.value}}, now); got != tt.want {
			t.Errorf("Retry-After %q = %v, want %v", tt.value, got, tt.want)
		}
	}
}

func TestBackoffSchedule(t *testing.T) {
	t.Parallel()
	ceiling := func(d time.Duration) time.Duration { return d }
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second,
		8 * time.Second, 8 * time.Second}
	for n, w := range want {
		if got := wrapper.Backoff(n, ceiling); got != w {
			t.Errorf("backoff(%d) = %v, want %v", n, got, w)
		}
	}
	if got := wrapper.Backoff(1000, ceiling); got != 8*time.Second {
		t.Errorf("backoff(1000) = %v", got)
	}
}

func TestRetriesConnectionErrors(t *testing.T) {
	t.Parallel()
	// A listener that is closed at once: every dial is refused.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c, w := newClient(t, "http://"+addr+"/v1")

	err = c.Users.Delete(context.Background(), "user_1")
	var opErr *net.OpError
	if !errors.As(err, &opErr) {
		t.Fatalf("Delete error = %v, want a dial error", err)
	}
	if len(w.all()) != 2 {
		t.Errorf("waits = %v, want two retries", w.all())
	}
}

func TestRetriesAConnectionClosedBeforeAnswering(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
	})
	c, _ := newClient(t, srv.URL+prefix)

	if err := c.Users.Delete(context.Background(), "user_1"); err != nil {
		t.Fatalf("Delete error = %v, want success on retry", err)
	}
	if n.Load() < 2 {
		t.Errorf("%d attempts", n.Load())
	}
}

func TestRetryStopsWhenTheContextEnds(t *testing.T) {
	t.Parallel()
	srv, n := flaky(t, []int{503, 503, 503}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	// The wait hook cancels the context as a caller would mid-backoff.
	stop := wrapper.WithWait(func(ctx context.Context, d time.Duration) error {
		cancel()
		<-ctx.Done()
		return ctx.Err()
	})
	c, _ := newClient(t, srv.URL+prefix, stop)

	err := c.Users.Delete(ctx, "user_1")
	if !errors.Is(err, context.Canceled) || n.Load() != 1 {
		t.Fatalf("Delete error = %v after %d attempts, want context.Canceled after 1", err, n.Load())
	}
}

func TestRetryNotStartedPastTheDeadline(t *testing.T) {
	t.Parallel()
	srv, n := flaky(t, []int{503, 503}, http.Header{"Retry-After": {"30"}})
	c, w := newClient(t, srv.URL+prefix, wrapper.WithTimeout(5*time.Second))

	err := c.Users.Delete(context.Background(), "user_1")
	var apiErr *wrapper.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || n.Load() != 1 || len(w.all()) != 0 {
		t.Fatalf("error %v, %d attempts, waits %v; want the 503 at once", err, n.Load(), w.all())
	}
}

// TestRealWaitHonoursTheContext cancels the context during a real 50s Retry-After wait:
// the call must return at once. The 10s fallback only stops a broken build from hanging.
func TestRealWaitHonoursTheContext(t *testing.T) {
	t.Parallel()
	answered := make(chan struct{}, 1)
	srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "50")
		w.WriteHeader(503)
		answered <- struct{}{}
	})
	c, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithAPIKey(testKey),
		wrapper.WithSelfHosted(srv.URL+prefix))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Users.Delete(ctx, "user_1") }()

	<-answered
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Delete error = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Delete was still waiting 10s after its context was cancelled")
	}
}

// TestRetryCutShortKeepsTheReason: when the deadline ends a retry, the error still says
// what the attempt before got, so a 503 is not lost behind "context deadline exceeded".
func TestRetryCutShortKeepsTheReason(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.WriteHeader(503)
			return
		}
		<-r.Context().Done() // the retry never gets an answer
	})
	// No backoff, so the retry starts well inside the deadline and is cut short there.
	noWait := wrapper.WithJitter(func(time.Duration) time.Duration { return 0 })
	c, _ := newClient(t, srv.URL+prefix, wrapper.WithTimeout(200*time.Millisecond), noWait)

	err := c.Users.Delete(context.Background(), "user_1")
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "503 Service Unavailable") {
		t.Fatalf("Delete error = %v, want the deadline and the 503 before it", err)
	}
}

// TestHTTP2ResetIsRetried: over HTTP/2 a server that gives up on a request resets its
// stream rather than the connection. For a request that is safe to repeat that is a
// reset like any other, and it is retried; a delete it interrupted is then settled by
// the retry's "not found", as after a dropped connection.
func TestHTTP2ResetIsRetried(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	attempts := map[string]int{}
	c := http2Client(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		attempts[r.URL.Path]++
		n := attempts[r.URL.Path]
		mu.Unlock()
		if n == 1 {
			panic(http.ErrAbortHandler) // RST_STREAM with INTERNAL_ERROR
		}
		if r.Method == http.MethodDelete {
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"errorCode":"AB08","message":"user not found"}`)
			return
		}
		_, _ = io.WriteString(w, `{"id":"u1","email":"ada@example.com"}`)
	})

	if _, err := c.Users.Get(context.Background(), "u1"); err != nil {
		t.Errorf("Get after a reset stream: %v", err)
	}
	if err := c.Users.Delete(context.Background(), "u2"); err != nil {
		t.Errorf("Delete after a reset stream, then AB08: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	for path, n := range attempts {
		if n != 2 {
			t.Errorf("%s: %d attempts, want 2", path, n)
		}
	}
}
