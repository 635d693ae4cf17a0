package wrapper_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/portkey-go/portkey/wrapper"
)

// held makes a raw server hold its connection open after answering, until the test ends
// or a fallback timer fires; the timer firing means the client waited for the server
// instead of returning, which fails the test.
func held(t *testing.T, answer string) string {
	t.Helper()
	release := make(chan struct{})
	addr := rawServer(t, func(conn net.Conn) {
		io.WriteString(conn, answer)
		select {
		case <-release:
		case <-time.After(10 * time.Second):
			t.Error("the client was still waiting on the connection after 10s")
		}
	})
	// Registered after rawServer's cleanup, so it runs first and lets the handler end.
	t.Cleanup(func() { close(release) })
	return addr
}

// TestSwitchingProtocolsDoesNotHang answers 101, after which the body is the raw
// connection that no context governs: the client must not read it.
func TestSwitchingProtocolsDoesNotHang(t *testing.T) {
	t.Parallel()
	addr := held(t, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
	c, _ := newClient(t, "http://"+addr+"/v1")

	err := c.Users.Delete(context.Background(), "user_1")
	var apiErr *wrapper.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 101 {
		t.Fatalf("Delete error = %v, want *APIError 101", err)
	}
}

// TestStalledSuccessBodyDoesNotHold answers 200 and then stalls mid-body: the outcome is
// known, so the call returns instead of waiting out the timeout.
func TestStalledSuccessBodyDoesNotHold(t *testing.T) {
	t.Parallel()
	addr := held(t, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
	c, _ := newClient(t, "http://"+addr+"/v1")

	if err := c.Users.Delete(context.Background(), "user_1"); err != nil {
		t.Fatalf("Delete error = %v, want success", err)
	}
}

// roundTripFunc is a transport made of a function, as test doubles often are.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestTransportWithoutRequestInResponse uses a transport that leaves Response.Request
// empty, as many test doubles do; the error still names the request.
func TestTransportWithoutRequestInResponse(t *testing.T) {
	t.Parallel()
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 404, Header: http.Header{},
			Body: io.NopCloser(strings.NewReader(`{"errorCode":"AB08","message":"gone"}`))}, nil
	})}
	c, _ := newClient(t, "https://cp.example/v1", wrapper.WithHTTPClient(hc))

	err := c.Users.Delete(context.Background(), "user_1")
	var apiErr *wrapper.APIError
	if !errors.As(err, &apiErr) || !wrapper.IsNotFound(err) || apiErr.Method != "DELETE" ||
		apiErr.Path != "/v1/admin/users/user_1" {
		t.Fatalf("Delete error = %v (%+v)", err, apiErr)
	}
}

// TestStalledErrorBodyKeepsTheStatus stalls mid-body after an error status: the call
// returns the *APIError with what arrived, and a retryable status is retried, not lost
// to the timeout.
func TestStalledErrorBodyKeepsTheStatus(t *testing.T) {
	t.Parallel()
	for _, status := range []int{404, 500, 503} {
		addr := held(t, fmt.Sprintf("HTTP/1.1 %d x\r\nContent-Type: application/json\r\n"+
			"Content-Length: 100\r\n\r\n{\"errorCode\":\"AB08\"", status))
		c, w := newClient(t, "http://"+addr+"/v1", wrapper.WithTimeout(time.Minute))

		err := c.Users.Delete(context.Background(), "user_1")
		var apiErr *wrapper.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
			t.Errorf("%d with a stalled body: error %v, want *APIError %d", status, err, status)
		}
		if status == 503 && len(w.all()) != 2 {
			t.Errorf("503 with a stalled body: waits %v, want two retries", w.all())
		}
	}
}

// TestHostileErrorBodyCostIsBounded answers with 1 MiB error bodies built to make key
// masking work hard, and holds one call to a bounded amount of memory.
func TestHostileErrorBodyCostIsBounded(t *testing.T) {
	bodies := map[string]string{
		"message of percent signs": `{"message":"` + strings.Repeat("%", 1<<20-20) + `"}`,
		"escapes":                  strings.Repeat(`\u00`, 1<<18),
	}
	for name, body := range bodies {
		srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(500)
			io.WriteString(w, body)
		})
		c, _ := newClient(t, srv.URL+prefix)

		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err := c.Users.Delete(context.Background(), "user_1")
		_ = err.Error()
		runtime.ReadMemStats(&after)
		if used := after.TotalAlloc - before.TotalAlloc; used > 128<<20 {
			t.Errorf("%s: one call allocated %d MiB", name, used>>20)
		}
	}
}

// TestHugeHeadersAreRefused answers with 4 MiB of headers: the default client stops
// reading at 1 MiB and the call fails, rather than holding it all in memory.
func TestHugeHeadersAreRefused(t *testing.T) {
	t.Parallel()
	addr := rawServer(t, func(conn net.Conn) {
		io.WriteString(conn, "HTTP/1.1 404 Not Found\r\n")
		line := "X-Filler: " + strings.Repeat("z", 1000) + "\r\n"
		for range 4 << 10 {
			if _, err := io.WriteString(conn, line); err != nil {
				return
			}
		}
		io.WriteString(conn, "\r\n")
	})
	c, _ := newClient(t, "http://"+addr+"/v1", wrapper.WithMaxRetries(0))

	err := c.Users.Delete(context.Background(), "user_1")
	if err == nil || !strings.Contains(err.Error(), "headers exceeded") {
		t.Errorf("Delete = %v, want the header limit", err)
	}
}
