package wrapper

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestUnsafeMethodsAreNeverRetried sends requests with each method to a server that
// fails every attempt, a way that would be retried for a safe method: a POST or PATCH is
// sent once, whatever happens, while a PUT or DELETE is retried as configured.
func TestUnsafeMethodsAreNeverRetried(t *testing.T) {
	t.Parallel()
	failures := map[string]http.HandlerFunc{
		"503": func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) },
		"429 with Retry-After": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
		},
		"connection closed": func(w http.ResponseWriter, r *http.Request) {
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
		},
	}
	want := map[string]int32{http.MethodPost: 1, http.MethodPatch: 1, http.MethodPut: 3, http.MethodDelete: 3}
	for name, fail := range failures {
		for method, attempts := range want {
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				fail(w, r)
			}))
			tr := &transport{client: refuseRedirects(&http.Client{}), origin: srv.URL, cred: newCredential("k"),
				userAgent: "test", retries: 2, jitter: fullJitter,
				wait: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }}

			req, err := http.NewRequest(method, srv.URL+"/v1/admin/users/invites", strings.NewReader(`{"email":"a@example.com"}`))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := tr.Do(req)
			if err == nil {
				drain(resp)
			}
			srv.Close()
			if n.Load() != attempts {
				t.Errorf("%s answered to %s: %d attempts, want %d", name, method, n.Load(), attempts)
			}
		}
	}
}
