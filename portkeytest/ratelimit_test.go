package portkeytest

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestRateLimiterWindows(t *testing.T) {
	t.Parallel()
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	l := NewRateLimiter(ok, 3)
	at := func(d time.Duration) (time.Duration, bool) {
		return l.admit(func() time.Time { return l.start.Add(d) })
	}

	for i := range 3 {
		if _, admitted := at(100 * time.Millisecond); !admitted {
			t.Fatalf("request %d of 3 in the first second refused", i+1)
		}
	}
	if wait, admitted := at(250 * time.Millisecond); admitted || wait != 750*time.Millisecond {
		t.Errorf("fourth request: admitted %v, wait %v; want refused, 750ms", admitted, wait)
	}
	if _, admitted := at(time.Second); !admitted {
		t.Error("the next second starts a new count")
	}
	// A request that read the clock late in the first second must not reopen it.
	if _, admitted := at(900 * time.Millisecond); !admitted {
		t.Error("a late reading counts in the current second, which has room")
	}
	for range 2 {
		at(time.Second + time.Millisecond)
	}
	if _, admitted := at(950 * time.Millisecond); admitted {
		t.Error("the current second's count was reset by a late reading")
	}
}

func TestRateLimiterAnswers(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(NewRateLimiter(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), 1))
	t.Cleanup(srv.Close)

	statuses := []int{}
	for range 2 {
		resp, err := srv.Client().Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
		if resp.StatusCode == http.StatusTooManyRequests {
			if ra := resp.Header.Get("Retry-After"); ra != "1" {
				t.Errorf("Retry-After = %q, want 1", ra)
			}
		}
	}
	// Both requests usually fall in one second; if the second began between them, both
	// are admitted, which is right too.
	if statuses[0] != 200 || (statuses[1] != 200 && statuses[1] != http.StatusTooManyRequests) {
		t.Errorf("statuses %v", statuses)
	}
}
