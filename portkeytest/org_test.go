package portkeytest_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/portkey-go/portkey/portkeytest"
)

// org seeds a small organisation: three users, two workspaces, memberships, a pending
// invite and a SCIM group mapping.
func org(t *testing.T, opts ...portkeytest.Option) *portkeytest.Server {
	t.Helper()
	return portkeytest.NewServer(t, append([]portkeytest.Option{
		portkeytest.WithUsers(
			portkeytest.User{ID: "u1", Email: "ada@example.com", Role: "admin"},
			portkeytest.User{ID: "u2", Email: "alan@example.com", Role: "member"},
			portkeytest.User{ID: "u3", Email: "grace@example.com", Role: "member"},
		),
		portkeytest.WithWorkspaces(
			portkeytest.Workspace{ID: "w1", Name: "Team A"},
			portkeytest.Workspace{ID: "w2", Slug: "ws-research", Name: "Research"},
		),
		portkeytest.WithMembers(
			portkeytest.Member{WorkspaceID: "w1", UserID: "u1", Role: "admin"},
			portkeytest.Member{WorkspaceID: "w1", UserID: "u2"},
			portkeytest.Member{WorkspaceID: "ws-research", UserID: "u1", Role: "manager"},
		),
		portkeytest.WithInvites(portkeytest.Invite{ID: "i1", Email: "linus@example.com", Role: "member",
			Workspaces: []portkeytest.InviteWorkspace{{ID: "ws-team-a", Role: "admin"}}}),
		portkeytest.WithSCIMGroupMappings(portkeytest.SCIMGroupMapping{ID: "m1", WorkspaceID: "w2",
			GroupID: "g1", GroupName: "Researchers", Role: "member"}),
	}, opts...)...)
}

// decode reads an answer into v, failing the test when it is not JSON.
func decode(t *testing.T, body string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("answer %q: %v", body, err)
	}
}

func memberIDs(members []portkeytest.Member) []string {
	var ids []string
	for _, m := range members {
		ids = append(ids, m.UserID+":"+m.Role)
	}
	return ids
}

func noViolations(t *testing.T, srv *portkeytest.Server) {
	t.Helper()
	for _, v := range srv.Violations() {
		t.Errorf("violation: %s", v)
	}
}

func TestSeededOrganisation(t *testing.T) {
	t.Parallel()
	srv := org(t)

	if w, ok := srv.Workspace("ws-team-a"); !ok || w.ID != "w1" {
		t.Errorf("workspace by made-up slug = %+v, %v", w, ok)
	}
	if got := memberIDs(srv.Members("w1")); !slices.Equal(got, []string{"u1:admin", "u2:member"}) {
		t.Errorf("members of w1 = %v", got)
	}
	if got := memberIDs(srv.Members("w2")); !slices.Equal(got, []string{"u1:manager"}) {
		t.Errorf("members of w2 (seeded by slug) = %v", got)
	}
	if inv, _ := srv.Invite("i1"); inv.Status != "pending" {
		t.Errorf("seeded invite status = %q, want pending", inv.Status)
	}

	status, body := do(t, srv, "GET", srv.URL+"/admin/users/u1", srv.APIKey)
	var u struct {
		WorkspaceIDs []string `json:"workspace_ids"`
		CreatedAt    string   `json:"created_at"`
	}
	decode(t, body, &u)
	if status != 200 || !slices.Equal(u.WorkspaceIDs, []string{"w1", "w2"}) || len(u.CreatedAt) != len("2024-01-25 11:35:07") {
		t.Errorf("GET u1: %d %s", status, body)
	}
	noViolations(t, srv)
}

func TestDeletingAUserEndsTheirMemberships(t *testing.T) {
	t.Parallel()
	srv := org(t)

	if status, body := do(t, srv, "DELETE", srv.URL+"/admin/users/u1", srv.APIKey); status != 200 {
		t.Fatalf("delete: %d %s", status, body)
	}
	if got := memberIDs(srv.Members("w1")); !slices.Equal(got, []string{"u2:member"}) {
		t.Errorf("members of w1 = %v", got)
	}
	if got := srv.Members("w2"); len(got) != 0 {
		t.Errorf("members of w2 = %v", got)
	}
	status, body := do(t, srv, "GET", srv.URL+"/admin/workspaces/w1/users/u1", srv.APIKey)
	if status != 404 || errorCode(t, body) != "AB08" {
		t.Errorf("GET the removed member: %d %s", status, body)
	}
	noViolations(t, srv)
}

func TestDeletingAWorkspace(t *testing.T) {
	t.Parallel()
	srv := org(t)

	status, body := doBody(t, srv, "DELETE", srv.URL+"/admin/workspaces/w2", srv.APIKey, `{"name":"Wrong"}`)
	if status != 400 || errorCode(t, body) != "AB01" {
		t.Errorf("delete with another name: %d %s", status, body)
	}
	status, body = doBody(t, srv, "DELETE", srv.URL+"/admin/workspaces/ws-research", srv.APIKey,
		`{"name":"Research","force_delete":true}`)
	if status != 200 {
		t.Fatalf("delete by slug: %d %s", status, body)
	}
	if _, ok := srv.Workspace("w2"); ok {
		t.Error("w2 is still there")
	}
	if len(srv.Members("w2")) != 0 || len(srv.SCIMGroupMappings()) != 0 {
		t.Errorf("memberships %v or mappings %v outlived the workspace", srv.Members("w2"), srv.SCIMGroupMappings())
	}
	status, body = do(t, srv, "GET", srv.URL+"/admin/users/u1", srv.APIKey)
	if !strings.Contains(body, `"workspace_ids":["w1"]`) {
		t.Errorf("u1 after the delete: %d %s", status, body)
	}
	noViolations(t, srv)
}

func TestAcceptInvite(t *testing.T) {
	t.Parallel()
	srv := org(t)

	status, body := doBody(t, srv, "POST", srv.URL+"/admin/users/invites", srv.APIKey,
		`{"email":"barbara@example.com","role":"admin","workspaces":[{"id":"ws-research","role":"member"}]}`)
	var created struct {
		ID   string `json:"id"`
		Link string `json:"invite_link"`
	}
	decode(t, body, &created)
	if status != 200 || created.ID == "" || !strings.HasPrefix(created.Link, "https://") {
		t.Fatalf("create: %d %s", status, body)
	}

	u, err := srv.AcceptInvite(created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "barbara@example.com" || u.Role != "admin" {
		t.Errorf("user made = %+v", u)
	}
	if got := memberIDs(srv.Members("w2")); !slices.Contains(got, u.ID+":member") {
		t.Errorf("members of w2 = %v, want %s as member", got, u.ID)
	}
	if inv, _ := srv.Invite(created.ID); inv.Status != "accepted" {
		t.Errorf("invite status = %q", inv.Status)
	}
	if _, err := srv.AcceptInvite(created.ID); err == nil {
		t.Error("an invite was accepted twice")
	}
	if _, err := srv.AcceptInvite("i_none"); err == nil {
		t.Error("an unknown invite was accepted")
	}

	status, body = do(t, srv, "GET", srv.URL+"/admin/users/invites/"+created.ID, srv.APIKey)
	if status != 200 || !strings.Contains(body, `"status":"accepted"`) || !strings.Contains(body, `"accepted_at"`) {
		t.Errorf("GET the accepted invite: %d %s", status, body)
	}
	status, body = do(t, srv, "POST", srv.URL+"/admin/users/invites/"+created.ID+"/resend", srv.APIKey)
	if status != 400 || errorCode(t, body) != "AB01" {
		t.Errorf("resend an accepted invite: %d %s", status, body)
	}
	status, body = doBody(t, srv, "POST", srv.URL+"/admin/users/invites", srv.APIKey,
		`{"email":"barbara@example.com","role":"member","workspaces":[]}`)
	if status != 409 || errorCode(t, body) != "AB07" {
		t.Errorf("invite an existing user: %d %s", status, body)
	}
	noViolations(t, srv)
}

func TestPaging(t *testing.T) {
	t.Parallel()
	var users []portkeytest.User
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		users = append(users, portkeytest.User{ID: id})
	}
	srv := portkeytest.NewServer(t, portkeytest.WithUsers(users...),
		portkeytest.WithWorkspaces(portkeytest.Workspace{ID: "w1"}, portkeytest.Workspace{ID: "w2"},
			portkeytest.Workspace{ID: "w3"}))

	tests := []struct {
		query string
		ids   []string
	}{
		{"/admin/users", []string{"a", "b", "c", "d", "e"}},
		{"/admin/users?pageSize=2", []string{"a", "b"}},
		{"/admin/users?pageSize=2&currentPage=1", []string{"c", "d"}},
		{"/admin/users?pageSize=2&currentPage=2", []string{"e"}},
		{"/admin/users?pageSize=2&currentPage=3", nil},
		{"/admin/users?pageSize=2&currentPage=9223372036854775807", nil},
		{"/admin/workspaces?page_size=2&current_page=1", []string{"w3"}},
	}
	for _, tt := range tests {
		status, body := do(t, srv, "GET", srv.URL+tt.query, srv.APIKey)
		var page struct {
			Total int `json:"total"`
			Data  []struct {
				ID string `json:"id"`
			} `json:"data"`
		}
		decode(t, body, &page)
		var ids []string
		for _, d := range page.Data {
			ids = append(ids, d.ID)
		}
		if status != 200 || !slices.Equal(ids, tt.ids) || page.Total == 0 {
			t.Errorf("GET %s: %d %v total %d, want %v", tt.query, status, ids, page.Total, tt.ids)
		}
	}
	noViolations(t, srv)

	// Each list takes its own spelling only.
	for _, query := range []string{"/admin/users?page_size=2", "/admin/workspaces?pageSize=2"} {
		if status, body := do(t, srv, "GET", srv.URL+query, srv.APIKey); status != 400 || errorCode(t, body) != "AB01" {
			t.Errorf("GET %s: %d %s, want 400 AB01", query, status, body)
		}
	}
	if status, _ := do(t, srv, "GET", srv.URL+"/admin/users?pageSize=-1", srv.APIKey); status != 400 {
		t.Errorf("a negative page size was answered %d", status)
	}
}

func TestUnknownIDs(t *testing.T) {
	t.Parallel()
	srv := org(t)
	tests := []struct{ method, path, body string }{
		{"GET", "/admin/users/u_none", ""},
		{"PUT", "/admin/users/u_none", `{"role":"admin"}`},
		{"DELETE", "/admin/users/u_none", ""},
		{"GET", "/admin/users/invites/i_none", ""},
		{"DELETE", "/admin/users/invites/i_none", ""},
		{"POST", "/admin/users/invites/i_none/resend", ""},
		{"GET", "/admin/workspaces/w_none", ""},
		{"PUT", "/admin/workspaces/w_none", `{"name":"x"}`},
		{"DELETE", "/admin/workspaces/w_none", `{}`},
		{"POST", "/admin/workspaces/w_none/users", `{"users":[{"id":"u1","role":"member"}]}`},
		{"GET", "/admin/workspaces/w_none/users", ""},
		{"GET", "/admin/workspaces/w1/users/u3", ""},
		{"PUT", "/admin/workspaces/w1/users/u3", `{"role":"admin"}`},
		{"DELETE", "/admin/workspaces/w1/users/u3", ""},
		{"DELETE", "/scim/workspaces/m_none", ""},
	}
	for _, tt := range tests {
		status, body := doBody(t, srv, tt.method, srv.URL+tt.path, srv.APIKey, tt.body)
		if status != 404 || errorCode(t, body) != "AB08" {
			t.Errorf("%s %s: %d %s, want 404 AB08", tt.method, tt.path, status, body)
		}
	}
	noViolations(t, srv)
}

func TestWorkspaceUpdate(t *testing.T) {
	t.Parallel()
	srv := org(t)
	config := func() string {
		w, _ := srv.Workspace("w1")
		return w.UserAPIKeyConfig
	}

	steps := []struct {
		body, want string
	}{
		{`{"defaults":{"user_api_key_config":"pc-team"}}`, "pc-team"},
		{`{"name":"Team A2"}`, "pc-team"},
		{`{"defaults":{"metadata":{"team":"a"}}}`, "pc-team"},
		{`{"defaults":{"user_api_key_config":null}}`, ""},
	}
	for _, step := range steps {
		if status, body := doBody(t, srv, "PUT", srv.URL+"/admin/workspaces/w1", srv.APIKey, step.body); status != 200 {
			t.Fatalf("PUT %s: %d %s", step.body, status, body)
		}
		if got := config(); got != step.want {
			t.Errorf("after %s: config %q, want %q", step.body, got, step.want)
		}
	}
	w, _ := srv.Workspace("w1")
	if w.Name != "Team A2" || w.Metadata["team"] != "a" {
		t.Errorf("workspace = %+v", w)
	}
	noViolations(t, srv)
}

func TestMembers(t *testing.T) {
	t.Parallel()
	srv := org(t)

	status, body := doBody(t, srv, "POST", srv.URL+"/admin/workspaces/w2/users", srv.APIKey,
		`{"users":[{"id":"u2","role":"admin"},{"id":"u3","role":"member"}]}`)
	if status != 200 {
		t.Fatalf("add: %d %s", status, body)
	}
	status, body = doBody(t, srv, "PUT", srv.URL+"/admin/workspaces/w2/users/u3", srv.APIKey, `{"role":"manager"}`)
	if status != 200 {
		t.Fatalf("update: %d %s", status, body)
	}
	if got := memberIDs(srv.Members("w2")); !slices.Equal(got, []string{"u1:manager", "u2:admin", "u3:manager"}) {
		t.Errorf("members = %v", got)
	}
	status, body = do(t, srv, "GET", srv.URL+"/admin/workspaces/ws-research/users?role=manager&page_size=1", srv.APIKey)
	if status != 200 || !strings.Contains(body, `"total":2`) || !strings.Contains(body, `"email":"ada@example.com"`) {
		t.Errorf("list managers: %d %s", status, body)
	}
	status, body = doBody(t, srv, "POST", srv.URL+"/admin/workspaces/w2/users", srv.APIKey,
		`{"users":[{"id":"u_none","role":"member"}]}`)
	if status != 400 || errorCode(t, body) != "AB01" {
		t.Errorf("add an unknown user: %d %s", status, body)
	}
	if status, _ := do(t, srv, "DELETE", srv.URL+"/admin/workspaces/w2/users/u2", srv.APIKey); status != 200 {
		t.Errorf("remove: %d", status)
	}
	if _, ok := srv.User("u2"); !ok {
		t.Error("removing a member removed the user")
	}
	noViolations(t, srv)
}

func TestSCIMGroupMappings(t *testing.T) {
	t.Parallel()
	srv := org(t)

	tests := []struct {
		body   string
		status int
	}{
		{`{"workspace_id":"w1","role":"member","scim_group_name":"Engineers"}`, 200},
		{`{"workspace_id":"w1","role":"admin","scim_group_id":"g1"}`, 200},
		{`{"workspace_id":"w1","role":"admin","scim_group_id":"g1"}`, 409},
		{`{"workspace_id":"w1","role":"admin"}`, 400},
		{`{"workspace_id":"w1","role":"admin","scim_group_id":"g1","scim_group_name":"x"}`, 400},
		{`{"workspace_id":"w1","role":"admin","scim_group_name":"ws-team-role-admin"}`, 400},
		{`{"workspace_id":"w_none","role":"admin","scim_group_name":"Ops"}`, 400},
	}
	for _, tt := range tests {
		if status, body := doBody(t, srv, "POST", srv.URL+"/scim/workspaces", srv.APIKey, tt.body); status != tt.status {
			t.Errorf("POST %s: %d %s, want %d", tt.body, status, body, tt.status)
		}
	}

	status, body := do(t, srv, "GET", srv.URL+"/scim/workspaces?workspace_id=ws-team-a", srv.APIKey)
	var list struct {
		Mappings []struct {
			ID        string `json:"id"`
			GroupName string `json:"scim_group"`
		} `json:"mappings"`
		Count int `json:"total_count"`
	}
	decode(t, body, &list)
	if status != 200 || list.Count != 2 || list.Mappings[1].GroupName != "Researchers" {
		t.Errorf("list by slug: %d %s", status, body)
	}
	if status, _ := do(t, srv, "DELETE", srv.URL+"/scim/workspaces/"+list.Mappings[0].ID, srv.APIKey); status != 200 {
		t.Errorf("delete: %d", status)
	}
	if got := srv.SCIMGroupMappings(); len(got) != 2 {
		t.Errorf("mappings left = %v", got)
	}
	noViolations(t, srv)
}
