package wrapper

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// watched is one call entered with a watchdog, as send enters it.
type watched struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	cut    cutoff
}

func watch(w *watchdog, limit time.Time) *watched {
	c := &watched{}
	c.ctx, c.cancel = context.WithCancelCause(context.Background())
	w.start(&c.cut, time.Now(), limit, c.cancel)
	return c
}

// armedAt reads when the watchdog's timer is set to fire.
func armedAt(w *watchdog) time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.armed
}

// TestWatchdogCutsEachCallAtItsLimit: calls with different limits are each cut off at
// their own, not before, with DeadlineExceeded as the cause; a call that ended first, or
// whose limit is far off, is left alone.
func TestWatchdogCutsEachCallAtItsLimit(t *testing.T) {
	t.Parallel()
	w := new(watchdog)
	start := time.Now()
	far := watch(w, start.Add(time.Hour))
	defer far.cut.end()
	ended := watch(w, start.Add(20*time.Millisecond))
	ended.cut.end()
	late := watch(w, start.Add(90*time.Millisecond))
	soon := watch(w, start.Add(30*time.Millisecond))
	shortened := watch(w, start.Add(time.Hour))
	shortened.cut.shorten(start.Add(60 * time.Millisecond))

	for _, c := range []struct {
		name  string
		call  *watched
		limit time.Duration
	}{{"soon", soon, 30 * time.Millisecond}, {"shortened", shortened, 60 * time.Millisecond}, {"late", late, 90 * time.Millisecond}} {
		select {
		case <-c.call.ctx.Done():
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: not cut off", c.name)
		}
		if took := time.Since(start); took < c.limit {
			t.Errorf("%s: cut off after %v, before its limit of %v", c.name, took, c.limit)
		}
		if cause := context.Cause(c.call.ctx); !errors.Is(cause, context.DeadlineExceeded) {
			t.Errorf("%s: cause %v", c.name, cause)
		}
		c.call.cut.end() // after the cut, as send does
	}
	if ended.ctx.Err() != nil || far.ctx.Err() != nil {
		t.Errorf("cut off a call that ended (%v) or whose limit is an hour away (%v)", ended.ctx.Err(), far.ctx.Err())
	}
}

// TestWatchdogTimerMovesOnlyForASoonerLimit holds what makes the watchdog cheap: a call
// whose limit comes after the soonest one already watched leaves the timer alone, and
// so does a shortening that stays after it.
func TestWatchdogTimerMovesOnlyForASoonerLimit(t *testing.T) {
	t.Parallel()
	w := new(watchdog)
	now := time.Now()
	first := watch(w, now.Add(time.Hour))
	defer first.cut.end()
	if got := armedAt(w); !got.Equal(now.Add(time.Hour)) {
		t.Fatalf("armed for %v after the first call, want its limit", got.Sub(now))
	}

	later := watch(w, now.Add(2*time.Hour))
	defer later.cut.end()
	later.cut.shorten(now.Add(90 * time.Minute))
	if got := armedAt(w); !got.Equal(now.Add(time.Hour)) {
		t.Errorf("armed for %v after later limits, want it left at 1h", got.Sub(now))
	}

	later.cut.shorten(now.Add(30 * time.Minute))
	if got := armedAt(w); !got.Equal(now.Add(30 * time.Minute)) {
		t.Errorf("armed for %v after a shortening to 30m", got.Sub(now))
	}

	// A shortening to a later time, or of a call that has ended, changes nothing.
	later.cut.shorten(now.Add(45 * time.Minute))
	later.cut.end()
	later.cut.shorten(now.Add(time.Minute))
	if got := armedAt(w); !got.Equal(now.Add(30 * time.Minute)) {
		t.Errorf("armed for %v, want it left at 30m", got.Sub(now))
	}
}

// TestWatchdogFiringWithNoCallLeft: a timer that fires after every call ended sets
// nothing again, and the next call arms it afresh.
func TestWatchdogFiringWithNoCallLeft(t *testing.T) {
	t.Parallel()
	w := new(watchdog)
	c := watch(w, time.Now().Add(time.Hour))
	c.cut.end()
	w.mu.Lock()
	gen := w.gen
	w.mu.Unlock()
	w.fire(gen)
	w.mu.Lock()
	set := w.set
	w.mu.Unlock()
	if set {
		t.Fatalf("armed for %v with no call left", time.Until(armedAt(w)))
	}
	next := watch(w, time.Now().Add(20*time.Millisecond))
	defer next.cut.end()
	select {
	case <-next.ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the next call was not cut off")
	}
}

// TestWatchdogUnderLoad runs many calls through one watchdog at once, some cut off and
// some ending first, for the race detector; every call cut off had reached its limit.
func TestWatchdogUnderLoad(t *testing.T) {
	t.Parallel()
	w := new(watchdog)
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Go(func() {
			for j := range 20 {
				limit := time.Now().Add(time.Duration(1+(i+j)%5) * time.Millisecond)
				c := watch(w, limit)
				if j%2 == 0 {
					c.cut.shorten(limit.Add(-time.Millisecond / 2))
					limit = limit.Add(-time.Millisecond / 2)
				}
				if j%3 == 0 {
					<-c.ctx.Done()
					if time.Now().Before(limit) {
						t.Errorf("cut off before its limit")
					}
				}
				c.cut.end()
				c.cancel(nil)
			}
		})
	}
	wg.Wait()
}

// TestWatchdogZeroLimit: a limit of the zero time, long past, is cut off at once and
// leaves the timer serving the other calls; the zero time once stood for "no timer set".
func TestWatchdogZeroLimit(t *testing.T) {
	t.Parallel()
	w := new(watchdog)
	start := time.Now()
	soon := watch(w, start.Add(50*time.Millisecond))
	defer soon.cut.end()
	zero := watch(w, time.Time{})
	defer zero.cut.end()
	later := watch(w, start.Add(5*time.Second))
	defer later.cut.end()

	for name, c := range map[string]*watched{"zero": zero, "soon": soon} {
		select {
		case <-c.ctx.Done():
		case <-time.After(3 * time.Second):
			t.Fatalf("%s: not cut off after 3s", name)
		}
	}
	if took := time.Since(start); took < 50*time.Millisecond {
		t.Errorf("soon cut off after %v", took)
	}
}

// TestWatchdogKeepsOneTimerUnderLoad: calls that start together, and so may take the lock
// in the other order to their clock readings, do not make the watchdog replace its timer.
func TestWatchdogKeepsOneTimerUnderLoad(t *testing.T) {
	t.Parallel()
	w := new(watchdog)
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for range 500 {
				c := watch(w, time.Now().Add(time.Hour))
				c.cut.end()
				c.cancel(nil)
			}
		})
	}
	wg.Wait()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.gen > 10 { // a stalled goroutine may rightly cost one; the fault cost hundreds
		t.Errorf("%d timers made for 16,000 calls within a second or so, want 1", w.gen)
	}
}
