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

// InviteService manages invitations to the organisation. Reach it as Client.Invites.
type InviteService struct {
	client *Client
}

// InviteStatus is where an invite stands. A status this package does not know yet comes
// through as it was sent.
type InviteStatus string

// The invite states the API knows today.
const (
	InviteStatusPending   InviteStatus = "pending"
	InviteStatusAccepted  InviteStatus = "accepted"
	InviteStatusCancelled InviteStatus = "cancelled"
	InviteStatusExpired   InviteStatus = "expired"
)

// Invite is an invitation to join the organisation.
type Invite struct {
	// ID is the invite's id, which the other invite methods take.
	ID string
	// Email is where the invite was sent.
	Email string
	// Role is the organisation role the invited person gets.
	Role OrgRole
	// Status is where the invite stands.
	Status InviteStatus
	// InvitedBy is the id of the user who sent the invite.
	InvitedBy string
	// CreatedAt is when the invite was sent; zero when the answer did not say, or said it
	// in a way the client could not read (see Unparsed).
	CreatedAt time.Time
	// ExpiresAt is when the invite stops working, read like CreatedAt.
	ExpiresAt time.Time
	// AcceptedAt is when the invite was accepted, read like CreatedAt.
	AcceptedAt time.Time
	// Unparsed holds each field of the answer the client could not read, keyed by its
	// JSON name, with the value as it was sent (JSON text); nil when every field was read.
	Unparsed map[string]string
}

func readInvite(o *object) Invite {
	var inv Invite
	field(o, "id", &inv.ID)
	field(o, "email", &inv.Email)
	field(o, "role", &inv.Role)
	field(o, "status", &inv.Status)
	field(o, "invited_by", &inv.InvitedBy)
	timeField(o, "created_at", &inv.CreatedAt)
	timeField(o, "expires_at", &inv.ExpiresAt)
	timeField(o, "accepted_at", &inv.AcceptedAt)
	inv.Unparsed = o.done()
	return inv
}

// InviteCreate is the invitation Invites.Create sends.
type InviteCreate struct {
	// Email is where to send the invite; it must be set.
	Email string
	// Role is the organisation role the person gets; it must be set.
	Role OrgRole
	// Workspaces are the workspaces the person joins on accepting; may be empty.
	Workspaces []InviteWorkspace
	// APIKeyScopes, when not nil, has a workspace API key made for the person on
	// accepting, allowed these scopes (such as "logs.view").
	APIKeyScopes []string
}

// InviteWorkspace is a workspace an invite leads into.
type InviteWorkspace struct {
	// ID is the workspace's slug or id.
	ID string
	// Role is the person's role in the workspace.
	Role WorkspaceRole
}

// CreatedInvite is the answer to Invites.Create.
type CreatedInvite struct {
	// ID is the new invite's id.
	ID string
	// Link is the link the invited person follows.
	Link string
	// Unparsed holds each field of the answer the client could not read, as for Invite.
	Unparsed map[string]string
}

func readCreatedInvite(o *object) CreatedInvite {
	var c CreatedInvite
	field(o, "id", &c.ID)
	field(o, "invite_link", &c.Link)
	c.Unparsed = o.done()
	return c
}

// Create invites a person to the organisation ("Invite a user to the organisation", POST
// /admin/users/invites), which emails them a link. An invite without an email address
// or a role is refused before anything is sent. Like every POST, it is never retried:
// a repeat could send a second invite.
func (s *InviteService) Create(ctx context.Context, inv InviteCreate,
	opts ...CallOption) (*CreatedInvite, error) {
	switch {
	case inv.Email == "":
		return nil, errors.New("portkey: Invites.Create: Email is empty")
	case inv.Role == "":
		return nil, errors.New("portkey: Invites.Create: Role is empty")
	}
	body := generated.InviteCreate{
		Email: inv.Email,
		Role:  generated.InviteCreateRole(inv.Role),
		// The API requires the list, so none is sent as [] rather than null.
		Workspaces: make([]generated.InviteWorkspace, 0, len(inv.Workspaces)),
	}
	for i, w := range inv.Workspaces {
		switch {
		case w.ID == "":
			return nil, fmt.Errorf("portkey: Invites.Create: Workspaces[%d].ID is empty", i)
		case w.Role == "":
			return nil, fmt.Errorf("portkey: Invites.Create: Workspaces[%d].Role is empty", i)
		}
		body.Workspaces = append(body.Workspaces,
			generated.InviteWorkspace{Id: w.ID, Role: generated.InviteWorkspaceRole(w.Role)})
	}
	if inv.APIKeyScopes != nil {
		body.WorkspaceApiKeyDetails = &generated.InviteAPIKeyDetails{Scopes: inv.APIKeyScopes}
	}
	return getOne(s.client, ctx, opts, "id", func(ctx context.Context) (*http.Response, error) {
		return s.client.api.CreateInvite(ctx, body)
	}, readCreatedInvite)
}

// InviteListOptions narrows and pages a list of invites. The zero value asks for the
// first page of every invite, at the server's page size.
type InviteListOptions struct {
	// PageSize is how many invites a page holds; 0 leaves it to the server (List) or
	// uses DefaultPageSize (All).
	PageSize int
	// Page is the page to return, counting from 0; All starts there.
	Page int
	// Role keeps only invites for this organisation role.
	Role OrgRole
	// Email keeps only invites sent to this address.
	Email string
	// Status keeps only invites in this state.
	Status InviteStatus
}

// List returns one page of the organisation's invites ("List invites", GET
// /admin/users/invites). Use All to walk every page.
func (s *InviteService) List(ctx context.Context, opts InviteListOptions,
	callOpts ...CallOption) (*InvitePage, error) {
	params := &generated.ListInvitesParams{
		PageSize:    nonZero(opts.PageSize),
		CurrentPage: &opts.Page, // always sent: a server's default first page may not be 0
		Role:        nonZero(generated.ListInvitesParamsRole(opts.Role)),
		Email:       nonZero(opts.Email),
		Status:      nonZero(generated.ListInvitesParamsStatus(opts.Status)),
	}
	return getPage(s.client, ctx, "Invites.List", paging{opts.PageSize, opts.Page}, callOpts,
		func(ctx context.Context) (*http.Response, error) {
			return s.client.api.ListInvites(ctx, params)
		}, readInvite)
}

// All returns an iterator over every invite that opts selects, as UserService.All does
// for users.
func (s *InviteService) All(ctx context.Context, opts InviteListOptions,
	callOpts ...CallOption) iter.Seq2[Invite, error] {
	return walk("Invites.All", paging{opts.PageSize, opts.Page}, func(p paging) (*InvitePage, error) {
		o := opts // a copy: the iterator may be ranged over again
		o.PageSize, o.Page = p.size, p.page
		return s.List(ctx, o, callOpts...)
	})
}

// Get returns one invite ("Get an invite", GET /admin/users/invites/{inviteId}). The id
// is checked as UserService.Delete checks a user id.
func (s *InviteService) Get(ctx context.Context, inviteID string, opts ...CallOption) (*Invite, error) {
	if err := checkIDs("Invites.Get", "inviteID", inviteID); err != nil {
		return nil, err
	}
	return getOne(s.client, ctx, opts, "id", func(ctx context.Context) (*http.Response, error) {
		return s.client.api.GetInvite(ctx, inviteID)
	}, readInvite)
}

// Delete withdraws an invite, so that its link stops working ("Delete an invite", DELETE
// /admin/users/invites/{inviteId}). Like UserService.Delete, it is retried where safe,
// and a retry told "not found" after an attempt that may have done the delete succeeds.
func (s *InviteService) Delete(ctx context.Context, inviteID string, opts ...CallOption) error {
	if err := checkIDs("Invites.Delete", "inviteID", inviteID); err != nil {
		return err
	}
	return s.client.send(ctx, opts, request{
		do: func(ctx context.Context) (*http.Response, error) {
			return s.client.api.DeleteInvite(ctx, inviteID)
		},
		idempotentDelete: true,
	})
}

// Resend emails a pending invite again and returns its link ("Send an invite again",
// POST /admin/users/invites/{inviteId}/resend). It is never retried, since a repeat
// would send another email.
func (s *InviteService) Resend(ctx context.Context, inviteID string,
	opts ...CallOption) (link string, err error) {
	if err := checkIDs("Invites.Resend", "inviteID", inviteID); err != nil {
		return "", err
	}
	resent, err := getOne(s.client, ctx, opts, "inviteLink", func(ctx context.Context) (*http.Response, error) {
		return s.client.api.ResendInvite(ctx, inviteID)
	}, func(o *object) string {
		var link string
		field(o, "inviteLink", &link)
		return link
	})
	if err != nil {
		return "", err
	}
	return *resent, nil
}
