package wrapper_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/portkey-go/portkey/wrapper"
)

// hang answers nothing until the client goes away.
func hang(w http.ResponseWriter, r *http.Request) {
	<-r.Context().Done()
}

// http2Client starts a TLS server that speaks HTTP/2, as Portkey's cloud and most
// HTTPS servers do, and returns a client of it.
func http2Client(t *testing.T, h http.HandlerFunc, opts ...wrapper.Option) *wrapper.Client {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	hc := srv.Client()
	t.Cleanup(hc.CloseIdleConnections)
	c, _ := newClient(t, srv.URL+prefix, append([]wrapper.Option{wrapper.WithHTTPClient(hc)}, opts...)...)
	return c
}

// TestTimeoutsOverHTTP2 cuts calls off every way a call can run out of time, over
// HTTP/2, whose code reports a cancelled request as context.Canceled whatever the
// cause: each error must still match context.DeadlineExceeded, as it does over HTTP/1.
func TestTimeoutsOverHTTP2(t *testing.T) {
	t.Parallel()
	stallBody := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"u`)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}
	tests := []struct {
		name string
		h    http.HandlerFunc
		call func(*wrapper.Client) error
	}{
		{"the client's timeout", hang, func(c *wrapper.Client) error {
			return c.Users.Delete(context.Background(), "u1")
		}},
		{"the call's timeout", hang, func(c *wrapper.Client) error {
			return c.Users.Delete(context.Background(), "u1", wrapper.WithCallTimeout(50*time.Millisecond))
		}},
		{"the caller's deadline", hang, func(c *wrapper.Client) error {
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			return c.Users.Delete(ctx, "u1")
		}},
		{"a body that stalls", stallBody, func(c *wrapper.Client) error {
			_, err := c.Users.Get(context.Background(), "u1")
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := http2Client(t, tt.h, wrapper.WithTimeout(100*time.Millisecond), wrapper.WithMaxRetries(0))
			for range 5 {
				err := tt.call(c)
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("error %v does not match context.DeadlineExceeded", err)
				}
				if errors.Is(err, context.Canceled) || strings.Contains(err.Error(), "canceled") {
					t.Fatalf("error %q matches or reads as a cancellation", err)
				}
			}
		})
	}
}

// TestCallerCauseKept: a caller's deadline that comes before the client's timeout ends
// the call with an error that matches both the deadline and the cause the caller gave it,
// over HTTP/1 and HTTP/2, whether the headers or the body were late. (net/http reports
// the cause alone over HTTP/1 and the deadline alone over HTTP/2.)
func TestCallerCauseKept(t *testing.T) {
	t.Parallel()
	stallBody := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"u`)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}
	http1 := func(t *testing.T, h http.HandlerFunc) *wrapper.Client {
		c, _ := newClient(t, prefixed(t, h).URL+prefix, wrapper.WithMaxRetries(0))
		return c
	}
	http2 := func(t *testing.T, h http.HandlerFunc) *wrapper.Client {
		return http2Client(t, h, wrapper.WithMaxRetries(0))
	}
	cause := errors.New("the offboarding window closed")
	for _, proto := range []struct {
		name   string
		client func(*testing.T, http.HandlerFunc) *wrapper.Client
	}{{"http1", http1}, {"http2", http2}} {
		for _, late := range []struct {
			name string
			h    http.HandlerFunc
		}{{"headers", hang}, {"body", stallBody}} {
			t.Run(proto.name+"/"+late.name, func(t *testing.T) {
				t.Parallel()
				c := proto.client(t, late.h)
				for range 5 {
					ctx, cancel := context.WithTimeoutCause(context.Background(), 30*time.Millisecond, cause)
					_, err := c.Users.Get(ctx, "u1")
					cancel()
					if !errors.Is(err, cause) || !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
						t.Fatalf("error %v: want it to match the cause and the deadline, not a cancellation", err)
					}
				}
			})
		}
	}
}

// TestCancelStaysACancellation: a caller who gives up is told so, never that time ran
// out, over either protocol.
func TestCancelStaysACancellation(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]*wrapper.Client{
		"http1": func() *wrapper.Client {
			c, _ := newClient(t, prefixed(t, hang).URL+prefix, wrapper.WithMaxRetries(0))
			return c
		}(),
		"http2": http2Client(t, hang, wrapper.WithMaxRetries(0)),
	} {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(30*time.Millisecond, cancel)
		err := c.Users.Delete(ctx, "u1")
		if !errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: error %v, want a cancellation only", name, err)
		}
	}
}

// TestExpiredCallerDeadlineLeavesOthersTimed: calls whose context has a zero deadline
// (expired before they start) on a busy client must not stop the client from cutting off
// its other calls on time.
func TestExpiredCallerDeadlineLeavesOthersTimed(t *testing.T) {
	t.Parallel()
	srv := prefixed(t, hang)
	c, _ := newClient(t, srv.URL+prefix, wrapper.WithMaxRetries(0))
	expired, cancel := context.WithDeadline(context.Background(), time.Time{})
	defer cancel()

	done := make(chan time.Duration, 1)
	start := time.Now()
	go func() {
		_ = c.Users.Delete(context.Background(), "short", wrapper.WithCallTimeout(100*time.Millisecond))
		done <- time.Since(start)
	}()
	for range 20 {
		if err := c.Users.Delete(expired, "u1"); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("expired context: %v", err)
		}
	}
	long := make(chan struct{})
	go func() {
		defer close(long)
		_ = c.Users.Delete(context.Background(), "long", wrapper.WithCallTimeout(time.Second))
	}()
	select {
	case took := <-done:
		if took > 2*time.Second {
			t.Errorf("a 100ms call took %v", took)
		}
	case <-time.After(4 * time.Second):
		t.Fatal("a 100ms call still runs after 4s")
	}
	<-long
}

// memoryTransport answers in memory, as tests under testing/synctest must: 204 to every
// request, or nothing at all for user "hang", until the request is cancelled.
type memoryTransport struct{}

func (memoryTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/hang") {
		<-r.Context().Done()
		return nil, context.Cause(r.Context())
	}
	return &http.Response{StatusCode: http.StatusNoContent, Body: http.NoBody, Header: http.Header{},
		Request: r}, nil
}

// TestClientAcrossSynctestBubbles shares one client between a synctest bubble, whose
// clock is its own, and the real clock, in both orders: timeouts must fire in each.
func TestClientAcrossSynctestBubbles(t *testing.T) {
	t.Parallel()
	newMemoryClient := func(t *testing.T) *wrapper.Client {
		c, _ := newClient(t, "https://cp.example/v1", wrapper.WithMaxRetries(0),
			wrapper.WithHTTPClient(&http.Client{Transport: memoryTransport{}}))
		return c
	}
	inBubble := func(t *testing.T, c *wrapper.Client) {
		synctest.Test(t, func(t *testing.T) {
			if err := c.Users.Delete(context.Background(), "u1"); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			err := c.Users.Delete(context.Background(), "hang", wrapper.WithCallTimeout(time.Second))
			if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != time.Second {
				t.Errorf("in the bubble: %v after %v, want a timeout at 1s", err, time.Since(start))
			}
		})
	}
	outside := func(t *testing.T, c *wrapper.Client) {
		done := make(chan error, 1)
		go func() {
			done <- c.Users.Delete(context.Background(), "hang", wrapper.WithCallTimeout(100*time.Millisecond))
		}()
		select {
		case err := <-done:
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("outside: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("outside: a 100ms call still runs after 5s")
		}
	}

	t.Run("bubble first", func(t *testing.T) {
		c := newMemoryClient(t)
		inBubble(t, c)
		outside(t, c)
	})
	t.Run("outside first", func(t *testing.T) {
		c := newMemoryClient(t)
		outside(t, c)
		inBubble(t, c)
		outside(t, c)
	})
}
