package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/portkey-go/portkey/portkeytest"
)

func runWith(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// localOnly clears the variables that would send the program to a real control plane.
func localOnly(t *testing.T) {
	t.Setenv("PORTKEY_API_KEY", "")
	t.Setenv("PORTKEY_BASE_URL", "")
}

func requireLines(t *testing.T, out string, want ...string) {
	t.Helper()
	for _, line := range want {
		if !strings.Contains(out, line+"\n") {
			t.Errorf("output lacks %q:\n%s", line, out)
		}
	}
}

func TestLocalOffboards(t *testing.T) {
	localOnly(t)
	code, out, errOut := runWith(t, "Alan@Example.com")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	requireLines(t, out,
		"offboarding Alan@Example.com",
		"found user user_456 (Alan Turing)",
		"removed user_456 from workspace ws-research (Research, was member)",
		"removed user_456 from workspace ws-platform (Platform, was manager)",
		"cancelled pending invite invite_2",
		"deleted user user_456",
		"users left: ada@example.com, grace@example.com",
	)
	if strings.Contains(out, "invite_1") || strings.Contains(out, "invite_3") {
		t.Errorf("touched an invite that is not pending or not Alan's:\n%s", out)
	}
}

func TestLocalNothingToDo(t *testing.T) {
	localOnly(t)
	code, out, errOut := runWith(t, "nobody@example.com")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	requireLines(t, out, "no user has the address nobody@example.com",
		"no pending invites for nobody@example.com",
		"users left: ada@example.com, alan@example.com, grace@example.com")
}

func TestLocalInvitedOnly(t *testing.T) {
	localOnly(t)
	code, out, _ := runWith(t, "barbara@example.com")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	requireLines(t, out, "no user has the address barbara@example.com", "cancelled pending invite invite_3")
}

func TestUsage(t *testing.T) {
	localOnly(t)
	for _, args := range [][]string{nil, {"a@example.com", "b@example.com"}, {" "}} {
		if code, _, errOut := runWith(t, args...); code != 2 || !strings.HasPrefix(errOut, "usage:") {
			t.Errorf("args %q: exit %d, stderr %q", args, code, errOut)
		}
	}
}

// TestConfiguredControlPlane runs twice against the control plane the environment names:
// the first run does everything, the second finds nothing left.
func TestConfiguredControlPlane(t *testing.T) {
	srv := portkeytest.NewServer(t, portkeytest.WithPrefix("/portkey/v1"),
		portkeytest.WithUsers(demoUsers...), portkeytest.WithWorkspaces(demoWorkspaces...),
		portkeytest.WithMembers(demoMembers...), portkeytest.WithInvites(demoInvites...))
	t.Setenv("PORTKEY_API_KEY", srv.APIKey)
	t.Setenv("PORTKEY_BASE_URL", srv.URL)

	code, out, errOut := runWith(t, "alan@example.com")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q, stdout %q", code, errOut, out)
	}
	requireLines(t, out, "control plane at "+srv.URL, "deleted user user_456")
	if _, ok := srv.User("user_456"); ok {
		t.Error("the user is still there")
	}
	for _, w := range []string{"ws_1", "ws_2"} {
		for _, m := range srv.Members(w) {
			if m.UserID == "user_456" {
				t.Errorf("still a member of %s", w)
			}
		}
	}
	if inv, _ := srv.Invite("invite_2"); inv.ID != "" {
		t.Error("the pending invite is still there")
	}

	code, out, errOut = runWith(t, "alan@example.com")
	if code != 0 || errOut != "" {
		t.Fatalf("second run: exit %d, stderr %q", code, errOut)
	}
	requireLines(t, out, "no user has the address alan@example.com", "no pending invites for alan@example.com")
	for _, v := range srv.Violations() {
		t.Errorf("violation: %s", v)
	}
}

// TestServerThatIgnoresInviteFilters puts a proxy in front of the control plane that
// drops the invite list's filters, as a server that ignores them would: only the
// person's own pending invites may be cancelled.
func TestServerThatIgnoresInviteFilters(t *testing.T) {
	srv := portkeytest.NewServer(t, portkeytest.WithUsers(demoUsers...),
		portkeytest.WithWorkspaces(demoWorkspaces...), portkeytest.WithMembers(demoMembers...),
		portkeytest.WithInvites(demoInvites...))
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/admin/users/invites") {
			q := r.URL.Query()
			q.Del("email")
			q.Del("status")
			r.URL.RawQuery = q.Encode()
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)
	t.Setenv("PORTKEY_API_KEY", srv.APIKey)
	t.Setenv("PORTKEY_BASE_URL", proxy.URL+"/v1")

	code, out, errOut := runWith(t, "alan@example.com")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q, stdout %q", code, errOut, out)
	}
	requireLines(t, out, "cancelled pending invite invite_2")
	for _, id := range []string{"invite_1", "invite_3"} {
		if inv, _ := srv.Invite(id); inv.ID == "" {
			t.Errorf("%s, not a pending invite of alan@example.com, was cancelled", id)
		}
	}
}

// TestServerThatHidesEntries puts a proxy in front of the control plane that sends every
// list with its real total but only its first entry, as a broken server might. The
// program cannot see everyone, so it must fail rather than report that nobody has the
// address.
func TestServerThatHidesEntries(t *testing.T) {
	srv := portkeytest.NewServer(t, portkeytest.WithUsers(demoUsers...),
		portkeytest.WithWorkspaces(demoWorkspaces...), portkeytest.WithMembers(demoMembers...),
		portkeytest.WithInvites(demoInvites...))
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, r)
		var list struct {
			Total int               `json:"total"`
			Data  []json.RawMessage `json:"data"`
		}
		body := rec.Body.Bytes()
		if r.Method == http.MethodGet && json.Unmarshal(body, &list) == nil && len(list.Data) > 1 {
			list.Data = list.Data[:1]
			body, _ = json.Marshal(list)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		w.Write(body)
	}))
	t.Cleanup(proxy.Close)
	t.Setenv("PORTKEY_API_KEY", srv.APIKey)
	t.Setenv("PORTKEY_BASE_URL", proxy.URL+"/v1")

	code, out, errOut := runWith(t, "grace@example.com")
	if code != 1 || !strings.Contains(errOut, "server counts") {
		t.Errorf("exit %d, stderr %q, stdout %q; want exit 1 saying the list was incomplete", code, errOut, out)
	}
	if _, ok := srv.User("user_789"); !ok {
		t.Error("the user was removed though the walk was incomplete")
	}
}

func TestConfigurationErrors(t *testing.T) {
	srv := portkeytest.NewServer(t, portkeytest.WithUsers(demoUsers...))
	tests := []struct {
		key, base, want string
	}{
		{"pk-wrong", srv.URL, "401 Unauthorized: AB05"},
		{"", srv.URL, "no API key"},
		{srv.APIKey, "http://portkey.internal.example/v1", "plain http"},
	}
	for _, tt := range tests {
		t.Setenv("PORTKEY_API_KEY", tt.key)
		t.Setenv("PORTKEY_BASE_URL", tt.base)
		code, _, errOut := runWith(t, "alan@example.com")
		if code != 1 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, tt.want) {
			t.Errorf("key %q base %q: exit %d, stderr %q; want 1 and %q", tt.key, tt.base, code, errOut, tt.want)
		}
		if strings.Contains(errOut, srv.APIKey) {
			t.Errorf("stderr shows the API key: %q", errOut)
		}
	}
	if _, ok := srv.User("user_456"); !ok {
		t.Error("a failing run removed the user")
	}
}
