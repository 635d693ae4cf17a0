// Package portkeytest runs an in-memory Portkey control plane on loopback, for testing
// code that calls Portkey without touching a real organisation.
//
// The server serves every operation of the admin API's description: users, invites,
// workspaces with their members and SCIM group mappings. It keeps one organisation that
// a test seeds (WithUsers, WithWorkspaces, WithInvites, WithMembers,
// WithSCIMGroupMappings, or the Add methods) and inspects (User, Workspace, Members,
// ...), and keeps it consistent the way the API does: removing a user takes them out of
// every workspace, deleting a workspace ends its memberships and SCIM group mappings,
// and an invite accepted with AcceptInvite makes a user who joins the invite's
// workspaces. An unknown id is answered 404 with errorCode AB08. Lists are paged with
// each endpoint's own parameters (pageSize and currentPage for users and invites,
// page_size and current_page for workspaces and members), pages counting from 0, 50
// entries a page when the request names no size.
//
// Every request the server receives is checked against Portkey's API description
// (openapi.yaml, through package api) before it is served, and every answer it gives is
// checked too. Whatever breaks the description is recorded, so a test can require that
// Violations is empty at the end. A faulty request is answered with an error: 404 for a
// path outside the API (dot segments as ids included, as a router would), 405 for a
// wrong method, 401 (AB05) for a wrong or missing API key, 400 (AB01) for any other
// fault.
//
//	srv := portkeytest.NewServer(t, portkeytest.WithUsers(portkeytest.User{ID: "user_1"}))
//	client, _ := wrapper.New(wrapper.WithAPIKey(srv.APIKey), wrapper.WithSelfHosted(srv.URL),
//		wrapper.WithHTTPClient(srv.HTTPClient()))
//	err := client.Users.Delete(ctx, "user_1")
package portkeytest

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/portkey-go/portkey/api"
)

// User is a member of the organisation the server pretends to run.
type User struct {
	// ID is the user's id, the {userId} of the admin API's paths. WithUsers refuses an
	// empty one.
	ID string
	// Email is the user's email address.
	Email string
	// FirstName is the user's first name.
	FirstName string
	// LastName is the user's last name.
	LastName string
	// Role is the organisation role: "owner", "admin" or "member".
	Role string
}

// Call is one request the server received, in the order received.
type Call struct {
	// Method is the request's HTTP method.
	Method string
	// Path is the escaped URL path as received, prefix included.
	Path string
	// Operation is the matched operation as "METHOD /path/{template}", empty when none
	// matched.
	Operation string
	// Status is the status the server answered with.
	Status int
}

// Violation is a request or answer that broke the API description.
type Violation struct {
	// Method is the request's HTTP method.
	Method string
	// Path is the escaped URL path as received, prefix included.
	Path string
	// Problem says what broke the description.
	Problem string
}

// String reads like "DELETE /v1/admin/users/: api: no operation matches the path:
// /admin/users/".
func (v Violation) String() string {
	return v.Method + " " + v.Path + ": " + v.Problem
}

// Server is a running control plane. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL to configure the client with: "http://127.0.0.1:PORT/v1" by
	// default, with the prefix given by WithPrefix in place of "/v1", or the
	// description's server URL (https://api.portkey.ai/v1) with AsCloud.
	URL string
	// APIKey is the only key the server accepts.
	APIKey string

	http      *httptest.Server
	spec      *api.Spec
	prefix    string
	keyHeader string
	client    *http.Client

	mu         sync.Mutex
	st         *state
	calls      []Call
	violations []Violation
	traceSeq   int
}

// Option configures a Server.
type Option func(*settings) error

type settings struct {
	prefix    string
	prefixSet bool
	apiKey    string
	spec      *api.Spec
	cloud     bool

	users      []User
	workspaces []Workspace
	invites    []Invite
	members    []Member
	mappings   []SCIMGroupMapping
}

// WithPrefix mounts the API under a base path, such as "/portkey/v1" for a self-hosted
// control plane behind a path-routing proxy, or "" for the root. It must be empty or an
// escaped path that starts with "/", does not end with "/" and has no empty or dot
// segments (api.CheckBasePath). The default is "/v1", as in the cloud.
func WithPrefix(prefix string) Option {
	return func(s *settings) error {
		if err := api.CheckBasePath(prefix); err != nil {
			return fmt.Errorf("portkeytest: WithPrefix: %w", err)
		}
		s.prefix, s.prefixSet = prefix, true
		return nil
	}
}

// WithAPIKey sets the key the server accepts instead of a random one.
func WithAPIKey(key string) Option {
	return func(s *settings) error {
		if key == "" {
			return errors.New("portkeytest: WithAPIKey: key is empty")
		}
		s.apiKey = key
		return nil
	}
}

// WithUsers seeds the organisation's users.
func WithUsers(users ...User) Option {
	return seeding("WithUsers", "an ID", users, func(s *settings) *[]User { return &s.users },
		func(u User) bool { return u.ID != "" })
}

// WithWorkspaces seeds workspaces.
func WithWorkspaces(workspaces ...Workspace) Option {
	return seeding("WithWorkspaces", "an ID", workspaces, func(s *settings) *[]Workspace { return &s.workspaces },
		func(w Workspace) bool { return w.ID != "" })
}

// WithInvites seeds invites, pending unless their Status says otherwise. Each needs an
// ID and an Email.
func WithInvites(invites ...Invite) Option {
	return seeding("WithInvites", "an ID or an Email", invites, func(s *settings) *[]Invite { return &s.invites },
		func(inv Invite) bool { return inv.ID != "" && inv.Email != "" })
}

// WithMembers seeds workspace memberships. Each must name a user and a workspace that
// are seeded too (in any order), or Start fails.
func WithMembers(members ...Member) Option {
	return seeding("WithMembers", "", members, func(s *settings) *[]Member { return &s.members },
		func(Member) bool { return true })
}

// WithSCIMGroupMappings seeds SCIM group mappings. Each must name a seeded workspace,
// or Start fails.
func WithSCIMGroupMappings(mappings ...SCIMGroupMapping) Option {
	return seeding("WithSCIMGroupMappings", "an ID", mappings,
		func(s *settings) *[]SCIMGroupMapping { return &s.mappings },
		func(m SCIMGroupMapping) bool { return m.ID != "" })
}

// seeding is the option that adds items to the settings' list for them, once complete
// has passed each. The error for one that has not names the option, the item's place
// and what it lacks.
func seeding[T any](option, lacks string, items []T, list func(*settings) *[]T,
	complete func(T) bool) Option {
	return func(s *settings) error {
		for i, item := range items {
			if !complete(item) {
				return fmt.Errorf("portkeytest: %s: entry %d lacks %s", option, i, lacks)
			}
		}
		*list(s) = append(*list(s), items...)
		return nil
	}
}

// WithSpec checks traffic against the given description instead of the one embedded in
// the module, such as openapi.yaml read from disk by api.LoadFile.
func WithSpec(spec *api.Spec) Option {
	return func(s *settings) error {
		if spec == nil {
			return errors.New("portkeytest: WithSpec: spec is nil")
		}
		s.spec = spec
		return nil
	}
}

// AsCloud makes the server stand in for Portkey's cloud: it serves HTTPS under the
// description's server URL (https://api.portkey.ai/v1), with a certificate made for the
// occasion, and URL is that cloud URL. It cannot be combined with WithPrefix. Only the client from HTTPClient trusts the
// certificate and routes the cloud's host name to this server, so a client left at its
// cloud default can be tested without a packet leaving the machine.
func AsCloud() Option {
	return func(s *settings) error {
		s.cloud = true
		return nil
	}
}

// Start starts a server. Close it when done.
func Start(opts ...Option) (*Server, error) {
	cfg := settings{prefix: "/v1"}
	for _, opt := range opts {
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.cloud && cfg.prefixSet {
		return nil, errors.New("portkeytest: AsCloud serves under the cloud's own path; drop WithPrefix")
	}
	if cfg.spec == nil {
		spec, err := api.Load()
		if err != nil {
			return nil, fmt.Errorf("portkeytest: %w", err)
		}
		cfg.spec = spec
	}
	if cfg.apiKey == "" {
		cfg.apiKey = "pk-test-" + randomHex(12)
	}

	s := &Server{
		APIKey:    cfg.apiKey,
		spec:      cfg.spec,
		prefix:    cfg.prefix,
		keyHeader: cfg.spec.APIKeyHeader(),
		st:        newState(),
	}
	if err := s.st.seed(&cfg); err != nil {
		return nil, err
	}
	s.http = httptest.NewUnstartedServer(s)

	if cfg.cloud {
		if err := s.startCloud(); err != nil {
			s.http.Close()
			return nil, err
		}
		return s, nil
	}
	s.http.Start()
	s.URL = s.http.URL + s.prefix
	s.client = loopbackClient(s.http.Listener.Addr().String(), s.http.Listener.Addr().String(), nil)
	return s, nil
}

// NewServer starts a server for a test and closes it when the test ends. It fails the
// test at once if the server cannot start.
func NewServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s, err := Start(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Close)
	return s
}

// Close shuts the server down and waits for its requests to finish.
func (s *Server) Close() {
	s.http.Close()
	s.client.CloseIdleConnections()
}

// HTTPClient returns an HTTP client that can reach this server and nothing else: a
// connection to any other address fails without being attempted, so a test that lost its
// base URL cannot reach a real Portkey.
func (s *Server) HTTPClient() *http.Client {
	return s.client
}

// loopbackClient dials target whenever asked for allowed (host:port), and refuses every
// other address.
func loopbackClient(allowed, target string, transport *http.Transport) *http.Client {
	if transport == nil {
		transport = &http.Transport{}
	}
	var d net.Dialer
	transport.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if !strings.EqualFold(addr, allowed) {
			return nil, fmt.Errorf("portkeytest: refusing to dial %s: this client reaches only %s",
				addr, allowed)
		}
		return d.DialContext(ctx, network, target)
	}
	transport.Proxy = nil
	return &http.Client{Transport: transport}
}

// Calls returns every request received so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// Violations returns every request or answer so far that broke the API description.
func (s *Server) Violations() []Violation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.violations)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// reply is one answer before it is written, so that it can be checked against the
// description first.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func jsonReply(status int, v any) reply {
	body, err := json.Marshal(v)
	if err != nil {
		panic(err) // only values built in this package are marshalled
	}
	return reply{status: status, header: http.Header{"Content-Type": {"application/json"}}, body: body}
}

// adminError is the body Portkey's admin API answers errors with.
func adminError(status int, code, message string) reply {
	return jsonReply(status, map[string]string{"errorCode": code, "message": message})
}

// ServeHTTP routes, checks and answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	call := Call{Method: r.Method, Path: r.URL.EscapedPath()}
	rep, match := s.serve(r)
	if match != nil {
		call.Operation = match.Operation.Key()
		if err := s.spec.ValidateResponse(r.Context(), r, match, rep.status, rep.header, rep.body); err != nil {
			s.violate(r, err.Error())
		}
	}
	call.Status = rep.status

	s.mu.Lock()
	s.calls = append(s.calls, call)
	s.traceSeq++
	trace := strconv.Itoa(s.traceSeq)
	s.mu.Unlock()

	for k, v := range rep.header {
		w.Header()[k] = v
	}
	w.Header().Set("x-portkey-trace-id", "trace-"+trace)
	w.WriteHeader(rep.status)
	_, _ = w.Write(rep.body)
}

// serve answers r, recording whatever breaks the description.
func (s *Server) serve(r *http.Request) (reply, *api.Match) {
	match, err := s.spec.FindRequest(r, s.prefix)
	if errors.Is(err, api.ErrMethodNotAllowed) {
		s.violate(r, err.Error())
		return adminError(http.StatusMethodNotAllowed, "AB01", "method not allowed"), nil
	}
	if err != nil {
		// A path outside the API gets what a router in front of it would say: a plain
		// 404 that is not an admin error, so it cannot pass for "unknown user".
		s.violate(r, err.Error())
		return reply{status: http.StatusNotFound, header: http.Header{
			"Content-Type": {"text/plain; charset=utf-8"}}, body: []byte("404 page not found\n")}, nil
	}

	// Every request is checked, even one that is then refused for its key, so that a
	// client's fault is recorded whatever the key.
	invalid := s.spec.ValidateRequest(r.Context(), r, match)
	if problem := requestTargetProblem(r, s.keyHeader); invalid == nil && problem != "" {
		invalid = errors.New(problem)
	}
	if invalid != nil {
		s.violate(r, invalid.Error())
	}
	key := r.Header.Get(s.keyHeader)
	if subtle.ConstantTimeCompare([]byte(key), []byte(s.APIKey)) != 1 {
		return adminError(http.StatusUnauthorized, "AB05", "invalid API key"), match
	}
	if invalid != nil {
		return adminError(http.StatusBadRequest, "AB01", invalid.Error()), match
	}

	handle, ok := handlers[match.Operation.Key()]
	if !ok {
		s.violate(r, "portkeytest does not implement "+match.Operation.Key())
		return adminError(http.StatusNotImplemented, "AB04", "not implemented"), match
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return handle(s, r, match.Params), match
}

// requestTargetProblem finds what a well-behaved client never sends but the API
// description cannot express: an absolute-form target, a fragment, a repeated API key.
func requestTargetProblem(r *http.Request, keyHeader string) string {
	switch {
	case r.URL.IsAbs():
		return "absolute-form request target " + strconv.Quote(r.RequestURI)
	case r.URL.Fragment != "" || strings.Contains(r.RequestURI, "#"):
		return "request target with a fragment " + strconv.Quote(r.RequestURI)
	case len(r.Header.Values(keyHeader)) > 1:
		return keyHeader + " sent " + strconv.Itoa(len(r.Header.Values(keyHeader))) + " times"
	}
	return ""
}

func (s *Server) violate(r *http.Request, problem string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.violations = append(s.violations, Violation{
		Method: r.Method, Path: r.URL.EscapedPath(), Problem: problem,
	})
}
