package wrapper_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/portkey-go/portkey/api"
	"github.com/portkey-go/portkey/portkeytest"
	"github.com/portkey-go/portkey/wrapper"
)

// specFile is the vendored description. Contract tests read the file itself, not a copy
// compiled into a package, so an edit to it is checked by the next test run.
const specFile = "../openapi.yaml"

// exercise is one operation's contract exercise: it calls the wrapper on srv and checks
// the effect from the control plane's side.
type exercise func(ctx context.Context, c *wrapper.Client, srv *portkeytest.Server) error

// exercises call every operation of the description through the wrapper, keyed by
// api.Operation.Key, and check the effect on the local control plane. TestContract fails
// for an operation that has no entry here. Each sets up what it needs under ids of its
// own, since all of them run, one after the other, on one server.
var exercises = map[string]exercise{
	"GET /admin/users": func(ctx context.Context, c *wrapper.Client, srv *portkeytest.Server) error {
		srv.AddUser(portkeytest.User{ID: "user_list", Email: "list@example.com", Role: "member"})
		page, err := c.Users.List(ctx, wrapper.UserListOptions{Email: "list@example.com", Role: wrapper.OrgRoleMember})
		if err != nil {
			return err
		}
		if page.Total != 1 || len(page.Items) != 1 || page.Items[0].ID != "user_list" || page.Items[0].CreatedAt.IsZero() {
			return fmt.Errorf("page = %+v", page)
		}
		n := 0
		for _, err := range c.Users.All(ctx, wrapper.UserListOptions{PageSize: 1}) {
			if err != nil {
				return err
			}
			n++
		}
		if n != len(srv.Users()) {
			return fmt.Errorf("All walked %d users of %d", n, len(srv.Users()))
		}
		return nil
	},
	"GET /admin/users/{userId}": func(ctx context.Context, c *wrapper.Client, srv *portkeytest.Server) error {
		srv.AddUser(portkeytest.User{ID: "user_get", Email: "get@example.com", FirstName: "Ada", Role: "admin"})
		u, err := c.Users.Get(ctx, "user_get")
		if err != nil {
			return err
		}
		if u.Email != "get@example.com" || u.FirstName != "Ada" || u.Role != wrapper.OrgRoleAdmin || u.Unparsed != nil {
			return fmt.Errorf("user = %+v", u)
		}
		if _, err := c.Users.Get(ctx, "user_none"); !wrapper.IsNotFound(err) {
			return fmt.Errorf("unknown user: got %v, want not found", err)
		}
		return nil
	},
	"PUT /admin/users/{userId}": func(ctx context.Context, c *wrapper.Client, srv *portkeytest.Server) error {
		srv.AddUser(portkeytest.User{ID: "user_update", Role: "member"})
		if err := c.Users.Update(ctx, "user_update", wrapper.UserUpdate{Role: wrapper.OrgRoleAdmin}); err != nil {
			return err
		}
		if u, _ := srv.User("user_update"); u.Role != "admin" {
			return fmt.Errorf("role = %q", u.Role)
		}
		return nil
	},
	"DELETE /admin/users/{userId}": func(ctx context.Context, c *wrapper.Client, srv *portkeytest.Server) error {
		srv.AddUser(portkeytest.User{ID: "user_contract", Email: "contract@example.com"})
		if err := c.Users.Delete(ctx, "user_contract"); err != nil {
			return err
		}
		if _, ok := srv.User("user_contract"); ok {
			return errors.New("the user is still there")
		}
		if err := c.Users.Delete(ctx, "user_contract"); !wrapper.IsNotFound(err) {
			return fmt.Errorf("deleting again: got %v, want not found", err)
		}
		return nil
	},

	"POST /admin/users/invites": func(ctx context.Context, c *wrapper.Client, srv *portkeytest.Server) error {
		w := srv.AddWorkspace(portkeytest.Workspace{ID: "ws_invite", Name: "Invited"})
		created, err := c.Invites.Create(ctx, wrapper.InviteCreate{Email: "new@example.com", Role: wrapper.OrgRoleMember,
			Workspaces:   []wrapper.InviteWorkspace{{ID: w.Slug, Role: wrapper.WorkspaceRoleManager}},
			APIKeyScopes: []string{"logs.view"}})
		if err != nil {
			return err
		}
		inv, ok := srv.Invite(created.ID)
		if !ok || created.Link == "" || inv.Status != "pending" || len(inv.Workspaces) != 1 ||
			inv.Workspaces[0].Role != "manager" || len(inv.APIKeyScopes) != 1 {
			return fmt.Errorf("created %+v, stored %+v", created, inv)
		}
		return nil
	},
	"GET /admin/users/invites": func(ctx context.Context, c *wrapper.Client, srv *portkeytest.Server) error {
		srv.AddInvite(portkeytest.Invite{ID: "invite_list", Email: "listed@example.com", Role: "admin"})
		page, err := c.Invites.List(ctx, wrapper.InviteListOptions{Email: "listed@example.com",
			Status: wrapper.InviteStatusPending, PageSize: 10})
		if err != nil {
			return err
		}
		if page.Total != 1 || page.Items[0].ID != "invite_list" || page.Items[0].ExpiresAt.IsZero() {
			return fmt.Errorf("page = %+v", page)
		}
		return nil
	},
	"GET /admin/users/invites/{inviteId}": func(ctx context.Context, c *wrapper.Client, srv *portkeytest.Server) error {
		srv.AddInvite(portkeytest.Invite{ID: "invite_get", Email: "got@example.com", Role: "member"})
		inv, err := c.Invites.Get(ctx, "invite_get")
		if err != nil {
			return err
		}
		if inv.Email != "got@example.com" || inv.Status != wrapper.InviteStatusPending || inv.CreatedAt.IsZero() || inv.Unparsed != nil {
			return fmt.Errorf("invite = %+v", inv)
		}
		return nil
	},
	"DELETE /admin/users/invites/{inviteId}": func(ctx context.Context, c *wrapper.Client, srv *portkeytest.Server) error {
		srv.AddInvite(portkeytest.Invite{ID: "invite_delete", Email: "withdrawn@example.com"})
		if err := c.Invites.Delete(ctx, "invite_delete"); err != nil {
			return err
		}
		if _, ok := srv.Invite("invite_delete"); ok {
			return errors.New("the invite is still there")
		}
		if err := c.Invites.Delete(ctx, "invite_delete"); !wrapper.IsNotFound(err) {
			return fmt.Errorf("deleting again: got %v, want not found", err)
		}
		return nil
	},
	"POST /admin/users/invites/{inviteId}/resend": func(ctx context.Context, c *wrapper.Client, srv *portkeytest.Server) error {
		srv.AddInvite(portkeytest.Invite{ID: "invite_resend", Email: "again@example.com"})
		link, err := c.Invites.Resend(ctx, "invite_resend")
		if err != nil {
			return err
		}
		if link == "" {
			return errors.New("no link")
		}
		return nil
	},

	"POST /admin/workspaces": func(ctx context.Context, c *wrapper.Client, srv *portkeytest.Server) error {
		srv.AddUser(portkeytest.User{ID: "user_founder"})
		w, err := c.Workspaces.Create(ctx, wrapper.WorkspaceCreate{Name: "Founded", Description: "new",
			Metadata: map[string]string{"team": "f"}, UserIDs: []string{"user_founder"},
			RateLimits: []wrapper.RateLimit{{Type: "requests", Unit: "rpm", Value: 10}}})
		if err != nil {
			return err
		}
		if w.ID == "" || w.Slug == "" || w.Name != "Founded" || w.Metadata["team"] != "f" ||
			len(w.RateLimits) != 1 || w.CreatedAt.IsZero() || w.Unparsed != nil {
			return fmt.Errorf("workspace = %+v", w)
		}
		if m := srv.Members(w.ID); len(m) != 1 || m[0].UserID != "user_founder" {
			return fmt.Errorf("members = %+v", m)
		}
		return nil
	},
	"GET /admin/workspaces": func(ctx context.Context, c *wrapper.Client, srv *portkeytest.Server) error {
		srv.AddWorkspace(portkeytest.Workspace{ID: "ws_list", Name: "Listed workspace"})
		page, err := c.Workspaces.List(ctx, wrapper.WorkspaceListOptions{ExactName: "Listed workspace",
			Status: wrapper.WorkspaceStatusActive, PageSize: 5})
		if err != nil {
			return err
		}
		if page.Total != 1 || page.Items[0].ID != "ws_list" || page.Items[0].CreatedAt.IsZero() {
			return fmt.Errorf("page = %+v", page)
		}
		return nil
	},
	"GET /admin/workspaces/{workspaceId}": func(ctx context.Context, c *wrapper.Client, srv *portkeytest.Server) error {
		w := srv.AddWorkspace(portkeytest.Workspace{ID: "ws_get", Name: "Fetched", InputGuardrails: []string{"g1"}})
		srv.AddUser(portkeytest.User{ID: "user_ws_get", Email: "member@example.com"})
		if err := srv.AddMember(portkeytest.Member{WorkspaceID: "ws_get", UserID: "user_ws_get", Role: "admin"}); err != nil {
			return err
		}
		got, err := c.Workspaces.Get(ctx, w.Slug)
		if err != nil {
			return err
		}
		if got.ID != "ws_get" || len(got.Members) != 1 || got.Members[0].Email != "member@example.com" ||
			got.Members[0].Role != wrapper.WorkspaceRoleAdmin || len(got.InputGuardrails) != 1 || got.Unparsed != nil {
			return fmt.Errorf("workspace = %+v", got)
		}
		if _, err := c.Workspaces.Get(ctx, "ws_none"); !wrapper.IsNotFound(err) {
			return fmt.Errorf("unknown workspace: got %v, want not found", err)
		}
		return nil
	},
	"PUT /admin/workspaces/{workspaceId}": func(ctx context.Context, c *wrapper.Client, srv *portkeytest.Server) error {
		srv.AddWorkspace(portkeytest.Workspace{ID: "ws_update", Name: "Before"})
		for _, step := range []struct {
			update     wrapper.WorkspaceUpdate
			name, conf string
		}{
			{wrapper.WorkspaceUpdate{Name: new("After"), UserAPIKeyConfig: wrapper.Set("pc-contract")}, "After", "pc-contract"},
			{wrapper.WorkspaceUpdate{Description: new("kept config")}, "After", "pc-contract"},
			{wrapper.WorkspaceUpdate{UserAPIKeyConfig: wrapper.Clear[string]()}, "After", ""},
		} {
			if err := c.Workspaces.Update(ctx, "ws_update", step.update); err != nil {
				return err
			}
			if w, _ := srv.Workspace("ws_update"); w.Name != step.name || w.UserAPIKeyConfig != step.conf {
				return fmt.Errorf("after %+v: %+v", step.update, w)
			}
		}
		return nil
	},
	"DELETE /admin/workspaces/{workspaceId}": func(ctx context.Context, c *wrapper.Client, srv *portkeytest.Server) error {
		srv.AddWorkspace(portkeytest.Workspace{ID: "ws_delete", Name: "Doomed"})
		if err := c.Workspaces.Delete(ctx, "ws_delete", wrapper.WorkspaceDelete{Name: "Doomed", Force: true}); err != nil {
			return err
		}
		if _, ok := srv.Workspace("ws_delete"); ok {
			return errors.New("the workspace is still there")
		}
		if err := c.Workspaces.Delete(ctx, "ws_delete", wrapper.WorkspaceDelete{}); !wrapper.IsNotFound(err) {
			return fmt.Errorf("deleting again: got %v, want not found", err)
		}
		return nil
	},

	"POST /admin/workspaces/{workspaceId}/users": func(ctx context.Context, c *wrapper.Client, srv *portkeytest.Server) error {
		srv.AddWorkspace(portkeytest.Workspace{ID: "ws_add"})
		srv.AddUser(portkeytest.User{ID: "user_added"})
		err := c.Workspaces.Members.Add(ctx, "ws_add",
			[]wrapper.MemberAssignment{{UserID: "user_added", Role: wrapper.WorkspaceRoleManager}})
		if err != nil {
			return err
		}
		if m := srv.Members("ws_add"); len(m) != 1 || m[0].Role != "manager" {
			return fmt.Errorf("members = %+v", m)
		}
		return nil
	},
	"GET /admin/workspaces/{workspaceId}/users": func(ctx context.Context, c *wrapper.Client, srv *portkeytest.Server) error {
		srv.AddWorkspace(portkeytest.Workspace{ID: "ws_members"})
		for _, id := range []string{"user_m1", "user_m2", "user_m3"} {
			srv.AddUser(portkeytest.User{ID: id, Email: id + "@example.com"})
			if err := srv.AddMember(portkeytest.Member{WorkspaceID: "ws_members", UserID: id}); err != nil {
				return err
			}
		}
		page, err := c.Workspaces.Members.List(ctx, "ws_members", wrapper.MemberListOptions{PageSize: 2, Page: 1,
			Role: wrapper.WorkspaceRoleMember})
		if err != nil {
			return err
		}
		if page.Total != 3 || len(page.Items) != 1 || page.Items[0].UserID != "user_m3" {
			return fmt.Errorf("page = %+v", page)
		}
		return nil
	},
	"GET /admin/workspaces/{workspaceId}/users/{userId}": func(ctx context.Context, c *wrapper.Client, srv *portkeytest.Server) error {
		srv.AddWorkspace(portkeytest.Workspace{ID: "ws_member_get"})
		srv.AddUser(portkeytest.User{ID: "user_member_get", Role: "owner"})
		if err := srv.AddMember(portkeytest.Member{WorkspaceID: "ws_member_get", UserID: "user_member_get", Role: "admin"}); err != nil {
			return err
		}
		m, err := c.Workspaces.Members.Get(ctx, "ws_member_get", "user_member_get")
		if err != nil {
			return err
		}
		if m.Role != wrapper.WorkspaceRoleAdmin || m.OrgRole != wrapper.OrgRoleOwner || m.WorkspaceID != "ws_member_get" {
			return fmt.Errorf("member = %+v", m)
		}
		return nil
	},
	"PUT /admin/workspaces/{workspaceId}/users/{userId}": func(ctx context.Context, c *wrapper.Client, srv *portkeytest.Server) error {
		srv.AddWorkspace(portkeytest.Workspace{ID: "ws_member_update"})
		srv.AddUser(portkeytest.User{ID: "user_member_update"})
		if err := srv.AddMember(portkeytest.Member{WorkspaceID: "ws_member_update", UserID: "user_member_update"}); err != nil {
			return err
		}
		err := c.Workspaces.Members.Update(ctx, "ws_member_update", "user_member_update",
			wrapper.MemberUpdate{Role: wrapper.WorkspaceRoleAdmin})
		if err != nil {
			return err
		}
		if m := srv.Members("ws_member_update"); len(m) != 1 || m[0].Role != "admin" {
			return fmt.Errorf("members = %+v", m)
		}
		return nil
	},
	"DELETE /admin/workspaces/{workspaceId}/users/{userId}": func(ctx context.Context, c *wrapper.Client, srv *portkeytest.Server) error {
		srv.AddWorkspace(portkeytest.Workspace{ID: "ws_member_remove"})
		srv.AddUser(portkeytest.User{ID: "user_member_remove"})
		if err := srv.AddMember(portkeytest.Member{WorkspaceID: "ws_member_remove", UserID: "user_member_remove"}); err != nil {
			return err
		}
		if err := c.Workspaces.Members.Remove(ctx, "ws_member_remove", "user_member_remove"); err != nil {
			return err
		}
		if m := srv.Members("ws_member_remove"); len(m) != 0 {
			return fmt.Errorf("members = %+v", m)
		}
		if _, ok := srv.User("user_member_remove"); !ok {
			return errors.New("removing the member removed the user")
		}
		if err := c.Workspaces.Members.Remove(ctx, "ws_member_remove", "user_member_remove"); !wrapper.IsNotFound(err) {
			return fmt.Errorf("removing again: got %v, want not found", err)
		}
		return nil
	},

	"GET /scim/workspaces": func(ctx context.Context, c *wrapper.Client, srv *portkeytest.Server) error {
		srv.AddWorkspace(portkeytest.Workspace{ID: "ws_scim_list"})
		if _, err := c.Workspaces.SCIMGroups.Create(ctx, wrapper.SCIMGroupMappingCreate{WorkspaceID: "ws_scim_list",
			Role: wrapper.WorkspaceRoleMember, GroupName: "Listed group"}); err != nil {
			return err
		}
		got, err := c.Workspaces.SCIMGroups.List(ctx, wrapper.SCIMGroupMappingListOptions{WorkspaceID: "ws_scim_list",
			Role: wrapper.WorkspaceRoleMember})
		if err != nil {
			return err
		}
		if len(got) != 1 || got[0].GroupName != "Listed group" || got[0].WorkspaceID != "ws_scim_list" {
			return fmt.Errorf("mappings = %+v", got)
		}
		return nil
	},
	"POST /scim/workspaces": func(ctx context.Context, c *wrapper.Client, srv *portkeytest.Server) error {
		srv.AddWorkspace(portkeytest.Workspace{ID: "ws_scim_create"})
		m, err := c.Workspaces.SCIMGroups.Create(ctx, wrapper.SCIMGroupMappingCreate{WorkspaceID: "ws_scim_create",
			Role: wrapper.WorkspaceRoleAdmin, GroupName: "Admins"})
		if err != nil {
			return err
		}
		if m.ID == "" || m.GroupID == "" || m.Role != wrapper.WorkspaceRoleAdmin {
			return fmt.Errorf("mapping = %+v", m)
		}
		for _, stored := range srv.SCIMGroupMappings() {
			if stored.ID == m.ID {
				return nil
			}
		}
		return errors.New("the control plane does not hold the mapping")
	},
	"DELETE /scim/workspaces/{scimWorkspaceGroupId}": func(ctx context.Context, c *wrapper.Client, srv *portkeytest.Server) error {
		srv.AddWorkspace(portkeytest.Workspace{ID: "ws_scim_delete"})
		m, err := c.Workspaces.SCIMGroups.Create(ctx, wrapper.SCIMGroupMappingCreate{WorkspaceID: "ws_scim_delete",
			Role: wrapper.WorkspaceRoleMember, GroupID: "group_delete"})
		if err != nil {
			return err
		}
		if err := c.Workspaces.SCIMGroups.Delete(ctx, m.ID); err != nil {
			return err
		}
		if err := c.Workspaces.SCIMGroups.Delete(ctx, m.ID); !wrapper.IsNotFound(err) {
			return fmt.Errorf("deleting again: got %v, want not found", err)
		}
		return nil
	},
}

// contractModes are the ways a client reaches a control plane.
var contractModes = []struct {
	name string
	opts []portkeytest.Option
}{
	{"cloud", []portkeytest.Option{portkeytest.AsCloud()}},
	{"self-hosted", []portkeytest.Option{portkeytest.WithPrefix("/portkey/api/v1")}},
	{"self-hosted at the root", []portkeytest.Option{portkeytest.WithPrefix("")}},
}

func TestContract(t *testing.T) {
	t.Parallel()
	spec, err := api.LoadFile(specFile)
	if err != nil {
		t.Fatal(err)
	}
	if spec.ServerURL() != wrapper.CloudBaseURL {
		t.Errorf("the description's server is %q, the client's cloud default %q", spec.ServerURL(), wrapper.CloudBaseURL)
	}

	for _, mode := range contractModes {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			srv := portkeytest.NewServer(t, append(mode.opts, portkeytest.WithSpec(spec))...)
			c := contractClient(t, srv, mode.name == "cloud")

			for _, op := range spec.Operations() {
				run, ok := exercises[op.Key()]
				if !ok {
					t.Errorf("no contract test exercises %s", op.Key())
					continue
				}
				if err := run(context.Background(), c, srv); err != nil {
					t.Errorf("%s: %v", op.Key(), err)
				}
			}
			requireServed(t, spec, srv)
		})
	}
}

// contractClient builds a client for srv. In cloud mode it is given no base URL at all,
// so the request goes to the cloud default, which srv's HTTP client routes to srv.
func contractClient(t *testing.T, srv *portkeytest.Server, cloud bool) *wrapper.Client {
	t.Helper()
	opts := []wrapper.Option{wrapper.WithoutEnvironment(), wrapper.WithAPIKey(srv.APIKey),
		wrapper.WithHTTPClient(srv.HTTPClient())}
	if !cloud {
		opts = append(opts, wrapper.WithSelfHosted(srv.URL))
	}
	c, err := wrapper.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	if cloud && c.BaseURL() != wrapper.CloudBaseURL+"/" {
		t.Fatalf("cloud client uses %s", c.BaseURL())
	}
	return c
}

// requireServed checks, from the server's side, that every operation of the description
// was reached and served, and that nothing broke the description on the way.
func requireServed(t *testing.T, spec *api.Spec, srv *portkeytest.Server) {
	t.Helper()
	served := map[string]bool{}
	for _, call := range srv.Calls() {
		if call.Status < 500 {
			served[call.Operation] = true
		}
	}
	for _, op := range spec.Operations() {
		if !served[op.Key()] {
			t.Errorf("the control plane never served %s", op.Key())
		}
	}
	noViolations(t, srv)
}

func TestContractExercisesExist(t *testing.T) {
	t.Parallel()
	spec, err := api.LoadFile(specFile)
	if err != nil {
		t.Fatal(err)
	}
	inSpec := map[string]bool{}
	for _, op := range spec.Operations() {
		inSpec[op.Key()] = true
	}
	for key := range exercises {
		if !inSpec[key] {
			t.Errorf("contract exercise %s names an operation that is not in %s", key, specFile)
		}
	}
}
