package wrapper_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/portkey-go/portkey/wrapper"
)

// TestCallHeaderStaysWithItsCall sends a header with one call and checks that the calls
// after it, on the same client, go without it.
func TestCallHeaderStaysWithItsCall(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var seen [][]string
	srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Values("X-Portkey-Trace-Id"))
		mu.Unlock()
		if got := r.Header.Values("X-Portkey-Api-Key"); len(got) != 1 || got[0] != testKey {
			t.Errorf("x-portkey-api-key = %d values, want the key once", len(got))
		}
	})
	c, _ := newClient(t, srv.URL+prefix)

	ctx := context.Background()
	if err := c.Users.Delete(ctx, "user_1", wrapper.WithCallHeader("x-portkey-trace-id", "offboard-42")); err != nil {
		t.Fatal(err)
	}
	if err := c.Users.Delete(ctx, "user_2"); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || len(seen[0]) != 1 || seen[0][0] != "offboard-42" || len(seen[1]) != 0 {
		t.Errorf("trace ids seen = %q, want [[offboard-42] []]", seen)
	}
}

// TestCallRetriesStayWithTheirCall turns retries off for one call; the next call on the
// same client retries as the client says.
func TestCallRetriesStayWithTheirCall(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	c, _ := newClient(t, srv.URL+prefix)

	ctx := context.Background()
	_ = c.Users.Delete(ctx, "user_1", wrapper.WithCallMaxRetries(0))
	if got := n.Swap(0); got != 1 {
		t.Errorf("with WithCallMaxRetries(0): %d attempts, want 1", got)
	}
	_ = c.Users.Delete(ctx, "user_1")
	if got := n.Load(); got != 1+wrapper.DefaultMaxRetries {
		t.Errorf("next call: %d attempts, want %d", got, 1+wrapper.DefaultMaxRetries)
	}
}

// TestCallTimeoutStaysWithItsCall gives one call a short timeout against a server that
// answers only when released; the next call keeps the client's timeout and succeeds.
func TestCallTimeoutStaysWithItsCall(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var n atomic.Int32
	srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			<-r.Context().Done() // holds until the client gives up
			return
		}
		close(release)
	})
	c, _ := newClient(t, srv.URL+prefix, wrapper.WithMaxRetries(0))

	err := c.Users.Delete(context.Background(), "user_1", wrapper.WithCallTimeout(50*time.Millisecond))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("with WithCallTimeout: %v, want the deadline", err)
	}
	if err := c.Users.Delete(context.Background(), "user_1"); err != nil {
		t.Errorf("next call: %v", err)
	}
	<-release
}

// TestBadCallOptionsSendNothing refuses each bad call option before any request, with an
// error that names the option and never the header's value.
func TestBadCallOptionsSendNothing(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) { n.Add(1) })
	c, _ := newClient(t, srv.URL+prefix)

	const secret = "value-" + testKey
	tests := []struct {
		name string
		opt  wrapper.CallOption
		want string
	}{
		{"zero timeout", wrapper.WithCallTimeout(0), "WithCallTimeout"},
		{"negative retries", wrapper.WithCallMaxRetries(-1), "WithCallMaxRetries"},
		{"API key header", wrapper.WithCallHeader("X-Portkey-API-Key", secret), "X-Portkey-Api-Key"},
		{"API key header, lower case", wrapper.WithCallHeader("x-portkey-api-key", secret), "WithCallHeader"},
		{"User-Agent", wrapper.WithCallHeader("user-agent", secret), "User-Agent"},
		{"Host", wrapper.WithCallHeader("Host", secret), "Host"},
		{"Content-Length", wrapper.WithCallHeader("Content-Length", "0"), "Content-Length"},
		{"Transfer-Encoding", wrapper.WithCallHeader("Transfer-Encoding", "chunked"), "Transfer-Encoding"},
		{"empty name", wrapper.WithCallHeader("", secret), "not an HTTP token"},
		{"name with a space", wrapper.WithCallHeader("X Trace", secret), "not an HTTP token"},
		{"name with a colon", wrapper.WithCallHeader("X-Trace:", secret), "not an HTTP token"},
		{"value with a line break", wrapper.WithCallHeader("X-Trace", secret+"\r\nX-Evil: 1"), "control character"},
		{"value with NUL", wrapper.WithCallHeader("X-Trace", secret+"\x00"), "control character"},
		{"nil option", nil, "call option 0 is nil"},
	}
	for _, tt := range tests {
		err := c.Users.Delete(context.Background(), "user_1", tt.opt)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one naming %q", tt.name, err, tt.want)
		} else if strings.Contains(err.Error(), secret[:12]) {
			t.Errorf("%s: error %q shows the header value", tt.name, err)
		}
	}
	if n.Load() != 0 {
		t.Errorf("%d requests sent, want none", n.Load())
	}
}

// TestCallOptionsUnderConcurrency shares one client between goroutines that each send
// their own header; every request carries exactly its own call's value (run with -race).
func TestCallOptionsUnderConcurrency(t *testing.T) {
	t.Parallel()
	srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
		id := strings.TrimPrefix(r.URL.Path, prefix+"/admin/users/")
		if got := r.Header.Values("X-Trace"); len(got) != 1 || got[0] != id {
			t.Errorf("request for %s carried X-Trace %q", id, got)
		}
	})
	c, _ := newClient(t, srv.URL+prefix)

	var wg sync.WaitGroup
	for g := range 32 {
		wg.Go(func() {
			for i := range 10 {
				id := "user_" + string(rune('a'+g%26)) + string(rune('a'+i))
				if err := c.Users.Delete(context.Background(), id, wrapper.WithCallHeader("X-Trace", id)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
}
