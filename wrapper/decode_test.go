package wrapper_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/portkey-go/portkey/wrapper"
)

// answering returns a client whose every call is answered 200 with body.
func answering(t *testing.T, body string) *wrapper.Client {
	t.Helper()
	c, _ := recorder(t, canned{status: 200, contentType: "application/json", body: body})
	return c
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDecodeOddUsers(t *testing.T) {
	t.Parallel()
	c := answering(t, `{"object":"list","total":7,"future_field":{"x":1},"data":[
		{"object":"user","id":"u1","email":"ada@example.com","first_name":"Ada","role":"owner",
		 "created_at":"2024-01-25 11:35:07","last_updated_at":"2026-03-09T07:55:25.000Z",
		 "workspace_ids":["w1","ws-two"],"unknown":true},
		{"id":"not-a-uuid: 42","role":"superadmin","created_at":"2024-01-25 11:35:07.123",
		 "last_updated_at":"2026-03-09T09:55:25+02:00","workspace_ids":null},
		{"id":"u3","email":42,"first_name":"Grace","created_at":"yesterday","workspace_ids":"w1"},
		{"id":"u4","created_at":1706182507,"last_updated_at":"","role":null},
		"not an object",
		null,
		{"id":"u7","created_at":"2024-01-25T11:35:07"}
	]}`)

	page, err := c.Users.List(context.Background(), wrapper.UserListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []wrapper.User{
		{ID: "u1", Email: "ada@example.com", FirstName: "Ada", Role: wrapper.OrgRoleOwner,
			CreatedAt: utc("2024-01-25T11:35:07Z"), LastUpdatedAt: utc("2026-03-09T07:55:25Z"),
			WorkspaceIDs: []string{"w1", "ws-two"}},
		{ID: "not-a-uuid: 42", Role: "superadmin", CreatedAt: utc("2024-01-25T11:35:07.123Z"),
			LastUpdatedAt: utc("2026-03-09T07:55:25Z")},
		{ID: "u3", FirstName: "Grace", Unparsed: map[string]string{
			"email": "42", "created_at": `"yesterday"`, "workspace_ids": `"w1"`}},
		{ID: "u4", Unparsed: map[string]string{"created_at": "1706182507"}},
		{Unparsed: map[string]string{"": `"not an object"`}},
		{Unparsed: map[string]string{"": "null"}},
		{ID: "u7", CreatedAt: utc("2024-01-25T11:35:07Z")},
	}
	if page.Total != 7 || len(page.Items) != len(want) {
		t.Fatalf("total %d, %d items: %+v", page.Total, len(page.Items), page.Items)
	}
	for i := range want {
		got := page.Items[i]
		// Times compare by instant: one written with an offset keeps its zone.
		if !got.CreatedAt.Equal(want[i].CreatedAt) || !got.LastUpdatedAt.Equal(want[i].LastUpdatedAt) {
			t.Errorf("item %d times %v, %v; want %v, %v", i, got.CreatedAt, got.LastUpdatedAt,
				want[i].CreatedAt, want[i].LastUpdatedAt)
		}
		got.CreatedAt, got.LastUpdatedAt = want[i].CreatedAt, want[i].LastUpdatedAt
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("item %d:\n got %+v\nwant %+v", i, got, want[i])
		}
	}
	if page.Items[0].CreatedAt.Location() != time.UTC {
		t.Errorf("a zoneless time was read in %v, want UTC", page.Items[0].CreatedAt.Location())
	}
}

func TestDecodeListEnvelopes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body    string
		total   int
		items   int
		wantErr string
	}{
		{`{"data":null,"total":0}`, 0, 0, ""},
		{`{}`, 0, 0, "has no data"},
		{`null`, 0, 0, "has no data"},
		{`{"status":"ok"}`, 0, 0, "has no data"},
		{`{"data":[{"id":"a"}]}`, -1, 1, ""},
		{`{"data":[{"id":"a"}],"total":"1"}`, -1, 1, ""},
		{`{"data":[{"id":"a"}],"total":-4}`, -1, 1, ""},
		{`{"data":[{"id":"a"}],"total":1.5}`, -1, 1, ""},
		{`{"data":[],"total":null}`, -1, 0, ""},
		{`{"data":{"id":"a"}}`, 0, 0, "data is not an array"},
		{`[{"id":"a"}]`, 0, 0, "not a list"},
		{`<html>`, 0, 0, "not a list"},
	}
	for _, tt := range tests {
		page, err := answering(t, tt.body).Users.List(context.Background(), wrapper.UserListOptions{})
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) ||
				!strings.HasPrefix(err.Error(), "portkey: GET /portkey/api/v1/admin/users: ") {
				t.Errorf("%s: error %v, want one saying %q", tt.body, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("%s: %v", tt.body, err)
		case page.Total != tt.total || len(page.Items) != tt.items:
			t.Errorf("%s: total %d, %d items; want %d, %d", tt.body, page.Total, len(page.Items), tt.total, tt.items)
		}
	}
}

func TestDecodeOneObject(t *testing.T) {
	t.Parallel()
	u, err := answering(t, `{"id":"u1","role":"auditor","extra":[1,2]}`).Users.Get(context.Background(), "u1")
	if err != nil || u.ID != "u1" || u.Role != "auditor" || u.Unparsed != nil {
		t.Errorf("Get = %+v, %v", u, err)
	}
	for _, body := range []string{`[]`, `null`, `"user"`, ``, `{"id":`, `{}`, `{"status":"ok"}`, `{"id":null}`} {
		if _, err := answering(t, body).Users.Get(context.Background(), "u1"); err == nil ||
			!strings.HasPrefix(err.Error(), "portkey: GET /portkey/api/v1/admin/users/u1: ") {
			t.Errorf("body %q: error %v", body, err)
		}
	}
}

func TestDecodeOddInvites(t *testing.T) {
	t.Parallel()
	c := answering(t, `{"data":[
		{"object":"invite","id":"i1","email":"ada@example.com","role":"admin","status":"pending",
		 "created_at":"2023-12-12 13:56:32","expires_at":"2023-12-19 13:56:32","invited_by":"u9"},
		{"id":"i2","status":"revoked","role":"billing","accepted_at":"soon"}
	]}`)
	var got []wrapper.Invite
	for inv, err := range c.Invites.All(context.Background(), wrapper.InviteListOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, inv)
	}
	want := []wrapper.Invite{
		{ID: "i1", Email: "ada@example.com", Role: wrapper.OrgRoleAdmin, Status: wrapper.InviteStatusPending,
			InvitedBy: "u9", CreatedAt: utc("2023-12-12T13:56:32Z"), ExpiresAt: utc("2023-12-19T13:56:32Z")},
		{ID: "i2", Status: "revoked", Role: "billing", Unparsed: map[string]string{"accepted_at": `"soon"`}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("invites:\n got %+v\nwant %+v", got, want)
	}

	created, err := answering(t, `{"id":"i3","invite_link":"https://app.portkey.ai/x","extra":1}`).
		Invites.Create(context.Background(), wrapper.InviteCreate{Email: "a@example.com", Role: "member"})
	if err != nil || created.ID != "i3" || created.Link != "https://app.portkey.ai/x" {
		t.Errorf("Create = %+v, %v", created, err)
	}
	link, err := answering(t, `{"inviteLink":"https://app.portkey.ai/y"}`).Invites.Resend(context.Background(), "i3")
	if err != nil || link != "https://app.portkey.ai/y" {
		t.Errorf("Resend = %q, %v", link, err)
	}
}

func TestDecodeOddWorkspace(t *testing.T) {
	t.Parallel()
	c := answering(t, `{"id":"w1","slug":"ws-team-a","name":"Team A","description":null,
		"created_at":"2026-03-09T07:55:25.000Z","last_updated_at":"2024-01-25 11:35:07",
		"defaults":{"object":"workspace","is_default":1,"metadata":{"team":"a","n":3},
			"input_guardrails":null,"output_guardrails":["g1"],"user_api_key_config":null,"brand_new":{}},
		"usage_limits":[{"type":"cost","credit_limit":10,"periodic_reset":"quarterly",
			"next_usage_reset_at":"2026-04-01 00:00:00"},{"type":"tokens","credit_limit":"lots"},7],
		"rate_limits":null,
		"users":[{"object":"workspace-user","id":"u1","role":"owner-ish","org_role":"admin","status":"suspended",
			"scopes":null,"settings":{"a":[1]},"created_at":"2024-01-25 11:35:07"},{"id":"u2","scopes":"all"}]}`)

	w, err := c.Workspaces.Get(context.Background(), "w1")
	if err != nil {
		t.Fatal(err)
	}
	want := &wrapper.Workspace{
		ID: "w1", Slug: "ws-team-a", Name: "Team A", IsDefault: true,
		OutputGuardrails: []string{"g1"},
		UsageLimits: []wrapper.UsageLimit{
			{Type: "cost", CreditLimit: 10, PeriodicReset: "quarterly", NextUsageResetAt: utc("2026-04-01T00:00:00Z")},
			{Type: "tokens"},
		},
		Members: []wrapper.Member{
			{UserID: "u1", Role: "owner-ish", OrgRole: wrapper.OrgRoleAdmin, Status: "suspended",
				Settings: map[string]any{"a": []any{1.0}}, CreatedAt: utc("2024-01-25T11:35:07Z")},
			{UserID: "u2", Unparsed: map[string]string{"scopes": `"all"`}},
		},
		CreatedAt: utc("2026-03-09T07:55:25Z"), LastUpdatedAt: utc("2024-01-25T11:35:07Z"),
		Unparsed: map[string]string{
			"defaults.metadata":            `{"team":"a","n":3}`,
			"usage_limits[1].credit_limit": `"lots"`,
			"usage_limits[2]":              "7",
		},
	}
	if !reflect.DeepEqual(w, want) {
		t.Errorf("workspace:\n got %+v\nwant %+v", w, want)
	}

	for _, flag := range []struct {
		body string
		want bool
	}{{`{"id":"w1","defaults":{"is_default":0}}`, false}, {`{"id":"w1","defaults":{"is_default":true}}`, true},
		{`{"id":"w1","defaults":null}`, false}, {`{"id":"w1","defaults":{"is_default":"yes"}}`, false}} {
		w, err := answering(t, flag.body).Workspaces.Get(context.Background(), "w1")
		if err != nil || w.IsDefault != flag.want {
			t.Errorf("%s: %+v, %v", flag.body, w, err)
		}
	}
	w, err = answering(t, `{"id":"w1","defaults":"none"}`).Workspaces.Get(context.Background(), "w1")
	if err != nil || w.Unparsed["defaults"] != `"none"` {
		t.Errorf("defaults that are no object: Unparsed %v", w.Unparsed)
	}
}

func TestDecodeSCIMGroupMappings(t *testing.T) {
	t.Parallel()
	c := answering(t, `{"mappings":[{"id":"m1","workspace_id":"w1","scim_group":"Eng","scim_group_id":"g1",
		"role":"viewer"},{"id":2}],"total_count":"two"}`)
	got, err := c.Workspaces.SCIMGroups.List(context.Background(), wrapper.SCIMGroupMappingListOptions{})
	want := []wrapper.SCIMGroupMapping{
		{ID: "m1", WorkspaceID: "w1", GroupName: "Eng", GroupID: "g1", Role: "viewer"},
		{Unparsed: map[string]string{"id": "2"}},
	}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("List = %+v, %v", got, err)
	}
	if got, err := answering(t, `{"mappings":null}`).Workspaces.SCIMGroups.List(context.Background(),
		wrapper.SCIMGroupMappingListOptions{}); err != nil || len(got) != 0 {
		t.Errorf("null mappings: %v, %v", got, err)
	}
	if _, err := answering(t, `{"mappings":{}}`).Workspaces.SCIMGroups.List(context.Background(),
		wrapper.SCIMGroupMappingListOptions{}); err == nil {
		t.Error("mappings that are no list were accepted")
	}
	if _, err := answering(t, `{}`).Workspaces.SCIMGroups.List(context.Background(),
		wrapper.SCIMGroupMappingListOptions{}); err == nil || !strings.Contains(err.Error(), "has no mappings") {
		t.Errorf("an answer without mappings: %v, want an error", err)
	}
}

// TestDecodeNeverShowsTheKey checks the one place a successful answer reaches an error:
// a body that does not decode.
func TestDecodeNeverShowsTheKey(t *testing.T) {
	t.Parallel()
	_, err := answering(t, `{"data":"`+testKey+`"}`).Users.List(context.Background(), wrapper.UserListOptions{})
	if err == nil || strings.Contains(err.Error(), testKey) {
		t.Errorf("error %v", err)
	}
}

// TestDecodeTimestamps reads each way the API writes a time, and keeps what no layout
// fits.
func TestDecodeTimestamps(t *testing.T) {
	t.Parallel()
	tests := map[string]time.Time{
		"2024-01-25 11:35:07":           utc("2024-01-25T11:35:07Z"),
		"2024-01-25 11:35:07.25":        utc("2024-01-25T11:35:07.25Z"),
		"2024-01-25T11:35:07":           utc("2024-01-25T11:35:07Z"),
		"2026-03-09T07:55:25.000Z":      utc("2026-03-09T07:55:25Z"),
		"2026-03-09t07:55:25.000z":      utc("2026-03-09T07:55:25Z"),
		"2026-03-09T09:55:25+02:00":     utc("2026-03-09T07:55:25Z"),
		"2024-01-25 11:35:07.123+00:00": utc("2024-01-25T11:35:07.123Z"),
	}
	for text, want := range tests {
		u, err := answering(t, `{"id":"u1","created_at":"`+text+`"}`).Users.Get(context.Background(), "u1")
		if err != nil || !u.CreatedAt.Equal(want) || u.Unparsed != nil {
			t.Errorf("%q: CreatedAt %v, Unparsed %v, %v; want %v", text, u.CreatedAt, u.Unparsed, err, want)
		}
	}
	u, err := answering(t, `{"id":"u1","created_at":"last Tuesday"}`).Users.Get(context.Background(), "u1")
	if err != nil || !u.CreatedAt.IsZero() || u.Unparsed["created_at"] != `"last Tuesday"` {
		t.Errorf("unreadable time: %+v, %v", u, err)
	}
}
