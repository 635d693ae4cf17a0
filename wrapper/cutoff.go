package wrapper

import (
	"context"
	"errors"
	"fmt"
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
//
// The timer belongs to the clock it was made under. Inside a testing/synctest bubble,
// time.Now reads the bubble's clock, which starts in the year 2000, and the bubble's
// timers may not be touched from outside it, nor the real clock's from inside. So when a
// call's clock reading jumps back from the last one, or forward by more than staleAfter,
// the watchdog leaves its timer alone, never to be used again, and makes a new one. A
// jump of the real clock costs no more than that.
type watchdog struct {
	mu    sync.Mutex
	calls *cutoff // the calls in flight, linked through cutoff.prev and next

	timer   *time.Timer // nil until a call needs one, and after a clock jump
	gen     uint64      // counts the timers made; a firing of an older one does nothing
	lastNow time.Time   // the wall-clock reading of the latest call's start
	set     bool        // the timer will fire, at armed
	armed   time.Time
}

// staleAfter is how far a call's start may be from the one before it, forward, before
// the watchdog takes it for another clock's.
const staleAfter = time.Second

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

// start enters c with the watchdog at now, to be cancelled at limit.
func (w *watchdog) start(c *cutoff, now, limit time.Time, cancel context.CancelCauseFunc) {
	c.dog, c.limit, c.cancel = w, limit, cancel
	w.mu.Lock()
	defer w.mu.Unlock()
	c.next = w.calls
	if w.calls != nil {
		w.calls.prev = c
	}
	w.calls = c
	c.listed = true

	// Wall-clock readings (Round(0) drops the monotonic one), so that a bubble's clock
	// and the real one compare at all.
	wall := now.Round(0)
	jumped := wall.Before(w.lastNow) || wall.Sub(w.lastNow) > staleAfter
	w.lastNow = wall
	if w.timer != nil && jumped {
		// The old timer is left as it is: stopping one of another clock is not allowed.
		// Its firing finds a newer generation and does nothing.
		w.timer, w.set = nil, false
		w.gen++
		for o := w.calls; o != nil; o = o.next {
			w.fireBy(o.limit)
		}
		return
	}
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
	if w.set && !t.Before(w.armed) {
		return
	}
	w.armed, w.set = t, true
	if w.timer != nil {
		w.timer.Reset(time.Until(t))
		return
	}
	w.gen++
	gen := w.gen
	w.timer = time.AfterFunc(time.Until(t), func() { w.fire(gen) })
}

// fire runs on the timer made as generation gen. It cuts off every call whose limit has
// passed and sets the timer for the soonest limit left, if any call is left.
func (w *watchdog) fire(gen uint64) {
	var expired []context.CancelCauseFunc
	w.mu.Lock()
	if gen != w.gen {
		w.mu.Unlock()
		return // a timer left behind after a clock jump
	}
	w.set = false
	now := time.Now()
	var soonest time.Time
	found := false
	for c := w.calls; c != nil; {
		next := c.next
		if !now.Before(c.limit) {
			expired = append(expired, c.cancel)
			w.unlink(c)
		} else if !found || c.limit.Before(soonest) {
			soonest, found = c.limit, true
		}
		c = next
	}
	if found {
		w.fireBy(soonest)
	}
	w.mu.Unlock()

	// Cancelled outside the lock: a context's cancellation runs code of net/http's.
	for _, cancel := range expired {
		cancel(context.DeadlineExceeded)
	}
}

// timedOut returns err so that it matches context.DeadlineExceeded when ctx ended for
// lack of time. Cut off that way, net/http's HTTP/1 code reports the deadline, but its
// HTTP/2 code reports context.Canceled, which a caller checking for a timeout would not
// recognise.
func timedOut(ctx context.Context, err error) error {
	if err == nil || errors.Is(err, context.DeadlineExceeded) ||
		!errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("%w (the call ran out of time: %w)", err, context.DeadlineExceeded)
}
