package wrapper_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/portkey-go/portkey/portkeytest"
	"github.com/portkey-go/portkey/wrapper"
)

// Removing a user, here from the local control plane. Against Portkey's cloud, leave out
// WithSelfHosted and WithHTTPClient and give your own API key.
func Example() {
	srv, err := portkeytest.Start(portkeytest.WithUsers(
		portkeytest.User{ID: "user_123", Email: "ada@example.com"},
		portkeytest.User{ID: "user_456", Email: "alan@example.com"},
	))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	client, err := wrapper.New(
		wrapper.WithAPIKey(srv.APIKey),
		wrapper.WithSelfHosted(srv.URL),
		wrapper.WithHTTPClient(srv.HTTPClient()),
	)
	if err != nil {
		log.Fatal(err)
	}

	if err := client.Users.Delete(context.Background(), "user_123"); err != nil {
		log.Fatal(err)
	}
	for _, u := range srv.Users() {
		fmt.Println("still a member:", u.ID)
	}
	// Output:
	// still a member: user_456
}

// An unknown user is an *APIError carrying Portkey's error code.
func ExampleIsNotFound() {
	srv, err := portkeytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, err := wrapper.New(wrapper.WithAPIKey(srv.APIKey), wrapper.WithSelfHosted(srv.URL),
		wrapper.WithHTTPClient(srv.HTTPClient()))
	if err != nil {
		log.Fatal(err)
	}

	err = client.Users.Delete(context.Background(), "user_gone")
	fmt.Println("not found:", wrapper.IsNotFound(err))

	var apiErr *wrapper.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code, apiErr.Message)
	}
	// Output:
	// not found: true
	// 404 AB08 user "user_gone" not found
}

// A self-hosted control plane is used at the base URL given, and a bad one is refused
// before anything is sent.
func ExampleWithSelfHosted() {
	client, err := wrapper.New(wrapper.WithAPIKey("pk-example"),
		wrapper.WithSelfHosted("https://portkey.internal.example/v1"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.BaseURL())

	_, err = wrapper.New(wrapper.WithAPIKey("pk-example"), wrapper.WithSelfHosted("portkey.internal.example"))
	fmt.Println(err)
	// Output:
	// https://portkey.internal.example/v1/
	// portkey: WithSelfHosted: base URL "portkey.internal.example": no scheme: write https://…
}

// Deleting a user that is already gone can be treated as done, which makes an
// offboarding script safe to run twice.
func ExampleUserService_Delete() {
	srv, err := portkeytest.Start(portkeytest.WithUsers(portkeytest.User{ID: "user_123"}))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, err := wrapper.New(wrapper.WithAPIKey(srv.APIKey), wrapper.WithSelfHosted(srv.URL),
		wrapper.WithHTTPClient(srv.HTTPClient()))
	if err != nil {
		log.Fatal(err)
	}

	for range 2 {
		err := client.Users.Delete(context.Background(), "user_123")
		switch {
		case wrapper.IsNotFound(err):
			fmt.Println("already removed")
		case err != nil:
			log.Fatal(err)
		default:
			fmt.Println("removed")
		}
	}
	// Output:
	// removed
	// already removed
}

// local starts the local control plane with opts and returns a client for it, as
// Example does step by step. Against Portkey, build the client with your API key alone.
func local(opts ...portkeytest.Option) (*wrapper.Client, *portkeytest.Server) {
	srv, err := portkeytest.Start(opts...)
	if err != nil {
		log.Fatal(err)
	}
	client, err := wrapper.New(wrapper.WithAPIKey(srv.APIKey), wrapper.WithSelfHosted(srv.URL),
		wrapper.WithHTTPClient(srv.HTTPClient()))
	if err != nil {
		log.Fatal(err)
	}
	return client, srv
}

// exampleUsers are the people of the examples' organisation.
var exampleUsers = portkeytest.WithUsers(
	portkeytest.User{ID: "user_1", Email: "ada@example.com", Role: "owner"},
	portkeytest.User{ID: "user_2", Email: "alan@example.com", Role: "member"},
	portkeytest.User{ID: "user_3", Email: "grace@example.com", Role: "admin"},
)

// One page at a time: Total counts every user, the page holds PageSize of them.
func ExampleUserService_List() {
	client, srv := local(exampleUsers)
	defer srv.Close()

	page, err := client.Users.List(context.Background(), wrapper.UserListOptions{PageSize: 2})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("users in all:", page.Total)
	for _, u := range page.Items {
		fmt.Println(u.ID, u.Email, u.Role)
	}
	// Output:
	// users in all: 3
	// user_1 ada@example.com owner
	// user_2 alan@example.com member
}

// All walks every page; the loop sees one user at a time, or the error that ended the
// walk.
func ExampleUserService_All() {
	client, srv := local(exampleUsers)
	defer srv.Close()

	for u, err := range client.Users.All(context.Background(), wrapper.UserListOptions{PageSize: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.Email)
	}
	// Output:
	// ada@example.com
	// alan@example.com
	// grace@example.com
}

// An invite names the person's organisation role and the workspaces they join on
// accepting. The local control plane lets the test play the invited person.
func ExampleInviteService_Create() {
	client, srv := local(portkeytest.WithWorkspaces(portkeytest.Workspace{ID: "ws_1", Name: "Research"}))
	defer srv.Close()

	invite, err := client.Invites.Create(context.Background(), wrapper.InviteCreate{
		Email:      "barbara@example.com",
		Role:       wrapper.OrgRoleMember,
		Workspaces: []wrapper.InviteWorkspace{{ID: "ws-research", Role: wrapper.WorkspaceRoleManager}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("sent", invite.ID)

	user, err := srv.AcceptInvite(invite.ID)
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range srv.Members("ws_1") {
		fmt.Println(user.Email, "joined as", m.Role)
	}
	// Output:
	// sent invite_1
	// barbara@example.com joined as manager
}

// Removing a member takes them out of one workspace; they stay in the organisation.
func ExampleMemberService_Remove() {
	client, srv := local(exampleUsers,
		portkeytest.WithWorkspaces(portkeytest.Workspace{ID: "ws_1", Name: "Research"}),
		portkeytest.WithMembers(
			portkeytest.Member{WorkspaceID: "ws_1", UserID: "user_1", Role: "admin"},
			portkeytest.Member{WorkspaceID: "ws_1", UserID: "user_2"},
		))
	defer srv.Close()

	if err := client.Workspaces.Members.Remove(context.Background(), "ws-research", "user_2"); err != nil {
		log.Fatal(err)
	}
	for _, m := range srv.Members("ws_1") {
		fmt.Println("still a member:", m.UserID)
	}
	_, inOrg := srv.User("user_2")
	fmt.Println("user_2 still in the organisation:", inOrg)
	// Output:
	// still a member: user_1
	// user_2 still in the organisation: true
}

// A field left zero stays as it is; Set gives UserAPIKeyConfig a value, and Clear sends
// null, which removes it.
func ExampleWorkspaceService_Update() {
	client, srv := local(portkeytest.WithWorkspaces(portkeytest.Workspace{ID: "ws_1", Name: "Research"}))
	defer srv.Close()
	ctx := context.Background()

	for _, update := range []wrapper.WorkspaceUpdate{
		{UserAPIKeyConfig: wrapper.Set("pc-research")},
		{Description: new("Papers and prototypes")},
		{UserAPIKeyConfig: wrapper.Clear[string]()},
	} {
		if err := client.Workspaces.Update(ctx, "ws_1", update); err != nil {
			log.Fatal(err)
		}
		w, err := client.Workspaces.Get(ctx, "ws_1")
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("config %q, description %q\n", w.UserAPIKeyConfig, w.Description)
	}
	// Output:
	// config "pc-research", description ""
	// config "pc-research", description "Papers and prototypes"
	// config "", description "Papers and prototypes"
}
