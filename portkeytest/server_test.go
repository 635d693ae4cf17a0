package portkeytest_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/portkey-go/portkey/portkeytest"
)

// do sends a request with the given key ("" for none) and returns status and body.
func do(t *testing.T, srv *portkeytest.Server, method, url, key string) (int, string) {
	t.Helper()
	return doBody(t, srv, method, url, key, "")
}

// doBody is do with a JSON body ("" for none).
func doBody(t *testing.T, srv *portkeytest.Server, method, url, key, body string) (int, string) {
	t.Helper()
	var reader io.Reader
	if body != "" {
		reader = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, url, reader)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("x-portkey-api-key", key)
	}
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(answer)
}

func errorCode(t *testing.T, body string) string {
	t.Helper()
	var e struct {
		ErrorCode string `json:"errorCode"`
		Message   string `json:"message"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil || e.Message == "" {
		t.Fatalf("body %q is not an admin error: %v", body, err)
	}
	return e.ErrorCode
}

func TestDeleteUser(t *testing.T) {
	t.Parallel()
	srv := portkeytest.NewServer(t, portkeytest.WithUsers(portkeytest.User{ID: "u1"}, portkeytest.User{ID: "u2"}))

	status, body := do(t, srv, "DELETE", srv.URL+"/admin/users/u1", srv.APIKey)
	if status != 200 || body != "{}" {
		t.Errorf("delete: %d %s", status, body)
	}
	status, body = do(t, srv, "DELETE", srv.URL+"/admin/users/u1", srv.APIKey)
	if status != 404 || errorCode(t, body) != "AB08" {
		t.Errorf("delete again: %d %s", status, body)
	}
	if users := srv.Users(); len(users) != 1 || users[0].ID != "u2" {
		t.Errorf("users = %v", users)
	}
	if v := srv.Violations(); len(v) != 0 {
		t.Errorf("violations: %v", v)
	}
}

func TestRequiresTheAPIKey(t *testing.T) {
	t.Parallel()
	srv := portkeytest.NewServer(t, portkeytest.WithAPIKey("pk-right"), portkeytest.WithUsers(portkeytest.User{ID: "u1"}))

	for _, key := range []string{"", "pk-wrong", "pk-righ", "pk-right2", "PK-RIGHT"} {
		status, body := do(t, srv, "DELETE", srv.URL+"/admin/users/u1", key)
		if status != 401 || errorCode(t, body) != "AB05" {
			t.Errorf("key %q: %d %s, want 401 AB05", key, status, body)
		}
	}
	if _, ok := srv.User("u1"); !ok {
		t.Error("a request without the right key removed the user")
	}
	// A missing key breaks the description; a wrong one does not.
	if v := srv.Violations(); len(v) != 1 || !strings.Contains(v[0].Problem, "x-portkey-api-key") {
		t.Errorf("violations = %v, want one for the missing key", v)
	}
}

func TestRequestsOutsideTheAPI(t *testing.T) {
	t.Parallel()
	srv := portkeytest.NewServer(t, portkeytest.WithPrefix("/portkey/v1"), portkeytest.WithUsers(portkeytest.User{ID: "u1"}))
	root := strings.TrimSuffix(srv.URL, "/portkey/v1")

	tests := []struct {
		method, url string
		status      int
	}{
		{"DELETE", root + "/admin/users/u1", 404},
		{"DELETE", root + "/v1/admin/users/u1", 404},
		{"DELETE", root + "/portkey/admin/users/u1", 404},
		{"DELETE", srv.URL + "/admin/users/", 404},
		{"DELETE", srv.URL + "/admin/users/u1/extra", 404},
		// Methods the API does not have on paths it does: a POST to a user, and a DELETE
		// of the whole user list, which must never read as "remove everyone".
		{"POST", srv.URL + "/admin/users/u1", 405},
		{"DELETE", srv.URL + "/admin/users", 405},
	}
	for _, tt := range tests {
		status, body := do(t, srv, tt.method, tt.url, srv.APIKey)
		if status != tt.status || strings.Contains(body, "AB08") {
			t.Errorf("%s %s: %d %q, want %d and no AB08", tt.method, tt.url, status, body, tt.status)
		}
	}
	if _, ok := srv.User("u1"); !ok {
		t.Error("a request outside the API removed the user")
	}
	if v := srv.Violations(); len(v) != len(tests) {
		t.Errorf("%d violations recorded, want %d: %v", len(v), len(tests), v)
	}
}

func TestCalls(t *testing.T) {
	t.Parallel()
	srv := portkeytest.NewServer(t, portkeytest.WithUsers(portkeytest.User{ID: "a/b"}))
	do(t, srv, "DELETE", srv.URL+"/admin/users/a%2Fb", srv.APIKey)
	do(t, srv, "DELETE", srv.URL+"/nowhere", srv.APIKey)

	calls := srv.Calls()
	want := []portkeytest.Call{
		{Method: "DELETE", Path: "/v1/admin/users/a%2Fb", Operation: "DELETE /admin/users/{userId}", Status: 200},
		{Method: "DELETE", Path: "/v1/nowhere", Status: 404},
	}
	if len(calls) != len(want) || calls[0] != want[0] || calls[1] != want[1] {
		t.Errorf("calls = %+v\nwant    %+v", calls, want)
	}
}

func TestAsCloud(t *testing.T) {
	t.Parallel()
	srv := portkeytest.NewServer(t, portkeytest.AsCloud(), portkeytest.WithUsers(portkeytest.User{ID: "u1"}))
	if srv.URL != "https://api.portkey.ai/v1" {
		t.Fatalf("URL = %s", srv.URL)
	}

	status, _ := do(t, srv, "DELETE", srv.URL+"/admin/users/u1", srv.APIKey)
	if status != 200 {
		t.Errorf("delete over the cloud URL: %d", status)
	}

	// The test client reaches nothing but this server.
	for _, url := range []string{"https://example.com/", "https://api.portkey.ai:8443/v1/admin/users/u1",
		"http://api.portkey.ai/v1/admin/users/u1"} {
		if resp, err := srv.HTTPClient().Get(url); err == nil {
			resp.Body.Close()
			t.Errorf("GET %s went through", url)
		}
	}
}

func TestAsCloudRefusesAPrefix(t *testing.T) {
	t.Parallel()
	if srv, err := portkeytest.Start(portkeytest.AsCloud(), portkeytest.WithPrefix("/portkey")); err == nil {
		srv.Close()
		t.Error("Start accepted AsCloud with WithPrefix")
	}
}

func TestSelfHostedClientReachesOnlyItsServer(t *testing.T) {
	t.Parallel()
	srv := portkeytest.NewServer(t)
	other := portkeytest.NewServer(t)
	if resp, err := srv.HTTPClient().Get(other.URL + "/admin/users/u1"); err == nil {
		resp.Body.Close()
		t.Error("one server's client reached another server")
	}
}

func TestOptionsRefuseBadInput(t *testing.T) {
	t.Parallel()
	for _, opt := range []portkeytest.Option{
		portkeytest.WithPrefix("v1"), portkeytest.WithPrefix("/v1/"), portkeytest.WithAPIKey(""),
		portkeytest.WithUsers(portkeytest.User{}), portkeytest.WithSpec(nil),
		portkeytest.WithPrefix("/a//b"), portkeytest.WithPrefix("/port key"),
		portkeytest.WithWorkspaces(portkeytest.Workspace{Name: "no id"}),
		portkeytest.WithInvites(portkeytest.Invite{ID: "i1"}),
		portkeytest.WithInvites(portkeytest.Invite{Email: "a@example.com"}),
		portkeytest.WithSCIMGroupMappings(portkeytest.SCIMGroupMapping{WorkspaceID: "w1"}),
		// References to what was never seeded.
		portkeytest.WithMembers(portkeytest.Member{WorkspaceID: "w_none", UserID: "u_none"}),
		portkeytest.WithSCIMGroupMappings(portkeytest.SCIMGroupMapping{ID: "m1", WorkspaceID: "w_none"}),
	} {
		if srv, err := portkeytest.Start(opt); err == nil {
			srv.Close()
			t.Error("Start accepted a bad option")
		}
	}
}

// raw sends a hand-written request to srv and returns the status code.
func raw(t *testing.T, srv *portkeytest.Server, request string) int {
	t.Helper()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestRecordsWhatTheDescriptionCannotSay sends requests no well-behaved client sends.
// Each must be recorded, and none may remove the user.
func TestRecordsWhatTheDescriptionCannotSay(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"absolute-form target": "DELETE http://elsewhere.example/v1/admin/users/u1 HTTP/1.1\r\n",
		"fragment":             "DELETE /v1/admin/users/u1#x HTTP/1.1\r\n",
		"key twice":            "DELETE /v1/admin/users/u1 HTTP/1.1\r\nx-portkey-api-key: KEY\r\n",
		"undeclared query":     "DELETE /v1/admin/users/u1?force=true HTTP/1.1\r\n",
		"dot segment as id":    "DELETE /v1/admin/users/.. HTTP/1.1\r\n",
		"encoded dot segment":  "DELETE /v1/admin/users/%2E%2E HTTP/1.1\r\n",
		"body":                 "DELETE /v1/admin/users/u1 HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n",
	}
	for name, head := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := portkeytest.NewServer(t, portkeytest.WithUsers(portkeytest.User{ID: "u1"}, portkeytest.User{ID: ".."}))
			request := strings.ReplaceAll(head, "KEY", srv.APIKey) +
				"Host: x\r\nx-portkey-api-key: " + srv.APIKey + "\r\nConnection: close\r\n\r\n"
			if strings.Contains(head, "Content-Length") {
				request += "{}"
			}

			status := raw(t, srv, request)
			if len(srv.Violations()) == 0 {
				t.Errorf("answered %d and recorded nothing", status)
			}
			if len(srv.Users()) != 2 {
				t.Errorf("answered %d and removed a user: %v", status, srv.Users())
			}
		})
	}
}
