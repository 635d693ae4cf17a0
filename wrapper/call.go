package wrapper

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"time"
)

// CallOption changes one method call and nothing after it: the Client it is given to
// stays as New built it. Each option checks its argument, and a bad one fails the call
// before anything is sent, with an error that names the option.
type CallOption func(*callSettings) error

// callSettings is what one call's options resolve into. The zero value means "as the
// client says".
type callSettings struct {
	timeout    time.Duration
	retries    int
	retriesSet bool
	header     http.Header
}

// WithCallTimeout replaces the client's timeout (WithTimeout) for this call only. A
// context deadline that comes sooner still wins.
func WithCallTimeout(d time.Duration) CallOption {
	return func(s *callSettings) error {
		if err := checkTimeout("WithCallTimeout", d); err != nil {
			return err
		}
		s.timeout = d
		return nil
	}
}

// WithCallMaxRetries replaces the client's retry count (WithMaxRetries) for this call
// only. 0 turns retries off for the call; a negative number is an error.
func WithCallMaxRetries(n int) CallOption {
	return func(s *callSettings) error {
		if err := checkRetries("WithCallMaxRetries", n); err != nil {
			return err
		}
		s.retries, s.retriesSet = n, true
		return nil
	}
}

// WithCallHeader adds a header to this call's request only, such as a trace id for
// Portkey's logs. Headers the client owns are refused: the API key header, User-Agent
// (see WithUserAgent), Authorization, those that frame the message or the connection
// (Host, Content-Length, Content-Type, Transfer-Encoding, Connection and the like), and
// those that change what is done behind the caller's back (Idempotency-Key, which makes
// net/http replay a request; X-HTTP-Method-Override and its kin; Accept-Encoding). A name
// that is not an HTTP token, or a value holding a line break or another control
// character than tab, is refused too. Errors name the header, never its value.
func WithCallHeader(name, value string) CallOption {
	return func(s *callSettings) error {
		if err := checkHeader(name, value); err != nil {
			return fmt.Errorf("WithCallHeader: %w", err)
		}
		if s.header == nil {
			s.header = http.Header{}
		}
		s.header.Add(name, value)
		return nil
	}
}

// ownHeaders may not be set per call: the client sets them (the key, User-Agent),
// net/http frames the message and the connection with them, or they change what is done
// behind the caller's back. An idempotency key makes net/http replay even a POST on a
// broken connection; a method override can turn a harmless request into a delete at a
// server that honours it; Accept-Encoding turns off net/http's transparent gzip, so the
// body would arrive compressed; credentials belong to the client, not to a call.
var ownHeaders = headerSet(
	apiKeyHeader, "User-Agent", "Authorization", "Proxy-Authorization", "Cookie",
	"Host", "Content-Length", "Content-Type", "Transfer-Encoding", "Trailer", "Te",
	"Connection", "Keep-Alive", "Proxy-Connection", "Upgrade", "Expect", "Accept-Encoding",
	"Idempotency-Key", "X-Idempotency-Key",
	"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override",
)

// headerSet returns the canonical forms of names as a set.
func headerSet(names ...string) map[string]bool {
	set := make(map[string]bool, len(names))
	for _, name := range names {
		set[http.CanonicalHeaderKey(name)] = true
	}
	return set
}

func checkHeader(name, value string) error {
	if name == "" || strings.IndexFunc(name, notTokenChar) >= 0 {
		return fmt.Errorf("header name %q is not an HTTP token", name)
	}
	if ownHeaders[http.CanonicalHeaderKey(name)] {
		return fmt.Errorf("header %s is set by the client, not per call", http.CanonicalHeaderKey(name))
	}
	if strings.ContainsFunc(value, func(r rune) bool { return r != '\t' && (r < 0x20 || r == 0x7f) }) {
		return fmt.Errorf("value of header %s holds a control character", http.CanonicalHeaderKey(name))
	}
	return nil
}

// notTokenChar reports whether r may not appear in a header name (RFC 9110, 5.6.2).
func notTokenChar(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return false
	}
	return !strings.ContainsRune("!#$%&'*+-.^_`|~", r)
}

// callState travels in the context of one call's requests, from the method to the
// transport and back: the call's settings on the way down, what the attempts saw on the
// way up. It is itself the context, so carrying it costs one allocation.
type callState struct {
	context.Context
	settings callSettings

	// deadline is when the call's timeout ends, or the caller's deadline if sooner.
	deadline time.Time

	// mayHaveActed is set by the transport when an attempt ended without a usable answer
	// after the request may have reached the server: the connection broke after it was
	// set up (TLS included), or a gateway answered 502 or 504.
	mayHaveActed bool

	// connected records, for the attempt under way, that net/http got a connection
	// ready to carry the request; nothing can reach the server before that. trace is
	// the hook that sets it.
	connected atomic.Bool
	trace     httptrace.ClientTrace

	// cutoff cancels the call's context when its time is up.
	cutoff cutoff
}

// callStateKey finds the callState among a context's values.
type callStateKey struct{}

// Value answers for the call state and passes every other key to the caller's context.
func (s *callState) Value(key any) any {
	if key == (callStateKey{}) {
		return s
	}
	return s.Context.Value(key)
}

// Deadline reports the call's deadline, so that no wait starts that would outlast it.
func (s *callState) Deadline() (time.Time, bool) {
	return s.deadline, true
}

// stateOf returns the call state in ctx, nil for a request that did not come through a
// method of this package.
func stateOf(ctx context.Context) *callState {
	s, _ := ctx.Value(callStateKey{}).(*callState)
	return s
}

// request is one method call, as send runs it.
type request struct {
	// do issues the generated request.
	do func(context.Context) (*http.Response, error)
	// decode reads a 2xx answer into the method's result; nil discards the body, for
	// calls where the status alone decides (a delete).
	decode func(*http.Response) error
	// idempotentDelete makes a 404 with errorCode AB08 success when an earlier attempt
	// may have done the delete already (see callState.mayHaveActed): the thing is gone,
	// which is what the caller asked for.
	idempotentDelete bool
}

// errNilContext is returned for a call given a nil context.
var errNilContext = errors.New("portkey: context is nil")
