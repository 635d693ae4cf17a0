package wrapper_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/portkey-go/portkey/portkeytest"
	"github.com/portkey-go/portkey/wrapper"
)

// lossyFront starts a server in front of a local control plane. The first request is
// served by the control plane, so the user really is removed, and then its answer is
// lost as lose says; later requests pass through untouched.
func lossyFront(t *testing.T, lose func(w http.ResponseWriter)) (*wrapper.Client, *portkeytest.Server, *atomic.Int32) {
	t.Helper()
	cp := portkeytest.NewServer(t, portkeytest.WithUsers(portkeytest.User{ID: "user_1"}))
	var n atomic.Int32
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) > 1 {
			cp.ServeHTTP(w, r)
			return
		}
		cp.ServeHTTP(httptest.NewRecorder(), r)
		lose(w)
	}))
	t.Cleanup(front.Close)
	c, _ := newClient(t, front.URL+"/v1", wrapper.WithAPIKey(cp.APIKey))
	return c, cp, &n
}

// hangUp closes the connection without a word, as a crashed server or a dropped link
// does after the request went out.
func hangUp(w http.ResponseWriter) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		conn.Close()
	}
}

// TestDeleteWhoseAnswerWasLost removes a user, loses the answer, and gets 404 AB08 on
// the retry: the user is gone, which is what was asked, so the call succeeds.
func TestDeleteWhoseAnswerWasLost(t *testing.T) {
	t.Parallel()
	losses := map[string]func(http.ResponseWriter){
		"connection closed":  hangUp,
		"502 from a gateway": func(w http.ResponseWriter) { w.WriteHeader(http.StatusBadGateway) },
		"504 from a gateway": func(w http.ResponseWriter) { w.WriteHeader(http.StatusGatewayTimeout) },
	}
	for name, lose := range losses {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, cp, n := lossyFront(t, lose)

			if err := c.Users.Delete(context.Background(), "user_1"); err != nil {
				t.Errorf("Delete = %v, want success", err)
			}
			if _, ok := cp.User("user_1"); ok || n.Load() != 2 {
				t.Errorf("user still there: %v; %d attempts, want 2", ok, n.Load())
			}
		})
	}
}

// TestNotFoundAfterAKnownOutcomeStaysNotFound: when the earlier attempt is known not to
// have acted, or no attempt was lost at all, "not found" is the truth and is reported.
func TestNotFoundAfterAKnownOutcomeStaysNotFound(t *testing.T) {
	t.Parallel()
	t.Run("503 before the 404", func(t *testing.T) {
		t.Parallel()
		var n atomic.Int32
		srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) == 1 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			userNotFound.write(w, r)
		})
		c, _ := newClient(t, srv.URL+prefix)
		if err := c.Users.Delete(context.Background(), "user_1"); !wrapper.IsNotFound(err) {
			t.Errorf("Delete = %v, want not found", err)
		}
	})
	t.Run("first attempt", func(t *testing.T) {
		t.Parallel()
		srv := prefixed(t, userNotFound.write)
		c, _ := newClient(t, srv.URL+prefix)
		if err := c.Users.Delete(context.Background(), "user_1"); !wrapper.IsNotFound(err) {
			t.Errorf("Delete = %v, want not found", err)
		}
	})
	t.Run("bare 404 after a lost answer", func(t *testing.T) {
		t.Parallel()
		var n atomic.Int32
		srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) == 1 {
				hangUp(w)
				return
			}
			http.NotFound(w, r)
		})
		c, _ := newClient(t, srv.URL+prefix)
		err := c.Users.Delete(context.Background(), "user_1")
		if err == nil || wrapper.IsNotFound(err) {
			t.Errorf("Delete = %v, want the bare 404 as an error", err)
		}
	})
}

// TestLostAnswerWithoutRetriesIsAnError: with retries off nothing confirms the removal,
// so the broken connection is the answer.
func TestLostAnswerWithoutRetriesIsAnError(t *testing.T) {
	t.Parallel()
	c, cp, n := lossyFront(t, hangUp)
	err := c.Users.Delete(context.Background(), "user_1", wrapper.WithCallMaxRetries(0))
	if err == nil || n.Load() != 1 {
		t.Errorf("Delete = %v after %d attempts, want an error after 1", err, n.Load())
	}
	if _, ok := cp.User("user_1"); ok {
		t.Error("the first attempt should have removed the user")
	}
}
