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

// limitedOnce answers the first request with status and Retry-After, then succeeds, and
// counts the requests it saw.
func limitedOnce(t *testing.T, status int, retryAfter string) (string, *atomic.Int32) {
	var n atomic.Int32
	srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			w.WriteHeader(status)
		}
	})
	return srv.URL + prefix, &n
}

// TestRetryAfterPausesEveryCall: a Retry-After told to one call holds back the next call
// on the same client too, before it sends anything; WithoutSharedWait turns that off.
func TestRetryAfterPausesEveryCall(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		status     int
		retryAfter string
		opts       []wrapper.Option
		shared     time.Duration // the pause the second call should wait, about
	}{
		{"429", http.StatusTooManyRequests, "30", nil, 30 * time.Second},
		{"503", http.StatusServiceUnavailable, "20", nil, 20 * time.Second},
		{"429 as a date", http.StatusTooManyRequests, "date 40s ahead", nil, 40 * time.Second},
		{"429 without Retry-After", http.StatusTooManyRequests, "", nil, 0},
		{"without the shared wait", http.StatusTooManyRequests, "30", []wrapper.Option{wrapper.WithoutSharedWait()}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.retryAfter == "date 40s ahead" {
				// Made here, not in the table: a parallel subtest may start seconds later.
				tt.retryAfter = time.Now().Add(40 * time.Second).UTC().Format(http.TimeFormat)
			}
			url, _ := limitedOnce(t, tt.status, tt.retryAfter)
			c, w := newClient(t, url, tt.opts...)

			ctx := context.Background()
			if err := c.Users.Delete(ctx, "user_1"); err != nil {
				t.Fatal(err)
			}
			first := len(w.all())
			if err := c.Users.Delete(ctx, "user_2"); err != nil {
				t.Fatal(err)
			}
			second := w.all()[first:]

			switch {
			case tt.shared == 0 && len(second) != 0:
				t.Errorf("second call waited %v, want no wait", second)
			case tt.shared > 0 && (len(second) != 1 || second[0] > tt.shared || second[0] < tt.shared-5*time.Second):
				t.Errorf("second call waited %v, want one wait of about %v", second, tt.shared)
			}
		})
	}
}

// TestPauseBeyondTheDeadlineFailsAtOnce: a call whose deadline ends before the shared
// pause does fails at once with ErrRateLimited, without sending anything.
func TestPauseBeyondTheDeadlineFailsAtOnce(t *testing.T) {
	t.Parallel()
	url, n := limitedOnce(t, http.StatusTooManyRequests, "45")
	c, w := newClient(t, url)

	ctx := context.Background()
	err := c.Users.Delete(ctx, "user_1", wrapper.WithCallMaxRetries(0))
	var apiErr *wrapper.APIError
	if !errors.As(err, &apiErr) || apiErr.RetryAfter != 45*time.Second {
		t.Fatalf("first call: %v, want the 429 with its Retry-After", err)
	}

	err = c.Users.Delete(ctx, "user_2", wrapper.WithCallTimeout(time.Second))
	if !errors.Is(err, wrapper.ErrRateLimited) || errors.As(err, &apiErr) ||
		!strings.HasPrefix(err.Error(), "portkey: rate limited: ") || strings.Count(err.Error(), "portkey:") != 1 {
		t.Errorf("second call: %v, want ErrRateLimited before sending", err)
	}
	if n.Load() != 1 || len(w.all()) != 0 {
		t.Errorf("%d requests and waits %v; want 1 request and no wait", n.Load(), w.all())
	}
}

// TestSharedPauseIsCapped: a Retry-After beyond a minute is returned to its caller, and
// holds back the other calls for a minute at most.
func TestSharedPauseIsCapped(t *testing.T) {
	t.Parallel()
	url, _ := limitedOnce(t, http.StatusTooManyRequests, "86400")
	c, w := newClient(t, url)

	ctx := context.Background()
	if err := c.Users.Delete(ctx, "user_1"); !errors.Is(err, wrapper.ErrRateLimited) {
		t.Fatalf("first call: %v, want the 429", err)
	}
	if err := c.Users.Delete(ctx, "user_2"); err != nil {
		t.Fatal(err)
	}
	if got := w.all(); len(got) != 1 || got[0] > time.Minute || got[0] < 55*time.Second {
		t.Errorf("waits %v, want one of about a minute", got)
	}
}

// TestPauseExtendedWhileWaiting: while one call waits out a one-second pause, another
// answer extends it to thirty; the waiting call waits out the extension too before it
// sends its retry.
func TestPauseExtendedWhileWaiting(t *testing.T) {
	t.Parallel()
	var firstA atomic.Bool
	srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/other"):
			w.Header().Set("Retry-After", "30")
			w.WriteHeader(http.StatusTooManyRequests)
		case firstA.CompareAndSwap(false, true):
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
		}
	})

	var c *wrapper.Client
	var mu sync.Mutex
	var waits []time.Duration
	var extended atomic.Bool
	wait := func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
		if extended.CompareAndSwap(false, true) {
			// Another goroutine's call is told to pause for 30 s while this one waits.
			_ = c.Users.Delete(ctx, "other", wrapper.WithCallMaxRetries(0))
		}
		return ctx.Err()
	}
	c, _ = newClient(t, srv.URL+prefix, wrapper.WithWait(wait))

	if err := c.Users.Delete(context.Background(), "a"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	// The first call's retry wait (1 s), the other call's hold-off for the rest of that
	// second, then the first call's wait for the extension before it retries.
	last := waits[len(waits)-1]
	if len(waits) != 3 || waits[0] != time.Second || last < 28*time.Second || last > 30*time.Second {
		t.Errorf("waits %v, want 1s, the other call's hold-off, then about 29s", waits)
	}
}
