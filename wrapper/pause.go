package wrapper

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"
)

// pause is the time before which no call of a Client sends a request: the end of the
// longest Retry-After a 429 or 503 answer has asked for so far. It is kept on the
// monotonic clock, as an offset from when the Client was made, so that a step of the
// wall clock can neither stretch nor cut it.
type pause struct {
	epoch time.Time
	until atomic.Int64 // nanoseconds after epoch; 0 while no answer has asked for a pause
}

func newPause() *pause {
	return &pause{epoch: time.Now()}
}

// now is the current point on the pause's clock.
func (p *pause) now() int64 {
	return int64(time.Since(p.epoch))
}

// extend makes the pause last at least d from now. The pause only ever grows.
func (p *pause) extend(d time.Duration) {
	until := p.now() + int64(d)
	for {
		current := p.until.Load()
		if current >= until || p.until.CompareAndSwap(current, until) {
			return
		}
	}
}

// remaining is how long the pause lasts from now; zero when it is over.
func (p *pause) remaining() time.Duration {
	until := p.until.Load()
	if until == 0 {
		return 0
	}
	return max(0, time.Duration(until-p.now()))
}

// notePause records the pause a 429 or 503 answer asks for in Retry-After, so that every
// call through this client waits it out, not only the one that was told. Many goroutines
// sharing a client would otherwise each learn of the limit by hitting it. The pause is
// capped at maxRetryAfter.
func (t *transport) notePause(resp *http.Response) {
	if t.pause == nil || (resp.StatusCode != http.StatusTooManyRequests &&
		resp.StatusCode != http.StatusServiceUnavailable) {
		return
	}
	if ra := retryAfter(resp.Header, time.Now()); ra > 0 {
		t.pause.extend(min(ra, maxRetryAfter))
	}
}

// holdOff waits out the client's pause before a request is sent. covered is the point on
// the pause's clock that the caller has already waited until (0 when it has waited for
// nothing): only the pause beyond it is waited, and if another answer extends the pause
// during the wait, the extension is waited too. A pause that would outlast the call's
// deadline is not waited out: the call fails at once with an error matching
// ErrRateLimited.
func (t *transport) holdOff(ctx context.Context, covered int64) error {
	if t.pause == nil {
		return nil
	}
	for {
		until := t.pause.until.Load()
		if until <= covered {
			return nil // nothing new to wait for; before any pause, no clock is read
		}
		now := t.pause.now()
		if until <= now {
			return nil
		}
		d := time.Duration(until - max(covered, now))
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
			return &pausedError{wait: d}
		}
		if err := t.wait(ctx, d); err != nil {
			return fmt.Errorf("%w while waiting out the control plane's rate limit", err)
		}
		covered = until
	}
}

// pausedError is the error of a call that the client's pause would have held past its
// deadline. Nothing was sent.
type pausedError struct {
	wait time.Duration
}

// Error says how long the pause was and that nothing was sent.
func (e *pausedError) Error() string {
	return fmt.Sprintf("rate limited: the control plane asked every call of this client to wait %v, "+
		"past this call's deadline; nothing was sent", e.wait.Round(time.Millisecond))
}

// Is makes errors.Is(err, ErrRateLimited) true.
func (e *pausedError) Is(target error) bool {
	return target == ErrRateLimited
}
