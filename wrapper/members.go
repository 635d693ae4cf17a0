package wrapper

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"time"

	"github.com/portkey-go/portkey/generated"
)

// MemberService manages who belongs to a workspace. Reach it as
// Client.Workspaces.Members. Every method takes the workspace's id or slug first; a
// member is named by their user id.
type MemberService struct {
	client *Client
}

// Member is a user as a member of one workspace.
type Member struct {
	// UserID is the member's user id, which the other member methods take.
	UserID string
	// WorkspaceID is the workspace's id.
	WorkspaceID string
	// Email is the member's email address.
	Email string
	// FirstName is the member's first name.
	FirstName string
	// LastName is the member's last name.
	LastName string
	// Role is the member's role in this workspace.
	Role WorkspaceRole
	// OrgRole is the member's organisation role.
	OrgRole OrgRole
	// Status is the membership's state, such as "active".
	Status string
	// Scopes are what the member may do in the workspace, such as "logs.view".
	Scopes []string
	// Settings are the membership's settings, as the API sent them.
	Settings map[string]any
	// CreatedAt is when the user joined the workspace; zero when the answer did not say,
	// or said it in a way the client could not read (see Unparsed).
	CreatedAt time.Time
	// LastUpdatedAt is when the membership last changed, read like CreatedAt.
	LastUpdatedAt time.Time
	// Unparsed holds each field of the answer the client could not read, keyed by its
	// JSON name, with the value as it was sent (JSON text); nil when every field was read.
	Unparsed map[string]string
}

func readMember(o *object) Member {
	var m Member
	field(o, "id", &m.UserID)
	field(o, "workspace_id", &m.WorkspaceID)
	field(o, "email", &m.Email)
	field(o, "first_name", &m.FirstName)
	field(o, "last_name", &m.LastName)
	field(o, "role", &m.Role)
	field(o, "org_role", &m.OrgRole)
	field(o, "status", &m.Status)
	field(o, "scopes", &m.Scopes)
	field(o, "settings", &m.Settings)
	timeField(o, "created_at", &m.CreatedAt)
	timeField(o, "last_updated_at", &m.LastUpdatedAt)
	m.Unparsed = o.done()
	return m
}

// MemberAssignment is one user to add to a workspace, with their role there.
type MemberAssignment struct {
	// UserID is the user's id; it must be set.
	UserID string
	// Role is the user's role in the workspace; it must be set.
	Role WorkspaceRole
}

// Add makes organisation users members of a workspace ("Add members to a workspace",
// POST /admin/workspaces/{workspaceId}/users). An empty list, or an entry without a user
// id or role, is refused before anything is sent. Like every POST, it is never retried.
func (s *MemberService) Add(ctx context.Context, workspaceID string, members []MemberAssignment,
	opts ...CallOption) error {
	if err := checkIDs("Workspaces.Members.Add", "workspaceID", workspaceID); err != nil {
		return err
	}
	if len(members) == 0 {
		return errors.New("portkey: Workspaces.Members.Add: no members to add")
	}
	users := make([]generated.WorkspaceMemberAssignment, 0, len(members))
	for i, m := range members {
		switch {
		case m.UserID == "":
			return fmt.Errorf("portkey: Workspaces.Members.Add: members[%d].UserID is empty", i)
		case m.Role == "":
			return fmt.Errorf("portkey: Workspaces.Members.Add: members[%d].Role is empty", i)
		}
		users = append(users, generated.WorkspaceMemberAssignment{
			Id: new(m.UserID), Role: new(generated.WorkspaceMemberAssignmentRole(m.Role))})
	}
	body := generated.WorkspaceMembersAdd{Users: &users}
	return s.client.send(ctx, opts, request{do: func(ctx context.Context) (*http.Response, error) {
		return s.client.api.AddWorkspaceMembers(ctx, workspaceID, body)
	}})
}

// MemberListOptions narrows and pages a list of a workspace's members. The zero value
// asks for the first page of every member, at the server's page size.
type MemberListOptions struct {
	// PageSize is how many members a page holds; 0 leaves it to the server (List) or
	// uses DefaultPageSize (All).
	PageSize int
	// Page is the page to return, counting from 0; All starts there.
	Page int
	// Role keeps only members with this workspace role.
	Role WorkspaceRole
	// Email keeps only the member with this email address.
	Email string
}

// List returns one page of a workspace's members ("List a workspace's members", GET
// /admin/workspaces/{workspaceId}/users). Use All to walk every page.
func (s *MemberService) List(ctx context.Context, workspaceID string, opts MemberListOptions,
	callOpts ...CallOption) (*MemberPage, error) {
	if err := checkIDs("Workspaces.Members.List", "workspaceID", workspaceID); err != nil {
		return nil, err
	}
	params := &generated.ListWorkspaceMembersParams{
		PageSize:    nonZero(opts.PageSize),
		CurrentPage: &opts.Page, // always sent: a server's default first page may not be 0
		Role:        nonZero(generated.ListWorkspaceMembersParamsRole(opts.Role)),
		Email:       nonZero(opts.Email),
	}
	return getPage(s.client, ctx, "Workspaces.Members.List", paging{opts.PageSize, opts.Page}, callOpts,
		func(ctx context.Context) (*http.Response, error) {
			return s.client.api.ListWorkspaceMembers(ctx, workspaceID, params)
		}, readMember)
}

// All returns an iterator over every member of a workspace that opts selects, as
// UserService.All does for users.
func (s *MemberService) All(ctx context.Context, workspaceID string, opts MemberListOptions,
	callOpts ...CallOption) iter.Seq2[Member, error] {
	return walk("Workspaces.Members.All", paging{opts.PageSize, opts.Page}, func(p paging) (*MemberPage, error) {
		o := opts // a copy: the iterator may be ranged over again
		o.PageSize, o.Page = p.size, p.page
		return s.List(ctx, workspaceID, o, callOpts...)
	})
}

// Get returns one member of a workspace ("Get a workspace member", GET
// /admin/workspaces/{workspaceId}/users/{userId}). A user who is not a member gives an
// *APIError for which IsNotFound reports true.
func (s *MemberService) Get(ctx context.Context, workspaceID, userID string,
	opts ...CallOption) (*Member, error) {
	if err := checkIDs("Workspaces.Members.Get", "workspaceID", workspaceID, "userID", userID); err != nil {
		return nil, err
	}
	return getOne(s.client, ctx, opts, "id", func(ctx context.Context) (*http.Response, error) {
		return s.client.api.GetWorkspaceMember(ctx, workspaceID, userID)
	}, readMember)
}

// MemberUpdate is the change Workspaces.Members.Update makes.
type MemberUpdate struct {
	// Role is the member's new workspace role; it must be set.
	Role WorkspaceRole
}

// Update changes a member's workspace role ("Change a member's workspace role", PUT
// /admin/workspaces/{workspaceId}/users/{userId}). An update without a role is refused,
// since it would succeed without changing anything.
func (s *MemberService) Update(ctx context.Context, workspaceID, userID string, u MemberUpdate,
	opts ...CallOption) error {
	if err := checkIDs("Workspaces.Members.Update", "workspaceID", workspaceID, "userID", userID); err != nil {
		return err
	}
	if u.Role == "" {
		return errors.New("portkey: Workspaces.Members.Update: Role is empty: nothing to change")
	}
	body := generated.WorkspaceMemberUpdate{Role: new(generated.WorkspaceMemberUpdateRole(u.Role))}
	return s.client.send(ctx, opts, request{do: func(ctx context.Context) (*http.Response, error) {
		return s.client.api.UpdateWorkspaceMember(ctx, workspaceID, userID, body)
	}})
}

// Remove takes a user out of a workspace; they stay in the organisation ("Remove a
// member from a workspace", DELETE /admin/workspaces/{workspaceId}/users/{userId}).
// Like UserService.Delete, it is retried where safe, and a retry told "not found" after
// an attempt that may have done the removal succeeds.
func (s *MemberService) Remove(ctx context.Context, workspaceID, userID string,
	opts ...CallOption) error {
	if err := checkIDs("Workspaces.Members.Remove", "workspaceID", workspaceID, "userID", userID); err != nil {
		return err
	}
	return s.client.send(ctx, opts, request{
		do: func(ctx context.Context) (*http.Response, error) {
			return s.client.api.RemoveWorkspaceMember(ctx, workspaceID, userID)
		},
		idempotentDelete: true,
	})
}
