package wrapper_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/portkey-go/portkey/portkeytest"
	"github.com/portkey-go/portkey/wrapper"
)

// noLeaks fails the test if goroutines it started outlive it. Call it first: its check
// then runs after every other cleanup, once the test's servers are closed. Tests that
// use it do not run in parallel, so that the goroutines of other tests are not counted.
func noLeaks(t *testing.T) {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
}

// released starts a raw server that runs misbehave on each connection after reading the
// request; misbehave gets a channel closed when the test ends, so that nothing it does
// can outlive the test.
func released(t *testing.T, misbehave func(conn net.Conn, done <-chan struct{})) string {
	t.Helper()
	done := make(chan struct{})
	addr := rawServer(t, func(conn net.Conn) { misbehave(conn, done) })
	// Registered after rawServer's cleanup, so it runs first and lets the handlers end.
	t.Cleanup(func() { close(done) })
	return addr
}

// TestFaults runs the client against servers that fail the ways real ones do. Each gives
// a clear error, and the call leaves no goroutine behind.
func TestFaults(t *testing.T) {
	tests := []struct {
		name      string
		timeout   time.Duration
		misbehave func(conn net.Conn, done <-chan struct{})
		check     func(t *testing.T, err error)
	}{
		{
			name:    "reset mid-body",
			timeout: 5 * time.Second,
			misbehave: func(conn net.Conn, _ <-chan struct{}) {
				io.WriteString(conn, "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"+
					"Content-Length: 4096\r\n\r\n{\"errorCode\":\"AB04\",\"message\":\"hal")
				conn.(*net.TCPConn).SetLinger(0) // close with a reset, not a goodbye
			},
			check: func(t *testing.T, err error) {
				var apiErr *wrapper.APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 || !strings.HasSuffix(string(apiErr.Body), "…") {
					t.Errorf("error = %v, want *APIError 500 with a cut body", err)
				}
			},
		},
		{
			name:    "never answers",
			timeout: 300 * time.Millisecond,
			misbehave: func(_ net.Conn, done <-chan struct{}) {
				<-done
			},
			check: func(t *testing.T, err error) {
				if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "deadline exceeded") {
					t.Errorf("error = %v, want the deadline", err)
				}
			},
		},
		{
			name:    "headers sent slowly",
			timeout: 300 * time.Millisecond,
			misbehave: func(conn net.Conn, done <-chan struct{}) {
				io.WriteString(conn, "HTTP/1.1 200 OK\r\nX-Slow: ")
				tick := time.NewTicker(20 * time.Millisecond)
				defer tick.Stop()
				for {
					select {
					case <-done:
						return
					case <-tick.C:
						if _, err := io.WriteString(conn, "z"); err != nil {
							return
						}
					}
				}
			},
			check: func(t *testing.T, err error) {
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("error = %v, want the deadline", err)
				}
			},
		},
		{
			name:      "closes before answering",
			timeout:   5 * time.Second, // room for the backoff, which the test does not sleep through
			misbehave: func(net.Conn, <-chan struct{}) {},
			check: func(t *testing.T, err error) {
				if err == nil || !strings.Contains(err.Error(), "EOF") ||
					strings.Count(err.Error(), "after a retry; the attempt before got error") != 1 {
					t.Errorf("error = %v, want EOF after retries, the attempt before named once", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			noLeaks(t)
			addr := released(t, tt.misbehave)
			c, _ := newClient(t, "http://"+addr+"/v1")

			err := c.Users.Delete(context.Background(), "user_1", wrapper.WithCallTimeout(tt.timeout))
			tt.check(t, err)
			if err != nil && strings.Contains(err.Error(), testKey) {
				t.Errorf("error shows the key: %v", err)
			}
		})
	}
}

// TestConnectionsAreReused removes users one after another, half of them answered with
// an error that has a body, and counts the connections the server accepted: the bodies
// are read to the end, so every call goes over the same connection.
func TestConnectionsAreReused(t *testing.T) {
	t.Parallel()
	var accepted atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/gone") {
			userNotFound.write(w, r)
			return
		}
		canned{status: 200, contentType: "application/json", body: "{}"}.write(w, r)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			accepted.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	hc := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(hc.CloseIdleConnections)
	c, _ := newClient(t, srv.URL+"/v1", wrapper.WithHTTPClient(hc))

	const calls = 1000
	var failed int
	for i := range calls {
		id := fmt.Sprint("user_", i)
		if i%2 == 1 {
			id += "/gone"
		}
		err := c.Users.Delete(context.Background(), id)
		if (i%2 == 1) != wrapper.IsNotFound(err) {
			t.Fatalf("call %d: %v", i, err)
		}
		if err != nil {
			failed++
		}
	}
	if failed != calls/2 || accepted.Load() != 1 {
		t.Errorf("%d calls, %d errors, over %d connections; want %d errors over 1 connection",
			calls, failed, accepted.Load(), calls/2)
	}
}

// TestManyGoroutinesShareOneClient runs 64 goroutines through one client (with -race),
// mixing removals, unknown users, answers to retry and a server error.
func TestManyGoroutinesShareOneClient(t *testing.T) {
	t.Parallel()
	const workers, each = 64, 8
	users := make([]portkeytest.User, 0, workers*each)
	for i := range workers * each {
		users = append(users, portkeytest.User{ID: fmt.Sprint("user_", i)})
	}
	cp := portkeytest.NewServer(t, portkeytest.WithUsers(users...))
	var busy atomic.Int32
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "_broken"):
			w.WriteHeader(http.StatusInternalServerError)
		case busy.Add(1)%5 == 0:
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			cp.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(front.Close)
	c, _ := newClient(t, front.URL+"/v1", wrapper.WithAPIKey(cp.APIKey), wrapper.WithMaxRetries(10))

	var wg sync.WaitGroup
	var removed, unknown, broken, wrong atomic.Int32
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				ctx := context.Background()
				id := users[w*each+i].ID
				if err := c.Users.Delete(ctx, id); err == nil {
					removed.Add(1)
				} else {
					t.Errorf("Delete(%s): %v", id, err)
				}
				if err := c.Users.Delete(ctx, id+"_ghost"); wrapper.IsNotFound(err) {
					unknown.Add(1)
				} else {
					wrong.Add(1)
				}
				var apiErr *wrapper.APIError
				if err := c.Users.Delete(ctx, id+"_broken"); errors.As(err, &apiErr) && apiErr.StatusCode == 500 {
					broken.Add(1)
				} else {
					wrong.Add(1)
				}
			}
		})
	}
	wg.Wait()

	if n := int32(workers * each); removed.Load() != n || unknown.Load() != n || broken.Load() != n || wrong.Load() != 0 {
		t.Errorf("removed %d, unknown %d, broken %d, wrong %d; want %d, %d, %d, 0",
			removed.Load(), unknown.Load(), broken.Load(), wrong.Load(), n, n, n)
	}
	if left := cp.Users(); len(left) != 0 {
		t.Errorf("%d users left", len(left))
	}
	noViolations(t, cp)
}

// TestCloseIdleConnections closes the kept connection, and the client still works on a
// new one.
func TestCloseIdleConnections(t *testing.T) {
	t.Parallel()
	var accepted atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			accepted.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c, _ := newClient(t, srv.URL+"/v1")

	for range 3 {
		if err := c.Users.Delete(context.Background(), "user_1"); err != nil {
			t.Fatal(err)
		}
	}
	c.CloseIdleConnections()
	if err := c.Users.Delete(context.Background(), "user_1"); err != nil {
		t.Fatal(err)
	}
	if accepted.Load() != 2 {
		t.Errorf("%d connections, want 2: one before CloseIdleConnections, one after", accepted.Load())
	}
}
