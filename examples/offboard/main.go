// Command offboard takes a person out of a Portkey organisation by email address.
//
//	go run ./examples/offboard EMAIL
//
// It finds the user with that address, removes them from every workspace they belong
// to, cancels the invites still pending for the address, and deletes the user, printing
// each step. Running it again for the same address finds nothing left to do and says
// so, which makes it safe to repeat after a failure part-way.
//
// With PORTKEY_API_KEY set (and PORTKEY_BASE_URL for a self-hosted control plane) it
// works on that organisation. With neither set it starts the built-in local control
// plane, package portkeytest, with a few users, workspaces and invites, so it can be
// tried without an account. One line says what went wrong when something does, and the
// exit status is 1; a wrong number of arguments exits with status 2.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/portkey-go/portkey/portkeytest"
	"github.com/portkey-go/portkey/wrapper"
)

// The local control plane's organisation. Alan belongs to two workspaces and was
// invited twice: one invite accepted, the other still pending.
var (
	demoUsers = []portkeytest.User{
		{ID: "user_123", Email: "ada@example.com", FirstName: "Ada", LastName: "Lovelace", Role: "owner"},
		{ID: "user_456", Email: "alan@example.com", FirstName: "Alan", LastName: "Turing", Role: "member"},
		{ID: "user_789", Email: "grace@example.com", FirstName: "Grace", LastName: "Hopper", Role: "admin"},
	}
	demoWorkspaces = []portkeytest.Workspace{
		{ID: "ws_1", Name: "Research"},
		{ID: "ws_2", Name: "Platform"},
		{ID: "ws_3", Name: "Sales"},
	}
	demoMembers = []portkeytest.Member{
		{WorkspaceID: "ws_1", UserID: "user_123", Role: "admin"},
		{WorkspaceID: "ws_1", UserID: "user_456", Role: "member"},
		{WorkspaceID: "ws_2", UserID: "user_456", Role: "manager"},
		{WorkspaceID: "ws_2", UserID: "user_789", Role: "admin"},
	}
	demoInvites = []portkeytest.Invite{
		{ID: "invite_1", Email: "alan@example.com", Role: "member", Status: "accepted"},
		{ID: "invite_2", Email: "alan@example.com", Role: "member"},
		{ID: "invite_3", Email: "barbara@example.com", Role: "member"},
	}
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole program, apart from the process around it, so tests can call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 || strings.TrimSpace(args[0]) == "" {
		fmt.Fprintln(stderr, "usage: offboard EMAIL")
		return 2
	}
	email := args[0]

	var err error
	if os.Getenv(wrapper.EnvAPIKey) == "" && os.Getenv(wrapper.EnvBaseURL) == "" {
		err = offboardLocally(ctx, email, stdout)
	} else {
		var client *wrapper.Client
		if client, err = wrapper.New(); err == nil {
			fmt.Fprintf(stdout, "control plane at %s\n", strings.TrimSuffix(client.BaseURL(), "/"))
			err = offboard(ctx, client, email, stdout)
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "offboard:", err)
		return 1
	}
	return 0
}

// offboardLocally starts the local control plane, offboards there, and shows what is
// left.
func offboardLocally(ctx context.Context, email string, stdout io.Writer) error {
	srv, err := portkeytest.Start(portkeytest.WithUsers(demoUsers...),
		portkeytest.WithWorkspaces(demoWorkspaces...), portkeytest.WithMembers(demoMembers...),
		portkeytest.WithInvites(demoInvites...))
	if err != nil {
		return err
	}
	defer srv.Close()
	fmt.Fprintf(stdout, "local control plane at %s\n", srv.URL)

	client, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithAPIKey(srv.APIKey),
		wrapper.WithSelfHosted(srv.URL), wrapper.WithHTTPClient(srv.HTTPClient()))
	if err != nil {
		return err
	}
	if err := offboard(ctx, client, email, stdout); err != nil {
		return err
	}

	var users []string
	for _, u := range srv.Users() {
		users = append(users, u.Email)
	}
	fmt.Fprintf(stdout, "users left: %s\n", strings.Join(users, ", "))
	return nil
}

// offboard does the four steps. Everything is found before anything is changed: a
// list walked while entries are deleted from it shifts under the walk. Something
// already gone (not found) counts as done, so that a second run after a failure
// finishes the job.
func offboard(ctx context.Context, client *wrapper.Client, email string, stdout io.Writer) error {
	fmt.Fprintf(stdout, "offboarding %s\n", email)
	user, err := findUser(ctx, client, email)
	if err != nil {
		return err
	}
	invites, err := pendingInvites(ctx, client, email)
	if err != nil {
		return err
	}

	if user == nil {
		fmt.Fprintf(stdout, "no user has the address %s\n", email)
	} else {
		fmt.Fprintf(stdout, "found user %s (%s)\n", user.ID, strings.TrimSpace(user.FirstName+" "+user.LastName))
		if err := leaveWorkspaces(ctx, client, user.ID, stdout); err != nil {
			return err
		}
	}

	if len(invites) == 0 {
		fmt.Fprintf(stdout, "no pending invites for %s\n", email)
	}
	for _, id := range invites {
		if err := client.Invites.Delete(ctx, id); err != nil && !wrapper.IsNotFound(err) {
			return err
		}
		fmt.Fprintf(stdout, "cancelled pending invite %s\n", id)
	}

	if user != nil {
		if err := client.Users.Delete(ctx, user.ID); err != nil && !wrapper.IsNotFound(err) {
			return err
		}
		fmt.Fprintf(stdout, "deleted user %s\n", user.ID)
	}
	return nil
}

// findUser walks every user for the one with the address, compared without regard to
// case, since people write addresses either way. It returns nil when there is none.
func findUser(ctx context.Context, client *wrapper.Client, email string) (*wrapper.User, error) {
	for u, err := range client.Users.All(ctx, wrapper.UserListOptions{}) {
		if err != nil {
			return nil, err
		}
		if strings.EqualFold(u.Email, email) {
			return &u, nil
		}
	}
	return nil, nil
}

// pendingInvites returns the ids of the invites still pending for the address. The
// server is asked to filter, and each invite is checked again here: a server that
// ignored the filters, or matched the address loosely, must not get someone else's
// invite cancelled.
func pendingInvites(ctx context.Context, client *wrapper.Client, email string) ([]string, error) {
	var ids []string
	opts := wrapper.InviteListOptions{Email: email, Status: wrapper.InviteStatusPending}
	for inv, err := range client.Invites.All(ctx, opts) {
		if err != nil {
			return nil, err
		}
		if strings.EqualFold(inv.Email, email) && inv.Status == wrapper.InviteStatusPending {
			ids = append(ids, inv.ID)
		}
	}
	return ids, nil
}

// leaveWorkspaces removes the user from every workspace that has them as a member. It
// asks each workspace rather than trusting the user's own list of workspaces, which an
// answer may leave out.
func leaveWorkspaces(ctx context.Context, client *wrapper.Client, userID string, stdout io.Writer) error {
	var workspaces []wrapper.Workspace
	for w, err := range client.Workspaces.All(ctx, wrapper.WorkspaceListOptions{}) {
		if err != nil {
			return err
		}
		workspaces = append(workspaces, w)
	}

	left := 0
	for _, w := range workspaces {
		m, err := client.Workspaces.Members.Get(ctx, w.ID, userID)
		if wrapper.IsNotFound(err) {
			continue
		}
		if err != nil {
			return err
		}
		if err := client.Workspaces.Members.Remove(ctx, w.ID, userID); err != nil && !wrapper.IsNotFound(err) {
			return err
		}
		fmt.Fprintf(stdout, "removed %s from workspace %s (%s, was %s)\n", userID, w.Slug, w.Name, m.Role)
		left++
	}
	if left == 0 {
		fmt.Fprintf(stdout, "%s belongs to no workspace\n", userID)
	}
	return nil
}
