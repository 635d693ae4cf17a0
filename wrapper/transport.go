package wrapper

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// apiKeyHeader is where Portkey expects the API key.
const apiKeyHeader = "x-portkey-api-key"

// maxDrain is how much of an unwanted body is read so that its connection can be reused;
// a longer body is cut off with its connection, which is cheaper than reading it all.
const maxDrain = 64 << 10

// bodyGrace is how long a call waits for the body once the status is known: for an
// error's details, or for the rest of a body it does not need.
const bodyGrace = 500 * time.Millisecond

// transport is the one layer every request of the generated client passes through. It
// puts the API key and User-Agent on the request and repeats an attempt when that is
// safe. It turns no status into an error: the methods do that, keeping every field.
type transport struct {
	client    *http.Client
	origin    string // canonical scheme://host:port of the base URL
	scheme    string // the base URL's scheme and host as written
	host      string
	cred      *credential
	userAgent []string // the User-Agent header's value, ready to assign
	retries   int
	wait      func(context.Context, time.Duration) error
	jitter    func(time.Duration) time.Duration

	// pause is shared by every call of the client; nil when WithoutSharedWait turned
	// it off.
	pause *pause
}

// Do sends req, retrying as the retry policy allows. It satisfies the generated client's
// HttpRequestDoer.
func (t *transport) Do(req *http.Request) (*http.Response, error) {
	// The key goes only to the configured origin. The generated client only builds URLs
	// under the base URL, so the other branch guards against a future change, not today's.
	if t.sameOrigin(req.URL) {
		req.Header.Set(apiKeyHeader, t.cred.key())
	} else {
		req.Header.Del(apiKeyHeader)
	}
	// One slice serves every request: the value is fixed, and net/http only reads it.
	req.Header["User-Agent"] = t.userAgent

	retries := t.retries
	state := stateOf(req.Context())
	if state != nil {
		if state.settings.retriesSet {
			retries = state.settings.retries
		}
		// The call's own headers go on this request only. The options refused the
		// headers set above, so none can replace the key.
		for name, values := range state.settings.header {
			req.Header[name] = values
		}
	}

	if err := t.holdOff(req.Context(), 0); err != nil {
		return nil, err
	}

	var before string // the previous attempt's outcome, for an error after a retry
	for attempt := 0; ; attempt++ {
		if state != nil {
			state.connected.Store(false)
		}
		resp, err := t.client.Do(req)
		if resp != nil {
			t.notePause(resp)
		}
		attemptErr := err // this attempt's own, before the note about the one it followed
		if err != nil && before != "" {
			// A retry cut short by the deadline would otherwise hide why it was retried.
			err = fmt.Errorf("%w (after a retry; the attempt before got %s)", err, before)
		}
		if resp != nil && resp.Request == nil {
			// Transports are not bound to fill this in, and errors need it.
			resp.Request = req
		}
		if state != nil && mayHaveActed(resp, err, state.connected.Load()) {
			state.mayHaveActed = true
		}
		if attempt >= retries || !retryable(req, resp, err) {
			return resp, err
		}

		delay, ok := t.delay(req.Context(), attempt, resp)
		if !ok {
			return resp, err
		}
		before = describe(resp, attemptErr)
		if resp != nil {
			// Closed unread: a stalled body must not hold the retry, and a fresh
			// connection costs less than waiting to reuse this one.
			resp.Body.Close()
		}

		var covered int64
		if t.pause != nil {
			covered = t.pause.now() + int64(delay)
		}
		if werr := t.wait(req.Context(), delay); werr != nil {
			return nil, fmt.Errorf("%w while waiting to retry after %s", werr, before)
		}
		// Another call may have been told to pause for longer while this one waited.
		if err := t.holdOff(req.Context(), covered); err != nil {
			return nil, err
		}
		if req.GetBody != nil {
			if req.Body, err = req.GetBody(); err != nil {
				return nil, err
			}
		}
	}
}

// sameOrigin reports whether u is on the configured origin. The URLs the generated
// client builds spell scheme and host exactly as the base URL does, which is checked
// first because it costs nothing; any other spelling is compared in canonical form.
func (t *transport) sameOrigin(u *url.URL) bool {
	if u.Scheme == t.scheme && u.Host == t.host {
		return true
	}
	return origin(u) == t.origin
}

// delay picks the wait before the next attempt: the server's Retry-After when it gave
// one, else exponential backoff with jitter. It reports false when retrying makes no
// sense: the server asked for longer than maxRetryAfter, or the context would end first.
func (t *transport) delay(ctx context.Context, attempt int, resp *http.Response) (time.Duration, bool) {
	d := backoff(attempt, t.jitter)
	if resp != nil {
		if ra := retryAfter(resp.Header, time.Now()); ra > maxRetryAfter {
			return 0, false
		} else if ra > 0 {
			d = ra
		}
	}
	if t.pause != nil {
		// Another call may have been told to pause for longer than this one.
		d = max(d, t.pause.remaining())
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		return 0, false
	}
	return d, true
}

// refuseRedirects returns a copy of hc that follows no redirect. Following one could
// only hurt an admin call: Go's client carries every custom header, the API key
// included, to whatever host a Location names; it turns a DELETE answered with 301, 302
// or 303 into a GET; and even a same-origin 307 can point at another user, whose removal
// would then be reported as this one's. A redirect comes back as the 3xx answer itself,
// and so as an *APIError.
func refuseRedirects(hc *http.Client) *http.Client {
	refusing := *hc
	refusing.CheckRedirect = func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}
	return &refusing
}

// drain reads what is left of a body we do not want, up to maxDrain, and closes it, so
// that the connection goes back to the pool.
func drain(resp *http.Response) {
	if resp == nil {
		return
	}
	if resp.ContentLength >= 0 && resp.ContentLength <= maxDrain {
		// The length is known and small, so no limit is needed (nor allocated): net/http
		// stops at the declared length.
		_, _ = io.Copy(io.Discard, resp.Body)
	} else {
		_, _ = io.CopyN(io.Discard, resp.Body, maxDrain)
	}
	_ = resp.Body.Close()
}

// describe names an attempt's outcome for an error message.
func describe(resp *http.Response, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	return "status " + resp.Status
}
