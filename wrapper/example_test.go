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
