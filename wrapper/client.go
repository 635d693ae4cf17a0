package wrapper

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"runtime/debug"
	"sync"
	"time"

	"github.com/portkey-go/portkey/generated"
)

// modulePath is this module's import path, as recorded in build information.
const modulePath = "github.com/portkey-go/portkey"

// Client calls the Portkey control plane. Build one with New and share it: it is safe
// for concurrent use, and its connections are pooled by the underlying HTTP client.
type Client struct {
	// Users manages the users of the organisation.
	Users *UserService
	// Invites manages invitations to the organisation.
	Invites *InviteService
	// Workspaces manages the organisation's workspaces, their members and their SCIM
	// group mappings.
	Workspaces *WorkspaceService

	api     *generated.ClientWithResponses
	http    *http.Client // what api sends with, through the transport
	baseURL *url.URL
	cred    *credential
	timeout time.Duration
	dog     *watchdog // ends calls whose time is up
}

// New builds a Client. Settings are taken in this order, the first found winning:
// options, then the environment (PORTKEY_API_KEY, PORTKEY_BASE_URL, unless
// WithoutEnvironment), then defaults (Portkey's cloud at CloudBaseURL, DefaultMaxRetries,
// DefaultTimeout). New fails, before anything is sent, when an option is bad, when no API
// key is set, or when the base URL is unusable; the error names the option or variable
// the bad value came from.
func New(opts ...Option) (*Client, error) {
	cfg := config{timeout: DefaultTimeout, retries: DefaultMaxRetries, wait: sleep}
	for i, opt := range opts {
		if opt == nil {
			return nil, fmt.Errorf("portkey: option %d is nil", i)
		}
		if err := opt(&cfg); err != nil {
			return nil, fmt.Errorf("portkey: %w", err)
		}
	}
	cfg.applyEnvironment()

	if !cfg.apiKey.set {
		return nil, fmt.Errorf("portkey: no API key: use WithAPIKey or set %s", EnvAPIKey)
	}
	if err := checkAPIKey(cfg.apiKey.value); err != nil {
		return nil, fmt.Errorf("portkey: %s: %w", cfg.apiKey.source, err)
	}

	raw, source := CloudBaseURL, "default base URL"
	if cfg.baseURL.set {
		raw, source = cfg.baseURL.value, cfg.baseURL.source
	}
	cred := newCredential(cfg.apiKey.value)
	base, err := parseBaseURL(raw, cfg.allowHTTP)
	if err != nil {
		// The error shows the URL, and a URL pasted by mistake may hold the key.
		return nil, cred.maskError(fmt.Errorf("portkey: %s: %w", source, err))
	}
	return newClient(&cfg, base, cred)
}

func newClient(cfg *config, base *url.URL, cred *credential) (*Client, error) {
	hc := cfg.client
	if hc == nil {
		hc = &http.Client{Transport: defaultTransport()}
	}
	ua := cfg.userAgent
	if ua == "" {
		ua = defaultUserAgent()
	}
	jitter := cfg.jitter
	if jitter == nil {
		jitter = fullJitter
	}

	doer := &transport{
		client:    refuseRedirects(hc),
		origin:    origin(base),
		scheme:    base.Scheme,
		host:      base.Host,
		cred:      cred,
		userAgent: []string{ua},
		retries:   cfg.retries,
		wait:      cfg.wait,
		jitter:    jitter,
	}
	if !cfg.noSharedWait {
		doer.pause = newPause()
	}
	api, err := generated.NewClientWithResponses(base.String(), generated.WithHTTPClient(doer))
	if err != nil {
		return nil, fmt.Errorf("portkey: %w", err)
	}

	c := &Client{api: api, http: doer.client, baseURL: base, cred: cred, timeout: cfg.timeout,
		dog: new(watchdog)}
	c.Users = &UserService{client: c}
	c.Invites = &InviteService{client: c}
	c.Workspaces = &WorkspaceService{client: c,
		Members: &MemberService{client: c}, SCIMGroups: &SCIMGroupService{client: c}}
	return c, nil
}

// maxHeaderBytes bounds the header block of an answer, as maxErrorBody bounds the body.
// net/http's own default is 10 MiB, which a hostile server can turn into tens of MiB of
// memory per call; Portkey's headers take a few hundred bytes.
const maxHeaderBytes = 1 << 20

// defaultTransport is net/http's default transport with the header block bounded. Each
// Client gets its own, so its connection pool is its own too.
func defaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxResponseHeaderBytes = maxHeaderBytes
	return t
}

// CloseIdleConnections closes the connections the Client keeps open for reuse, as a
// program that is done with it may want to. The Client stays usable: later calls open
// new connections.
func (c *Client) CloseIdleConnections() {
	c.http.CloseIdleConnections()
}

// BaseURL returns the base URL the client sends requests under, with a trailing slash.
func (c *Client) BaseURL() string {
	return c.baseURL.String()
}

// send runs one API call under the client's timeout, or the call's own. It turns an
// answer outside 2xx into *APIError; a 2xx answer goes to r.decode, or its body is
// discarded when the status alone decides (a delete, whatever the body says: {}, nothing,
// null, ...). Every error it returns has the API key masked.
func (c *Client) send(ctx context.Context, opts []CallOption, r request) error {
	if ctx == nil {
		return errNilContext
	}
	state := &callState{Context: ctx}
	for i, opt := range opts {
		if opt == nil {
			return fmt.Errorf("portkey: call option %d is nil", i)
		}
		if err := opt(&state.settings); err != nil {
			return fmt.Errorf("portkey: %w", err)
		}
	}
	// The call ends at its timeout and, once the status is known, bodyGrace later at
	// most; the client's watchdog cancels it then. The caller's own deadline, if sooner,
	// is left to the caller's context, which keeps its cause.
	timeout := cmp.Or(state.settings.timeout, c.timeout)
	now := time.Now()
	limit := now.Add(timeout)
	state.deadline = limit
	if d, ok := ctx.Deadline(); ok && d.Before(state.deadline) {
		state.deadline = d
	}
	state.trace.GotConn = func(httptrace.GotConnInfo) { state.connected.Store(true) }
	ctx, cancel := context.WithCancelCause(httptrace.WithClientTrace(state, &state.trace))
	c.dog.start(&state.cutoff, now, limit, cancel)
	defer state.cutoff.end()
	defer cancel(nil)

	resp, err := r.do(ctx)
	if err != nil {
		return c.cred.maskError(fmt.Errorf("portkey: %w", timedOut(ctx, err)))
	}

	// The status decides the outcome; the body is only read for the result, for an
	// error's details, or to reuse the connection. A server that stalls mid-body gets
	// bodyGrace (the rest of the timeout for a result), then the context is cancelled,
	// which aborts the read: it costs the connection, not the caller's time.
	if r.decode == nil || resp.StatusCode < 200 || resp.StatusCode > 299 {
		state.cutoff.shorten(time.Now().Add(bodyGrace))
	}
	defer drain(resp)
	if resp.StatusCode < 200 {
		// After a 101 the body is the raw connection, which no context governs: it is
		// closed unread, and the answer is an error without a body.
		_ = resp.Body.Close()
		resp.Body = http.NoBody
	}

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := newAPIError(resp, c.cred)
		if r.idempotentDelete && state.mayHaveActed && apiErr.StatusCode == http.StatusNotFound &&
			apiErr.Code == notFoundCode {
			return nil
		}
		return apiErr
	}
	if r.decode != nil {
		if err := r.decode(resp); err != nil {
			return c.cred.maskError(fmt.Errorf("portkey: %s %s: %w", resp.Request.Method,
				resp.Request.URL.EscapedPath(), timedOut(ctx, err)))
		}
	}
	return nil
}

// defaultUserAgent names this module and the version the Go toolchain recorded for it,
// such as "portkey-go/v0.3.0 (github.com/portkey-go/portkey)", or "devel" where it
// recorded none (go test and go run inside this repository).
var defaultUserAgent = sync.OnceValue(func() string {
	version := "devel"
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, m := range append([]*debug.Module{&info.Main}, info.Deps...) {
			if m.Path == modulePath && m.Version != "" && m.Version != "(devel)" {
				version = m.Version
			}
		}
	}
	return "portkey-go/" + version + " (" + modulePath + ")"
})
