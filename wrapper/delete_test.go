package wrapper_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/portkey-go/portkey/portkeytest"
	"github.com/portkey-go/portkey/wrapper"
)

func TestDeleteRemovesTheUser(t *testing.T) {
	t.Parallel()
	c, srv := localClient(t, portkeytest.WithUsers(portkeytest.User{ID: "user_1"}, portkeytest.User{ID: "user_2"}))

	if err := c.Users.Delete(context.Background(), "user_1"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, ok := srv.User("user_1"); ok {
		t.Error("user_1 is still there")
	}
	if _, ok := srv.User("user_2"); !ok {
		t.Error("user_2 was removed too")
	}
	noViolations(t, srv)
}

func TestDeleteUnknownUser(t *testing.T) {
	t.Parallel()
	c, srv := localClient(t)

	err := c.Users.Delete(context.Background(), "user_404")
	var apiErr *wrapper.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("Delete error = %v, want *APIError", err)
	}
	if !wrapper.IsNotFound(err) || apiErr.StatusCode != 404 || apiErr.Code != "AB08" ||
		apiErr.Message != `user "user_404" not found` || apiErr.RequestID != "trace-1" {
		t.Errorf("APIError = %+v", apiErr)
	}
	want := `portkey: DELETE /v1/admin/users/user_404: 404 Not Found: AB08: user "user_404" not found (request id trace-1)`
	if err.Error() != want {
		t.Errorf("Error() = %q\nwant      %q", err.Error(), want)
	}
	noViolations(t, srv)
}

func TestDeleteWithWrongKey(t *testing.T) {
	t.Parallel()
	srv := portkeytest.NewServer(t, portkeytest.WithUsers(portkeytest.User{ID: "user_1"}))
	c, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithAPIKey(testKey),
		wrapper.WithSelfHosted(srv.URL), wrapper.WithHTTPClient(srv.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}

	err = c.Users.Delete(context.Background(), "user_1")
	var apiErr *wrapper.APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, wrapper.ErrUnauthorized) || apiErr.Code != "AB05" {
		t.Fatalf("Delete error = %v, want 401 AB05", err)
	}
	if strings.Contains(err.Error(), testKey) {
		t.Errorf("error %q shows the API key", err)
	}
	if _, ok := srv.User("user_1"); !ok {
		t.Error("user_1 was removed with a wrong key")
	}
	noViolations(t, srv)
}

// hostileIDs are ids that must each travel as one path segment and come back whole.
var hostileIDs = []string{
	"user_123",
	"a/b",
	"../admin",
	"../../v1/admin/users",
	"%2e%2e",
	"%2F",
	"a?b=c",
	"a#frag",
	"100%",
	"with space",
	" leading",
	"trailing ",
	"a;b,c",
	"a+b",
	"a:b",
	"a@b",
	"...",
	"./",
	"/",
	"\\..\\",
	"ünïcødé-ユーザー",
	"emoji-😀",
	"\xff\xfe",
	strings.Repeat("x", 1000),
}

func TestDeleteSendsIDAsOneSegment(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []string
	srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.URL.EscapedPath(), prefix+"/admin/users/")
		if !ok || strings.Contains(rest, "/") {
			t.Errorf("path %q is not the base path, admin/users/ and one segment", r.URL.EscapedPath())
		}
		id, err := url.PathUnescape(rest)
		if err != nil {
			t.Errorf("segment %q does not decode: %v", rest, err)
		}
		mu.Lock()
		got = append(got, id)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, "{}")
	})
	c, _ := newClient(t, srv.URL+prefix)

	for _, id := range hostileIDs {
		if err := c.Users.Delete(context.Background(), id); err != nil {
			t.Errorf("Delete(%q): %v", id, err)
		}
	}
	if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", hostileIDs) {
		t.Errorf("server decoded\n%q\nwant\n%q", got, hostileIDs)
	}
}

func TestDeleteHostileIDsAgainstLocalControlPlane(t *testing.T) {
	t.Parallel()
	users := make([]portkeytest.User, len(hostileIDs))
	for i, id := range hostileIDs {
		users[i] = portkeytest.User{ID: id}
	}
	c, srv := localClient(t, portkeytest.WithUsers(users...), portkeytest.WithUsers(portkeytest.User{ID: "admin"}))

	for _, id := range hostileIDs {
		if err := c.Users.Delete(context.Background(), id); err != nil {
			t.Errorf("Delete(%q): %v", id, err)
		}
	}
	if left := srv.Users(); len(left) != 1 || left[0].ID != "admin" {
		t.Errorf("users left = %v, want only admin", left)
	}
	noViolations(t, srv)
}

func TestDeleteRefusesIDsBeforeSending(t *testing.T) {
	t.Parallel()
	srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request sent for a refused id: %s", r.URL.EscapedPath())
	})
	c, _ := newClient(t, srv.URL+prefix)

	for _, id := range []string{"", ".", "..", "a\x00b", "line\nbreak", "tab\t", "del\x7f", "c1\u0085"} {
		err := c.Users.Delete(context.Background(), id)
		if err == nil || !strings.Contains(err.Error(), "Users.Delete: userID") {
			t.Errorf("Delete(%q) error = %v, want one naming userID", id, err)
		}
	}
	//lint:ignore SA1012 a nil context is exactly what this checks
	if err := c.Users.Delete(nil, "user_1"); err == nil {
		t.Error("Delete accepted a nil context")
	}
}

func TestDeleteSuccessBodies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		answer canned
	}{
		{"empty object", canned{status: 200, contentType: "application/json", body: "{}"}},
		{"empty body with JSON type", canned{status: 200, contentType: "application/json"}},
		{"no content", canned{status: 204}},
		{"null", canned{status: 200, contentType: "application/json", body: "null"}},
		{"array", canned{status: 200, contentType: "application/json", body: "[]"}},
		{"string", canned{status: 200, contentType: "application/json", body: `"ok"`}},
		{"object with fields", canned{status: 200, contentType: "application/json; charset=utf-8",
			body: `{"success":true}`}},
		{"not JSON at all", canned{status: 200, contentType: "text/plain", body: "OK"}},
		{"accepted", canned{status: 202}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := prefixed(t, tt.answer.write)
			c, _ := newClient(t, srv.URL+prefix)
			if err := c.Users.Delete(context.Background(), "user_1"); err != nil {
				t.Errorf("Delete: %v", err)
			}
		})
	}
}

func TestHeadersSentOnce(t *testing.T) {
	t.Parallel()
	srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Values("X-Portkey-Api-Key"); len(got) != 1 || got[0] != testKey {
			t.Errorf("x-portkey-api-key = %q, want the key once", got)
		}
		ua := r.Header.Values("User-Agent")
		if len(ua) != 1 || !strings.HasPrefix(ua[0], "portkey-go/") ||
			!strings.Contains(ua[0], "github.com/portkey-go/portkey") {
			t.Errorf("User-Agent = %q", ua)
		}
	})
	c, _ := newClient(t, srv.URL+prefix)
	if err := c.Users.Delete(context.Background(), "user_1"); err != nil {
		t.Fatal(err)
	}
}

func TestWithUserAgent(t *testing.T) {
	t.Parallel()
	srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("User-Agent"); got != "offboarder/2.1" {
			t.Errorf("User-Agent = %q", got)
		}
	})
	c, _ := newClient(t, srv.URL+prefix, wrapper.WithUserAgent("offboarder/2.1"))
	if err := c.Users.Delete(context.Background(), "user_1"); err != nil {
		t.Fatal(err)
	}
}

// TestDeleteConcurrently shares one client between goroutines (run with -race), mixing
// removals that succeed with removals of users that do not exist.
func TestDeleteConcurrently(t *testing.T) {
	t.Parallel()
	const users, workers = 200, 16
	seed := make([]portkeytest.User, users)
	for i := range seed {
		seed[i] = portkeytest.User{ID: fmt.Sprintf("user_%03d", i)}
	}
	c, srv := localClient(t, portkeytest.WithUsers(seed...))

	var wg sync.WaitGroup
	var removed, notFound, wrong atomic.Int32
	for w := range workers {
		wg.Go(func() {
			for i := w; i < users; i += workers {
				if err := c.Users.Delete(context.Background(), seed[i].ID); err == nil {
					removed.Add(1)
				} else {
					wrong.Add(1)
				}
				if err := c.Users.Delete(context.Background(), "ghost_"+seed[i].ID); wrapper.IsNotFound(err) {
					notFound.Add(1)
				} else {
					wrong.Add(1)
				}
			}
		})
	}
	wg.Wait()

	if removed.Load() != users || notFound.Load() != users || wrong.Load() != 0 {
		t.Errorf("removed %d, not found %d, wrong %d; want %d, %d, 0",
			removed.Load(), notFound.Load(), wrong.Load(), users, users)
	}
	if left := srv.Users(); len(left) != 0 {
		t.Errorf("%d users left", len(left))
	}
	noViolations(t, srv)
}
