package portkeytest

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// RateLimiter admits at most a fixed number of requests per second to the handler it
// wraps and answers the others as a rate-limited control plane does: 429 with errorCode
// AB06 and a Retry-After naming the seconds until the next second begins. Put it in front
// of a Server to see how code behaves when it goes faster than the limit:
//
//	srv := portkeytest.NewServer(t, portkeytest.WithUsers(users...))
//	limited := httptest.NewServer(portkeytest.NewRateLimiter(srv, 100))
//
// Seconds are counted from NewRateLimiter, each a fixed window: the count starts again
// at every whole second.
type RateLimiter struct {
	next      http.Handler
	perSecond int
	start     time.Time

	mu     sync.Mutex
	window int64 // the second, counted from start, that used belongs to
	used   int

	admitted, refused atomic.Int64
}

// NewRateLimiter wraps next so that at most perSecond requests a second reach it. It
// panics if perSecond is not positive, which is always a mistake in the calling test.
func NewRateLimiter(next http.Handler, perSecond int) *RateLimiter {
	if perSecond <= 0 {
		panic("portkeytest: NewRateLimiter: perSecond must be positive")
	}
	return &RateLimiter{next: next, perSecond: perSecond, start: time.Now()}
}

// ServeHTTP passes r on, or refuses it when this second's requests are used up.
func (l *RateLimiter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if wait, ok := l.admit(time.Now); !ok {
		l.refused.Add(1)
		rep := adminError(http.StatusTooManyRequests, "AB06", "rate limit exceeded, slow down")
		for k, v := range rep.header {
			w.Header()[k] = v
		}
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		w.WriteHeader(rep.status)
		_, _ = w.Write(rep.body)
		return
	}
	l.admitted.Add(1)
	l.next.ServeHTTP(w, r)
}

// admit counts a request in the current window, or reports how long until the next.
// The clock is read under the lock, so that windows only ever move forward: a request
// that read the time before another and took the lock after it must not reopen a
// window that has closed.
func (l *RateLimiter) admit(now func() time.Time) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	elapsed := now().Sub(l.start)
	window := int64(elapsed / time.Second)
	if window > l.window {
		l.window, l.used = window, 0
	}
	if l.used < l.perSecond {
		l.used++
		return 0, true
	}
	return time.Duration(window+1)*time.Second - elapsed, false
}

// Admitted returns how many requests were passed on.
func (l *RateLimiter) Admitted() int64 {
	return l.admitted.Load()
}

// Refused returns how many requests were answered 429.
func (l *RateLimiter) Refused() int64 {
	return l.refused.Load()
}
