package wrapper

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Defaults for retries and timeouts, and the backoff schedule.
const (
	// DefaultMaxRetries is how many times a failed request that is safe to repeat is
	// retried unless WithMaxRetries says otherwise.
	DefaultMaxRetries = 2
	// DefaultTimeout bounds one method call, retries included, unless WithTimeout or an
	// earlier context deadline says otherwise.
	DefaultTimeout = 60 * time.Second

	// Backoff before retry n (from 0) is drawn from [0, min(maxBackoff, minBackoff*2^n)]:
	// full jitter keeps many clients told "busy" at once from coming back together.
	minBackoff = 500 * time.Millisecond
	maxBackoff = 8 * time.Second
	// maxRetryAfter is the longest Retry-After the client waits out by itself. A server
	// asking for more gets its error returned at once, with APIError.RetryAfter set, so
	// the caller decides.
	maxRetryAfter = 60 * time.Second
)

// retryable reports whether an attempt's outcome may be repeated: the method must be
// idempotent, the request body replayable, and the failure either a connection error or
// a status that says "not now" (429, 502, 503, 504).
func retryable(req *http.Request, resp *http.Response, err error) bool {
	if !idempotent(req.Method) || (req.Body != nil && req.Body != http.NoBody && req.GetBody == nil) {
		return false
	}
	if err != nil {
		// A cancelled or expired context is the caller's decision, not a fault to retry.
		return req.Context().Err() == nil && connectionError(err)
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable,
		http.StatusGatewayTimeout:
		return true
	}
	return false
}

// connectionError reports whether err is the network failing (a refused, reset or
// dropped connection, a failed dial or lookup) rather than a server answering badly (a
// malformed answer), which a repeat would not mend.
func connectionError(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var opErr *net.OpError
	return errors.As(err, &opErr) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		http2Reset(err)
}

// http2Reset reports whether err, or an error it wraps, is HTTP/2's form of a reset: a
// stream the server reset (RST_STREAM) or a connection it closed with GOAWAY. Their types
// are unexported inside net/http (exported in golang.org/x/net/http2, which a custom
// transport may use), so they are known by their type's name.
func http2Reset(err error) bool {
	for ; err != nil; err = errors.Unwrap(err) {
		switch fmt.Sprintf("%T", err) {
		case "http.http2StreamError", "http.http2GoAwayError", "http2.StreamError", "http2.GoAwayError":
			return true
		}
	}
	return false
}

// mayHaveActed reports whether an attempt that brought no usable answer may still have
// reached the server and been carried out. Without a connection ready to carry it (a
// refused or failed dial, a failed lookup, a TLS handshake that broke off) the request
// never left; once there was one, a failure leaves the outcome unknown, and so does a
// gateway's 502 or 504.
func mayHaveActed(resp *http.Response, err error, connected bool) bool {
	if err == nil {
		return resp.StatusCode == http.StatusBadGateway || resp.StatusCode == http.StatusGatewayTimeout
	}
	return connected
}

// idempotent methods may be sent twice with the effect of once (RFC 9110, 9.2.2). POST is
// not among them: a create is never repeated behind the caller's back.
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// backoff returns the wait before retry n (0 for the first retry), with full jitter.
func backoff(n int, jitter func(time.Duration) time.Duration) time.Duration {
	ceiling := maxBackoff
	if n < 8 {
		ceiling = min(maxBackoff, minBackoff<<n)
	}
	return jitter(ceiling)
}

// fullJitter draws uniformly from [0, d].
func fullJitter(d time.Duration) time.Duration {
	return rand.N(d + 1)
}

// retryAfter reads Retry-After as seconds or as an HTTP date, relative to now. It returns
// zero when the header is absent, unreadable or in the past.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	const longest = 24 * time.Hour
	if strings.Trim(v, "0123456789") == "" {
		// Seconds are digits only (RFC 9110, 10.2.3): "+2", "-5" and "1.5" are not.
		secs, err := strconv.ParseInt(v, 10, 64)
		switch {
		case errors.Is(err, strconv.ErrRange):
			return longest // more seconds than int64 holds is still "a long time"
		case secs <= 0:
			return 0
		}
		// Clamp before multiplying so a huge value cannot overflow into a negative wait.
		return time.Duration(min(secs, int64(longest/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return min(t.Sub(now), longest)
	}
	return 0
}

// sleep waits for d or until ctx ends, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx) // DeadlineExceeded when the call's own timeout ended it
	}
}
