package wrapper

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
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
// call's clock reading is more than staleAfter from the last one, either way, the
// watchdog leaves its timer alone, never to be used again, and makes a new one. A jump
// of the real clock, or a client idle for a while, costs no more than that. Calls in
// flight inside a bubble and outside it at once cannot share one timer; a Client is not
// for that, as an http.Transport is not.
type watchdog struct {
	mu    sync.Mutex
	calls *cutoff // the calls in flight, linked through cutoff.prev and next

	timer   *time.Timer // nil until a call needs one, and after a clock jump
	gen     uint64      // counts the timers made; a firing of an older one does nothing
	lastNow time.Time   // the wall-clock reading of the latest call's start
	set     bool        // the timer will fire, at armed
	armed   time.Time
}

// staleAfter is how far a call's start may be from the one before it, either way, before
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
	// Calls that start together may take the lock in the other order to their readings,
	// so a small step back is no jump.
	step := wall.Sub(w.lastNow)
	jumped := step < -staleAfter || step > staleAfter
	w.lastNow = wall
	if w.timer != nil && jumped {
		// The old timer is left as it is: stopping one of another clock is not allowed.
		// Its firing will find the new timer's generation and do nothing.
		w.timer, w.set = nil, false
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

// timedOut makes the error of a call whose context ended for lack of time say so the
// same way whatever the protocol: it matches context.DeadlineExceeded and not
// context.Canceled, and it carries the cause the caller gave the deadline, if any.
// net/http's HTTP/1 code reports the context's cause, which may be the caller's own and
// not match the deadline; its HTTP/2 code reports context.Canceled for a call the
// watchdog cut off, and the bare deadline without the caller's cause.
func timedOut(ctx context.Context, err error) error {
	cause := context.Cause(ctx)
	if err == nil || !(errors.Is(ctx.Err(), context.DeadlineExceeded) ||
		errors.Is(cause, context.DeadlineExceeded)) {
		return err
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		var urlErr *url.Error
		switch {
		case errors.As(err, &urlErr) && urlErr.Err == context.Canceled:
			// The request's own error, as HTTP/1 would have given it.
			deadline := *urlErr
			deadline.Err = context.DeadlineExceeded
			err = &deadline
		case errors.Is(err, context.Canceled):
			err = &ranOutError{err}
		default:
			err = fmt.Errorf("%w (the call ran out of time: %w)", err, context.DeadlineExceeded)
		}
	}
	if !errors.Is(err, cause) {
		err = fmt.Errorf("%w (%w)", err, cause)
	}
	return err
}

// ranOutError is a cancellation that was in truth the call running out of time, such as a
// body read cut off under HTTP/2. It reads and matches as the deadline, not as a
// cancellation.
type ranOutError struct {
	cancelled error
}

// Error is the cancellation's text with the cancellation named for what it was.
func (e *ranOutError) Error() string {
	return strings.ReplaceAll(e.cancelled.Error(), context.Canceled.Error(), context.DeadlineExceeded.Error())
}

// Unwrap gives the deadline only, so that errors.Is(err, context.Canceled) is false.
func (e *ranOutError) Unwrap() error {
	return context.DeadlineExceeded
}
