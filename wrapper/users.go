package wrapper

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/portkey-go/portkey/generated"
)

// UserService manages the users of a Portkey organisation. Reach it as Client.Users.
type UserService struct {
	client *Client
}

// User is a member of the organisation.
type User struct {
	// ID is the user's id, which the other user methods take.
	ID string
	// Email is the user's email address.
	Email string
	// FirstName is the user's first name.
	FirstName string
	// LastName is the user's last name.
	LastName string
	// Role is the user's organisation role.
	Role OrgRole
	// WorkspaceIDs are the workspaces the user belongs to, when the answer lists them.
	WorkspaceIDs []string
	// CreatedAt is when the user joined; zero when the answer did not say, or said it in
	// a way the client could not read (see Unparsed).
	CreatedAt time.Time
	// LastUpdatedAt is when the user last changed, read like CreatedAt.
	LastUpdatedAt time.Time
	// Unparsed holds each field of the answer the client could not read, keyed by its
	// JSON name, with the value as it was sent (JSON text); nil when every field was read.
	Unparsed map[string]string
}

func readUser(o *object) User {
	var u User
	field(o, "id", &u.ID)
	field(o, "email", &u.Email)
	field(o, "first_name", &u.FirstName)
	field(o, "last_name", &u.LastName)
	field(o, "role", &u.Role)
	field(o, "workspace_ids", &u.WorkspaceIDs)
	timeField(o, "created_at", &u.CreatedAt)
	timeField(o, "last_updated_at", &u.LastUpdatedAt)
	u.Unparsed = o.done()
	return u
}

// UserListOptions narrows and pages a list of users. The zero value asks for the first
// page of everyone, at the server's page size.
type UserListOptions struct {
	// PageSize is how many users a page holds; 0 leaves it to the server (List) or uses
	// DefaultPageSize (All).
	PageSize int
	// Page is the page to return, counting from 0; All starts there.
	Page int
	// Role keeps only users with this organisation role.
	Role OrgRole
	// Email keeps only the user with this email address.
	Email string
}

// List returns one page of the organisation's users ("List the organisation's users",
// GET /admin/users). Use All to walk every page.
func (s *UserService) List(ctx context.Context, opts UserListOptions,
	callOpts ...CallOption) (*UserPage, error) {
	params := &generated.ListUsersParams{
		PageSize:    nonZero(opts.PageSize),
		CurrentPage: &opts.Page, // always sent: a server's default first page may not be 0
		Role:        nonZero(generated.ListUsersParamsRole(opts.Role)),
		Email:       nonZero(opts.Email),
	}
	return getPage(s.client, ctx, "Users.List", paging{opts.PageSize, opts.Page}, callOpts,
		func(ctx context.Context) (*http.Response, error) {
			return s.client.api.ListUsers(ctx, params)
		}, readUser)
}

// All returns an iterator over every user that opts selects, from opts.Page on, one
// page (of opts.PageSize, or DefaultPageSize) per call; each page is a call of its own,
// with its own timeout and retries.
//
// The walk ends after a page that is empty or shorter than the size asked for, or once
// the entries reach the total the server gave. It ends with an error, after which
// nothing more is yielded, when a call fails or when the server makes no progress: a
// page identical to one seen before, or more than MaxPages pages (errors.Is(err,
// ErrPaging)). Breaking out of the loop stops it at once.
//
// Users removed while the walk is under way shift the pages after them, so an entry
// can be missed: to act on every user, collect them first.
func (s *UserService) All(ctx context.Context, opts UserListOptions,
	callOpts ...CallOption) iter.Seq2[User, error] {
	return walk("Users.All", paging{opts.PageSize, opts.Page}, func(p paging) (*UserPage, error) {
		o := opts // a copy: the iterator may be ranged over again
		o.PageSize, o.Page = p.size, p.page
		return s.List(ctx, o, callOpts...)
	})
}

// Get returns one user ("Get a user", GET /admin/users/{userId}).
//
// The id is checked as for Delete. The id "invites" is refused too: GET
// /admin/users/invites is the list of invites, not a user.
func (s *UserService) Get(ctx context.Context, userID string, opts ...CallOption) (*User, error) {
	if err := checkIDs("Users.Get", "userID", userID); err != nil {
		return nil, err
	}
	if userID == "invites" {
		return nil, errors.New(`portkey: Users.Get: userID "invites" addresses the list of invites`)
	}
	return getOne(s.client, ctx, opts, "id", func(ctx context.Context) (*http.Response, error) {
		return s.client.api.GetUser(ctx, userID)
	}, readUser)
}

// UserUpdate is the change Users.Update makes.
type UserUpdate struct {
	// Role is the user's new organisation role; it must be set.
	Role OrgRole
}

// Update changes a user's organisation role ("Change a user's organisation role", PUT
// /admin/users/{userId}). The id is checked as for Delete; an update without a role is
// refused, since it would succeed without changing anything.
func (s *UserService) Update(ctx context.Context, userID string, u UserUpdate,
	opts ...CallOption) error {
	if err := checkIDs("Users.Update", "userID", userID); err != nil {
		return err
	}
	if u.Role == "" {
		return errors.New("portkey: Users.Update: Role is empty: nothing to change")
	}
	body := generated.UserUpdate{Role: new(generated.UserUpdateRole(u.Role))}
	return s.client.send(ctx, opts, request{do: func(ctx context.Context) (*http.Response, error) {
		return s.client.api.UpdateUser(ctx, userID, body)
	}})
}

// Delete removes the user with the given id from the organisation, as "Remove a user"
// (DELETE /admin/users/{userId}) does.
//
// The id is checked before anything is sent: an empty id, "." or "..", or one holding a
// control character is refused, since each would address another resource than the
// user. Any other id is sent as exactly one path segment, escaped as needed.
//
// An unknown user gives an *APIError for which IsNotFound reports true. A delete that
// fails on the way (connection refused or reset, 429, 502, 503, 504) is retried as
// WithMaxRetries allows. When an attempt may have removed the user before its answer was
// lost (the connection broke after the request went out, or a gateway answered 502 or
// 504), a retry told "not found" (AB08) counts as success: the user is gone either way.
func (s *UserService) Delete(ctx context.Context, userID string, opts ...CallOption) error {
	if err := checkIDs("Users.Delete", "userID", userID); err != nil {
		return err
	}
	return s.client.send(ctx, opts, request{
		do: func(ctx context.Context) (*http.Response, error) {
			return s.client.api.DeleteUser(ctx, userID)
		},
		idempotentDelete: true,
	})
}

// checkIDs checks the path ids of the method op, given as pairs of argument name and
// value, with checkPathID. The error names the method and the argument.
func checkIDs(op string, namesAndIDs ...string) error {
	for i := 0; i+1 < len(namesAndIDs); i += 2 {
		if err := checkPathID(namesAndIDs[i], namesAndIDs[i+1]); err != nil {
			return fmt.Errorf("portkey: %s: %w", op, err)
		}
	}
	return nil
}

// checkPathID refuses an id that would not travel as the one path segment it names.
func checkPathID(field, id string) error {
	switch {
	case id == "":
		return fmt.Errorf("%s is empty", field)
	case id == "." || id == "..":
		return fmt.Errorf("%s %q is a dot segment, which would address another path", field, id)
	case strings.ContainsFunc(id, unicode.IsControl):
		return fmt.Errorf("%s %q holds a control character", field, id)
	}
	return nil
}
