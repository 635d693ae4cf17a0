package wrapper_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portkey-go/portkey/wrapper"
)

// sent is one request as a hand-written test server received it.
type sent struct {
	method, path, query, contentType, body string
}

// recorder starts a server under prefix that records every request and answers each
// with answer, and returns a client for it.
func recorder(t *testing.T, answer canned) (*wrapper.Client, func() []sent) {
	t.Helper()
	var mu sync.Mutex
	var got []sent
	srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, sent{r.Method, strings.TrimPrefix(r.URL.EscapedPath(), prefix), r.URL.RawQuery,
			r.Header.Get("Content-Type"), string(body)})
		mu.Unlock()
		answer.write(w, r)
	})
	c, _ := newClient(t, srv.URL+prefix)
	return c, func() []sent {
		mu.Lock()
		defer mu.Unlock()
		return append([]sent(nil), got...)
	}
}

// counting starts a server under prefix that answers its nth request (counting from 1)
// with answer(n, r), and returns it with a count of the requests so far.
func counting(t *testing.T, answer func(n int, r *http.Request) canned) (*httptest.Server, func() int) {
	t.Helper()
	var mu sync.Mutex
	requests := 0
	srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests++
		n := requests
		mu.Unlock()
		answer(n, r).write(w, r)
	})
	return srv, func() int {
		mu.Lock()
		defer mu.Unlock()
		return requests
	}
}

// sameJSON reports whether two JSON texts hold the same value; "" stands for no body.
func sameJSON(a, b string) bool {
	if a == "" || b == "" {
		return a == b
	}
	var va, vb any
	return json.Unmarshal([]byte(a), &va) == nil && json.Unmarshal([]byte(b), &vb) == nil &&
		reflect.DeepEqual(va, vb)
}

// sameQuery compares query strings as sets of parameters, whatever their order.
func sameQuery(a, b string) bool {
	va, errA := url.ParseQuery(a)
	vb, errB := url.ParseQuery(b)
	return errA == nil && errB == nil && va.Encode() == vb.Encode()
}

// call is one method call for the tables below.
type call func(ctx context.Context, c *wrapper.Client) error

// discard adapts a method with a result to a call.
func discard[T any](_ T, err error) error { return err }

func TestRequestShape(t *testing.T) {
	t.Parallel()
	reset := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		call   call
		answer string
		want   sent
	}{
		{"Users.List", func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Users.List(ctx, wrapper.UserListOptions{PageSize: 10, Page: 2,
				Role: wrapper.OrgRoleAdmin, Email: "a+b@example.com"}))
		}, `{"data":[]}`, sent{method: "GET", path: "/admin/users",
			query: "pageSize=10&currentPage=2&role=admin&email=a%2Bb%40example.com"}},
		{"Users.List first page", func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Users.List(ctx, wrapper.UserListOptions{}))
		}, `{"data":[]}`, sent{method: "GET", path: "/admin/users", query: "currentPage=0"}},
		{"Users.Get", func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Users.Get(ctx, "a/b?c"))
		}, `{"id":"x"}`, sent{method: "GET", path: "/admin/users/a%2Fb%3Fc"}},
		{"Users.Update", func(ctx context.Context, c *wrapper.Client) error {
			return c.Users.Update(ctx, "u1", wrapper.UserUpdate{Role: wrapper.OrgRoleAdmin})
		}, `{"id":"x"}`, sent{method: "PUT", path: "/admin/users/u1", body: `{"role":"admin"}`}},
		{"Users.Delete", func(ctx context.Context, c *wrapper.Client) error {
			return c.Users.Delete(ctx, "u1")
		}, `{"id":"x"}`, sent{method: "DELETE", path: "/admin/users/u1"}},

		{"Invites.Create without workspaces", func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Invites.Create(ctx, wrapper.InviteCreate{Email: "ada@example.com",
				Role: wrapper.OrgRoleMember}))
		}, `{"id":"i1","invite_link":"x"}`, sent{method: "POST", path: "/admin/users/invites",
			body: `{"email":"ada@example.com","role":"member","workspaces":[]}`}},
		{"Invites.Create", func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Invites.Create(ctx, wrapper.InviteCreate{Email: "ada@example.com",
				Role: wrapper.OrgRoleAdmin, APIKeyScopes: []string{"logs.view"},
				Workspaces: []wrapper.InviteWorkspace{{ID: "ws-a", Role: wrapper.WorkspaceRoleManager}}}))
		}, `{"id":"i1","invite_link":"x"}`, sent{method: "POST", path: "/admin/users/invites",
			body: `{"email":"ada@example.com","role":"admin","workspaces":[{"id":"ws-a","role":"manager"}],
				"workspace_api_key_details":{"scopes":["logs.view"]}}`}},
		{"Invites.List", func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Invites.List(ctx, wrapper.InviteListOptions{PageSize: 5, Page: 1,
				Status: wrapper.InviteStatusPending, Role: wrapper.OrgRoleMember, Email: "x@example.com"}))
		}, `{"data":[]}`, sent{method: "GET", path: "/admin/users/invites",
			query: "pageSize=5&currentPage=1&status=pending&role=member&email=x%40example.com"}},
		{"Invites.Get", func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Invites.Get(ctx, "i1"))
		}, `{"id":"x"}`, sent{method: "GET", path: "/admin/users/invites/i1"}},
		{"Invites.Delete", func(ctx context.Context, c *wrapper.Client) error {
			return c.Invites.Delete(ctx, "i1")
		}, `{"id":"x"}`, sent{method: "DELETE", path: "/admin/users/invites/i1"}},
		{"Invites.Resend", func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Invites.Resend(ctx, "i 1"))
		}, `{"inviteLink":"x"}`, sent{method: "POST", path: "/admin/users/invites/i%201/resend"}},

		{"Workspaces.Create", func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Workspaces.Create(ctx, wrapper.WorkspaceCreate{Name: "Team A",
				Description: "the A team", Metadata: map[string]string{"team": "a"},
				UserIDs: []string{"u1"},
				UsageLimits: []wrapper.UsageLimit{{Type: "cost", CreditLimit: 100, PeriodicReset: "monthly",
					NextUsageResetAt: reset}},
				RateLimits: []wrapper.RateLimit{{Type: "requests", Unit: "rpm", Value: 60}}}))
		}, `{"id":"x"}`, sent{method: "POST", path: "/admin/workspaces", body: `{"name":"Team A",
			"description":"the A team","defaults":{"metadata":{"team":"a"}},"users":["u1"],
			"usage_limits":[{"type":"cost","credit_limit":100,"periodic_reset":"monthly",
				"next_usage_reset_at":"2026-12-01T00:00:00Z"}],
			"rate_limits":[{"type":"requests","unit":"rpm","value":60}]}`}},
		{"Workspaces.Create with a name only", func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Workspaces.Create(ctx, wrapper.WorkspaceCreate{Name: "Team A"}))
		}, `{"id":"x"}`, sent{method: "POST", path: "/admin/workspaces", body: `{"name":"Team A"}`}},
		{"Workspaces.List", func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Workspaces.List(ctx, wrapper.WorkspaceListOptions{PageSize: 3, Page: 1,
				Name: "Team", ExactName: "Team A", Status: wrapper.WorkspaceStatusArchived}))
		}, `{"data":[]}`, sent{method: "GET", path: "/admin/workspaces",
			query: "page_size=3&current_page=1&name=Team&exact_name=Team+A&status=archived"}},
		{"Workspaces.Get", func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Workspaces.Get(ctx, "ws-team-a"))
		}, `{"id":"x"}`, sent{method: "GET", path: "/admin/workspaces/ws-team-a"}},
		{"Workspaces.Update clearing the guardrails", func(ctx context.Context, c *wrapper.Client) error {
			return c.Workspaces.Update(ctx, "w1", wrapper.WorkspaceUpdate{InputGuardrails: []string{}})
		}, `{"id":"x"}`, sent{method: "PUT", path: "/admin/workspaces/w1", body: `{"defaults":{"input_guardrails":[]}}`}},
		{"Workspaces.Update setting the config", func(ctx context.Context, c *wrapper.Client) error {
			return c.Workspaces.Update(ctx, "w1", wrapper.WorkspaceUpdate{Name: new("Team B"),
				Description: new(""), UserAPIKeyConfig: wrapper.Set("pc-team")})
		}, `{"id":"x"}`, sent{method: "PUT", path: "/admin/workspaces/w1",
			body: `{"name":"Team B","description":"","defaults":{"user_api_key_config":"pc-team"}}`}},
		{"Workspaces.Update clearing the config", func(ctx context.Context, c *wrapper.Client) error {
			return c.Workspaces.Update(ctx, "w1", wrapper.WorkspaceUpdate{UserAPIKeyConfig: wrapper.Clear[string]()})
		}, `{"id":"x"}`, sent{method: "PUT", path: "/admin/workspaces/w1",
			body: `{"defaults":{"user_api_key_config":null}}`}},
		{"Workspaces.Update emptying lists", func(ctx context.Context, c *wrapper.Client) error {
			return c.Workspaces.Update(ctx, "w1", wrapper.WorkspaceUpdate{InputGuardrails: []string{},
				Metadata: map[string]string{}, RateLimits: []wrapper.RateLimit{}})
		}, `{"id":"x"}`, sent{method: "PUT", path: "/admin/workspaces/w1",
			body: `{"defaults":{"input_guardrails":[],"metadata":{}},"rate_limits":[]}`}},
		{"Workspaces.Delete", func(ctx context.Context, c *wrapper.Client) error {
			return c.Workspaces.Delete(ctx, "w1", wrapper.WorkspaceDelete{Name: "Team A", Force: true})
		}, `{"id":"x"}`, sent{method: "DELETE", path: "/admin/workspaces/w1",
			body: `{"name":"Team A","force_delete":true}`}},
		{"Workspaces.Delete without confirmation", func(ctx context.Context, c *wrapper.Client) error {
			return c.Workspaces.Delete(ctx, "w1", wrapper.WorkspaceDelete{})
		}, `{"id":"x"}`, sent{method: "DELETE", path: "/admin/workspaces/w1", body: `{}`}},

		{"Workspaces.Members.Add", func(ctx context.Context, c *wrapper.Client) error {
			return c.Workspaces.Members.Add(ctx, "w1", []wrapper.MemberAssignment{
				{UserID: "u1", Role: wrapper.WorkspaceRoleAdmin}, {UserID: "u2", Role: wrapper.WorkspaceRoleMember}})
		}, `{"id":"x"}`, sent{method: "POST", path: "/admin/workspaces/w1/users",
			body: `{"users":[{"id":"u1","role":"admin"},{"id":"u2","role":"member"}]}`}},
		{"Workspaces.Members.List", func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Workspaces.Members.List(ctx, "w1", wrapper.MemberListOptions{PageSize: 2,
				Page: 4, Role: wrapper.WorkspaceRoleManager, Email: "ada@example.com"}))
		}, `{"data":[]}`, sent{method: "GET", path: "/admin/workspaces/w1/users",
			query: "page_size=2&current_page=4&role=manager&email=ada%40example.com"}},
		{"Workspaces.Members.Get", func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Workspaces.Members.Get(ctx, "w1", "u/1"))
		}, `{"id":"x"}`, sent{method: "GET", path: "/admin/workspaces/w1/users/u%2F1"}},
		{"Workspaces.Members.Update", func(ctx context.Context, c *wrapper.Client) error {
			return c.Workspaces.Members.Update(ctx, "w1", "u1", wrapper.MemberUpdate{Role: wrapper.WorkspaceRoleManager})
		}, `{"id":"x"}`, sent{method: "PUT", path: "/admin/workspaces/w1/users/u1", body: `{"role":"manager"}`}},
		{"Workspaces.Members.Remove", func(ctx context.Context, c *wrapper.Client) error {
			return c.Workspaces.Members.Remove(ctx, "w1", "u1")
		}, `{"id":"x"}`, sent{method: "DELETE", path: "/admin/workspaces/w1/users/u1"}},

		{"Workspaces.SCIMGroups.List", func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Workspaces.SCIMGroups.List(ctx, wrapper.SCIMGroupMappingListOptions{
				WorkspaceID: "w1", GroupID: "g1", Role: wrapper.WorkspaceRoleAdmin}))
		}, `{"mappings":[]}`, sent{method: "GET", path: "/scim/workspaces",
			query: "workspace_id=w1&scim_group_id=g1&role=admin"}},
		{"Workspaces.SCIMGroups.Create", func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Workspaces.SCIMGroups.Create(ctx, wrapper.SCIMGroupMappingCreate{
				WorkspaceID: "w1", Role: wrapper.WorkspaceRoleMember, GroupName: "Engineers"}))
		}, `{"id":"x"}`, sent{method: "POST", path: "/scim/workspaces",
			body: `{"workspace_id":"w1","role":"member","scim_group_name":"Engineers"}`}},
		{"Workspaces.SCIMGroups.Delete", func(ctx context.Context, c *wrapper.Client) error {
			return c.Workspaces.SCIMGroups.Delete(ctx, "m1")
		}, `{"success":true}`, sent{method: "DELETE", path: "/scim/workspaces/m1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, requests := recorder(t, canned{status: 200, contentType: "application/json", body: tt.answer})
			if err := tt.call(context.Background(), c); err != nil {
				t.Fatalf("call: %v", err)
			}
			got := requests()
			if len(got) != 1 {
				t.Fatalf("%d requests, want 1: %+v", len(got), got)
			}
			r := got[0]
			if r.method != tt.want.method || r.path != tt.want.path || !sameQuery(r.query, tt.want.query) {
				t.Errorf("sent %s %s?%s\nwant %s %s?%s", r.method, r.path, r.query, tt.want.method, tt.want.path, tt.want.query)
			}
			if !sameJSON(r.body, tt.want.body) {
				t.Errorf("body %s\nwant %s", r.body, tt.want.body)
			}
			if r.body != "" && r.contentType != "application/json" {
				t.Errorf("a body sent as %q", r.contentType)
			}
		})
	}
}

// pathIDCalls call each method that takes path ids with id in one place and good ids in
// the others, and name the argument that must be blamed.
var pathIDCalls = []struct {
	op, field string
	call      func(ctx context.Context, c *wrapper.Client, id string) error
}{
	{"Users.Get", "userID", func(ctx context.Context, c *wrapper.Client, id string) error {
		return discard(c.Users.Get(ctx, id))
	}},
	{"Users.Update", "userID", func(ctx context.Context, c *wrapper.Client, id string) error {
		return c.Users.Update(ctx, id, wrapper.UserUpdate{Role: wrapper.OrgRoleAdmin})
	}},
	{"Users.Delete", "userID", func(ctx context.Context, c *wrapper.Client, id string) error {
		return c.Users.Delete(ctx, id)
	}},
	{"Invites.Get", "inviteID", func(ctx context.Context, c *wrapper.Client, id string) error {
		return discard(c.Invites.Get(ctx, id))
	}},
	{"Invites.Delete", "inviteID", func(ctx context.Context, c *wrapper.Client, id string) error {
		return c.Invites.Delete(ctx, id)
	}},
	{"Invites.Resend", "inviteID", func(ctx context.Context, c *wrapper.Client, id string) error {
		return discard(c.Invites.Resend(ctx, id))
	}},
	{"Workspaces.Get", "workspaceID", func(ctx context.Context, c *wrapper.Client, id string) error {
		return discard(c.Workspaces.Get(ctx, id))
	}},
	{"Workspaces.Update", "workspaceID", func(ctx context.Context, c *wrapper.Client, id string) error {
		return c.Workspaces.Update(ctx, id, wrapper.WorkspaceUpdate{Name: new("n")})
	}},
	{"Workspaces.Delete", "workspaceID", func(ctx context.Context, c *wrapper.Client, id string) error {
		return c.Workspaces.Delete(ctx, id, wrapper.WorkspaceDelete{})
	}},
	{"Workspaces.Members.Add", "workspaceID", func(ctx context.Context, c *wrapper.Client, id string) error {
		return c.Workspaces.Members.Add(ctx, id, []wrapper.MemberAssignment{{UserID: "u1", Role: "member"}})
	}},
	{"Workspaces.Members.List", "workspaceID", func(ctx context.Context, c *wrapper.Client, id string) error {
		return discard(c.Workspaces.Members.List(ctx, id, wrapper.MemberListOptions{}))
	}},
	{"Workspaces.Members.Get", "workspaceID", func(ctx context.Context, c *wrapper.Client, id string) error {
		return discard(c.Workspaces.Members.Get(ctx, id, "u1"))
	}},
	{"Workspaces.Members.Get", "userID", func(ctx context.Context, c *wrapper.Client, id string) error {
		return discard(c.Workspaces.Members.Get(ctx, "w1", id))
	}},
	{"Workspaces.Members.Update", "workspaceID", func(ctx context.Context, c *wrapper.Client, id string) error {
		return c.Workspaces.Members.Update(ctx, id, "u1", wrapper.MemberUpdate{Role: "admin"})
	}},
	{"Workspaces.Members.Update", "userID", func(ctx context.Context, c *wrapper.Client, id string) error {
		return c.Workspaces.Members.Update(ctx, "w1", id, wrapper.MemberUpdate{Role: "admin"})
	}},
	{"Workspaces.Members.Remove", "workspaceID", func(ctx context.Context, c *wrapper.Client, id string) error {
		return c.Workspaces.Members.Remove(ctx, id, "u1")
	}},
	{"Workspaces.Members.Remove", "userID", func(ctx context.Context, c *wrapper.Client, id string) error {
		return c.Workspaces.Members.Remove(ctx, "w1", id)
	}},
	{"Workspaces.SCIMGroups.Delete", "mappingID", func(ctx context.Context, c *wrapper.Client, id string) error {
		return c.Workspaces.SCIMGroups.Delete(ctx, id)
	}},
}

func TestPathIDsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	c, requests := recorder(t, canned{status: 200, contentType: "application/json", body: `{"id":"x","inviteLink":"https://l","data":[]}`})
	bad := []string{"", ".", "..", "u\n1", "u\x001", "u\x7f", "\u0085"}

	for _, m := range pathIDCalls {
		for _, id := range bad {
			err := m.call(context.Background(), c, id)
			prefix := "portkey: " + m.op + ": " + m.field + " "
			if err == nil || !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("%s with %s %q: error %v, want one starting %q", m.op, m.field, id, err, prefix)
			}
		}
	}
	if _, err := c.Users.Get(context.Background(), "invites"); err == nil || !strings.Contains(err.Error(), "list of invites") {
		t.Errorf(`Users.Get("invites"): %v`, err)
	}
	if got := requests(); len(got) != 0 {
		t.Errorf("refused calls sent %d requests: %+v", len(got), got)
	}
}

// TestPathIDsTravelAsOneSegment sends each method a plain id and each hostile one: the
// two paths must differ in exactly one segment, which decodes back to the hostile id.
func TestPathIDsTravelAsOneSegment(t *testing.T) {
	t.Parallel()
	c, requests := recorder(t, canned{status: 200, contentType: "application/json", body: `{"id":"x","inviteLink":"https://l","data":[]}`})
	for _, m := range pathIDCalls {
		for _, id := range append([]string{"PLAIN"}, hostileIDs...) {
			if err := m.call(context.Background(), c, id); err != nil {
				t.Errorf("%s with %s %q: %v", m.op, m.field, id, err)
			}
		}
	}

	got := requests()
	per := 1 + len(hostileIDs)
	if len(got) != len(pathIDCalls)*per {
		t.Fatalf("%d requests, want %d", len(got), len(pathIDCalls)*per)
	}
	for i, m := range pathIDCalls {
		plain := strings.Split(got[i*per].path, "/")
		for j, id := range hostileIDs {
			path := got[i*per+1+j].path
			segments := strings.Split(path, "/")
			differ := 0
			for k := range min(len(plain), len(segments)) {
				if segments[k] != plain[k] {
					differ++
					if decoded, err := url.PathUnescape(segments[k]); err != nil || decoded != id {
						t.Errorf("%s: %s %q travelled as segment %q", m.op, m.field, id, segments[k])
					}
				}
			}
			if len(segments) != len(plain) || differ != 1 {
				t.Errorf("%s: %s %q sent as %s, which is not %s with one segment replaced",
					m.op, m.field, id, path, got[i*per].path)
			}
		}
	}
}

func TestArgumentsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	c, requests := recorder(t, canned{status: 200, contentType: "application/json", body: `{"id":"x","inviteLink":"https://l","data":[]}`})
	tests := []struct {
		call call
		want string
	}{
		{func(ctx context.Context, c *wrapper.Client) error {
			return c.Users.Update(ctx, "u1", wrapper.UserUpdate{})
		}, "portkey: Users.Update: Role is empty"},
		{func(ctx context.Context, c *wrapper.Client) error {
			return c.Workspaces.Update(ctx, "w1", wrapper.WorkspaceUpdate{})
		}, "portkey: Workspaces.Update: the WorkspaceUpdate is empty"},
		{func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Users.List(ctx, wrapper.UserListOptions{PageSize: -1}))
		}, "portkey: Users.List: page size -1 is negative"},
		{func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Invites.List(ctx, wrapper.InviteListOptions{Page: -1}))
		}, "portkey: Invites.List: page -1 is negative"},
		{func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Workspaces.List(ctx, wrapper.WorkspaceListOptions{Page: -2}))
		}, "portkey: Workspaces.List: page -2 is negative"},
		{func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Workspaces.Members.List(ctx, "w1", wrapper.MemberListOptions{PageSize: -5}))
		}, "portkey: Workspaces.Members.List: page size -5 is negative"},
		{func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Invites.Create(ctx, wrapper.InviteCreate{Role: wrapper.OrgRoleMember}))
		}, "portkey: Invites.Create: Email is empty"},
		{func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Invites.Create(ctx, wrapper.InviteCreate{Email: "a@example.com"}))
		}, "portkey: Invites.Create: Role is empty"},
		{func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Invites.Create(ctx, wrapper.InviteCreate{Email: "a@example.com", Role: "member",
				Workspaces: []wrapper.InviteWorkspace{{ID: "w1", Role: "admin"}, {Role: "admin"}}}))
		}, "portkey: Invites.Create: Workspaces[1].ID is empty"},
		{func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Invites.Create(ctx, wrapper.InviteCreate{Email: "a@example.com", Role: "member",
				Workspaces: []wrapper.InviteWorkspace{{ID: "w1"}}}))
		}, "portkey: Invites.Create: Workspaces[0].Role is empty"},
		{func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Workspaces.Create(ctx, wrapper.WorkspaceCreate{Description: "no name"}))
		}, "portkey: Workspaces.Create: Name is empty"},
		{func(ctx context.Context, c *wrapper.Client) error {
			return c.Workspaces.Members.Add(ctx, "w1", nil)
		}, "portkey: Workspaces.Members.Add: no members to add"},
		{func(ctx context.Context, c *wrapper.Client) error {
			return c.Workspaces.Members.Add(ctx, "w1", []wrapper.MemberAssignment{{Role: "admin"}})
		}, "portkey: Workspaces.Members.Add: members[0].UserID is empty"},
		{func(ctx context.Context, c *wrapper.Client) error {
			return c.Workspaces.Members.Add(ctx, "w1", []wrapper.MemberAssignment{{UserID: "u1"}})
		}, "portkey: Workspaces.Members.Add: members[0].Role is empty"},
		{func(ctx context.Context, c *wrapper.Client) error {
			return c.Workspaces.Members.Update(ctx, "w1", "u1", wrapper.MemberUpdate{})
		}, "portkey: Workspaces.Members.Update: Role is empty"},
		{func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Workspaces.SCIMGroups.Create(ctx, wrapper.SCIMGroupMappingCreate{Role: "admin", GroupID: "g"}))
		}, "portkey: Workspaces.SCIMGroups.Create: WorkspaceID is empty"},
		{func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Workspaces.SCIMGroups.Create(ctx, wrapper.SCIMGroupMappingCreate{WorkspaceID: "w1", GroupID: "g"}))
		}, "portkey: Workspaces.SCIMGroups.Create: Role is empty"},
		{func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Workspaces.SCIMGroups.Create(ctx, wrapper.SCIMGroupMappingCreate{WorkspaceID: "w1", Role: "admin"}))
		}, "portkey: Workspaces.SCIMGroups.Create: set exactly one of GroupID and GroupName"},
		{func(ctx context.Context, c *wrapper.Client) error {
			return discard(c.Workspaces.SCIMGroups.Create(ctx, wrapper.SCIMGroupMappingCreate{WorkspaceID: "w1",
				Role: "admin", GroupID: "g", GroupName: "G"}))
		}, "portkey: Workspaces.SCIMGroups.Create: set exactly one of GroupID and GroupName"},
		{func(ctx context.Context, c *wrapper.Client) error {
			for _, err := range c.Users.All(ctx, wrapper.UserListOptions{Page: -1}) {
				return err
			}
			return nil
		}, "portkey: Users.All: page -1 is negative"},
	}
	for _, tt := range tests {
		if err := tt.call(context.Background(), c); err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("error %v, want one starting %q", err, tt.want)
		}
	}
	if got := requests(); len(got) != 0 {
		t.Errorf("refused calls sent %d requests: %+v", len(got), got)
	}
}

// everyCall calls each method once, with arguments that pass the client's checks.
var everyCall = map[string]call{
	"Users.List": func(ctx context.Context, c *wrapper.Client) error {
		return discard(c.Users.List(ctx, wrapper.UserListOptions{}))
	},
	"Users.Get": func(ctx context.Context, c *wrapper.Client) error { return discard(c.Users.Get(ctx, "u1")) },
	"Users.Update": func(ctx context.Context, c *wrapper.Client) error {
		return c.Users.Update(ctx, "u1", wrapper.UserUpdate{Role: "admin"})
	},
	"Users.Delete": func(ctx context.Context, c *wrapper.Client) error { return c.Users.Delete(ctx, "u1") },
	"Invites.Create": func(ctx context.Context, c *wrapper.Client) error {
		return discard(c.Invites.Create(ctx, wrapper.InviteCreate{Email: "a@example.com", Role: "member"}))
	},
	"Invites.List": func(ctx context.Context, c *wrapper.Client) error {
		return discard(c.Invites.List(ctx, wrapper.InviteListOptions{}))
	},
	"Invites.Get":    func(ctx context.Context, c *wrapper.Client) error { return discard(c.Invites.Get(ctx, "i1")) },
	"Invites.Delete": func(ctx context.Context, c *wrapper.Client) error { return c.Invites.Delete(ctx, "i1") },
	"Invites.Resend": func(ctx context.Context, c *wrapper.Client) error { return discard(c.Invites.Resend(ctx, "i1")) },
	"Workspaces.Create": func(ctx context.Context, c *wrapper.Client) error {
		return discard(c.Workspaces.Create(ctx, wrapper.WorkspaceCreate{Name: "W"}))
	},
	"Workspaces.List": func(ctx context.Context, c *wrapper.Client) error {
		return discard(c.Workspaces.List(ctx, wrapper.WorkspaceListOptions{}))
	},
	"Workspaces.Get": func(ctx context.Context, c *wrapper.Client) error { return discard(c.Workspaces.Get(ctx, "w1")) },
	"Workspaces.Update": func(ctx context.Context, c *wrapper.Client) error {
		return c.Workspaces.Update(ctx, "w1", wrapper.WorkspaceUpdate{Name: new("W")})
	},
	"Workspaces.Delete": func(ctx context.Context, c *wrapper.Client) error {
		return c.Workspaces.Delete(ctx, "w1", wrapper.WorkspaceDelete{})
	},
	"Workspaces.Members.Add": func(ctx context.Context, c *wrapper.Client) error {
		return c.Workspaces.Members.Add(ctx, "w1", []wrapper.MemberAssignment{{UserID: "u1", Role: "member"}})
	},
	"Workspaces.Members.List": func(ctx context.Context, c *wrapper.Client) error {
		return discard(c.Workspaces.Members.List(ctx, "w1", wrapper.MemberListOptions{}))
	},
	"Workspaces.Members.Get": func(ctx context.Context, c *wrapper.Client) error {
		return discard(c.Workspaces.Members.Get(ctx, "w1", "u1"))
	},
	"Workspaces.Members.Update": func(ctx context.Context, c *wrapper.Client) error {
		return c.Workspaces.Members.Update(ctx, "w1", "u1", wrapper.MemberUpdate{Role: "admin"})
	},
	"Workspaces.Members.Remove": func(ctx context.Context, c *wrapper.Client) error {
		return c.Workspaces.Members.Remove(ctx, "w1", "u1")
	},
	"Workspaces.SCIMGroups.List": func(ctx context.Context, c *wrapper.Client) error {
		return discard(c.Workspaces.SCIMGroups.List(ctx, wrapper.SCIMGroupMappingListOptions{}))
	},
	"Workspaces.SCIMGroups.Create": func(ctx context.Context, c *wrapper.Client) error {
		return discard(c.Workspaces.SCIMGroups.Create(ctx, wrapper.SCIMGroupMappingCreate{WorkspaceID: "w1",
			Role: "admin", GroupID: "g1"}))
	},
	"Workspaces.SCIMGroups.Delete": func(ctx context.Context, c *wrapper.Client) error {
		return c.Workspaces.SCIMGroups.Delete(ctx, "m1")
	},
}

func TestOnlySafeCallsAreRetried(t *testing.T) {
	t.Parallel()
	for name, call := range everyCall {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, requests := recorder(t, canned{status: 503, contentType: "application/json",
				body: `{"errorCode":"AB04","message":"down"}`})
			err := call(context.Background(), c)
			var apiErr *wrapper.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
				t.Fatalf("error %v, want the 503", err)
			}
			got := requests()
			want := 1 + wrapper.DefaultMaxRetries
			if got[0].method == "POST" {
				want = 1 // a repeat could invite, create or add twice
			}
			if len(got) != want {
				t.Errorf("%s sent %d times, want %d", got[0].method, len(got), want)
			}
		})
	}
}

// TestLostDeleteSettledByRetry checks every delete: when the first attempt's answer is
// lost at a gateway (502) and the retry finds nothing (404 AB08), the thing is gone, as
// asked.
func TestLostDeleteSettledByRetry(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"Users.Delete", "Invites.Delete", "Workspaces.Delete",
		"Workspaces.Members.Remove", "Workspaces.SCIMGroups.Delete"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv, _ := counting(t, func(n int, _ *http.Request) canned {
				if n == 1 {
					return canned{status: http.StatusBadGateway}
				}
				return userNotFound
			})
			c, _ := newClient(t, srv.URL+prefix)
			if err := everyCall[name](context.Background(), c); err != nil {
				t.Errorf("error %v, want success", err)
			}
		})
	}
}

func TestEveryMethodHasACall(t *testing.T) {
	t.Parallel()
	// One entry per method of the services: a new method without one fails here.
	if len(everyCall) != 22 {
		t.Errorf("everyCall has %d entries, want one per API operation (22)", len(everyCall))
	}
}
