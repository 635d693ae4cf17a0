package wrapper

import (
	"context"
	"sync"
	"time"
)

// watchdog ends a Client's calls when their time is up, with one runtime timer for all
// of them.
//
// A timer per call would be simpler, but it is not cheap: a timer added to an empty
// timer heap may wake an idle thread to watch it, and on a loopback call a timer per call
// measured three to five percent of the call's time. The watchdog's timer is set for
// the soonest limit of the calls in flight and moves only when a call's limit comes
// sooner still; since calls share a timeout, a new call's limit almost never does.
type watchdog struct {
	mu    sync.Mutex
	calls *cutoff     // the calls in flight, linked through cutoff.prev and next
	timer *time.Timer // nil until the first call
	armed time.Time   // when the timer fires; zero when it is not set
}

// cutoff is one call's entry with the watchdog. When its limit passes, the watchdog
// cancels the call's context with context.DeadlineExceeded as the cause, which is what
// net/http and the waits between retries report.
type cutoff struct {
	dog        *watchdog
	prev, next *cutoff
	listed     bool
	limit      time.Time
	cancel     context.CancelCauseFunc
}

// start enters c with the watchdog, to be cancelled at limit.
func (w *watchdog) start(c *cutoff, limit time.Time, cancel context.CancelCauseFunc) {
	c.dog, c.limit, c.cancel = w, limit, cancel
	w.mu.Lock()
	defer w.mu.Unlock()
	c.next = w.calls
	if w.calls != nil {
		w.calls.prev = c
	}
	w.calls = c
	c.listed = true
	w.fireBy(limit)
}

// shorten brings the call's limit forward to at, if that is sooner.
func (c *cutoff) shorten(at time.Time) {
	w := c.dog
	w.mu.Lock()
	defer w.mu.Unlock()
	if c.listed && at.Before(c.limit) {
		c.limit = at
		w.fireBy(at)
	}
}

// end takes the call off the watchdog's list; the call is over, or was cut off.
func (c *cutoff) end() {
	w := c.dog
	w.mu.Lock()
	defer w.mu.Unlock()
	w.unlink(c)
}

// unlink takes c off the list if it is on it. The caller holds w.mu.
func (w *watchdog) unlink(c *cutoff) {
	if !c.listed {
		return
	}
	if c.prev != nil {
		c.prev.next = c.next
	} else {
		w.calls = c.next
	}
	if c.next != nil {
		c.next.prev = c.prev
	}
	c.prev, c.next, c.listed = nil, nil, false
}

// fireBy makes the timer fire no later than t. The caller holds w.mu.
func (w *watchdog) fireBy(t time.Time) {
	if !w.armed.IsZero() && !t.Before(w.armed) {
		return
	}
	w.armed = t
	if w.timer == nil {
		w.timer = time.AfterFunc(time.Until(t), w.fire)
		return
	}
	w.timer.Reset(time.Until(t))
}

// fire runs on the timer. It cuts off every call whose limit has passed and sets the
// timer for the soonest limit left, if any call is left.
func (w *watchdog) fire() {
	var expired []context.CancelCauseFunc
	w.mu.Lock()
	w.armed = time.Time{}
	now := time.Now()
	var soonest time.Time
	for c := w.calls; c != nil; {
		next := c.next
		if !now.Before(c.limit) {
			expired = append(expired, c.cancel)
			w.unlink(c)
		} else if soonest.IsZero() || c.limit.Before(soonest) {
			soonest = c.limit
		}
		c = next
	}
	if !soonest.IsZero() {
		w.fireBy(soonest)
	}
	w.mu.Unlock()

	// Cancelled outside the lock: a context's cancellation runs code of net/http's.
	for _, cancel := range expired {
		cancel(context.DeadlineExceeded)
	}
}
