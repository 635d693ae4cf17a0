// Command remove-user removes one user from a Portkey organisation.
//
//	go run ./examples/remove-user USER_ID
//
// With PORTKEY_API_KEY set (and PORTKEY_BASE_URL for a self-hosted control plane) it
// removes that user from that organisation. With neither set it starts the built-in local
// control plane, package portkeytest, with a few users, and removes the given one there,
// so it can be tried without an account. It prints what it did, or one line saying what
// went wrong and exits with status 1; a wrong number of arguments exits with status 2.
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

// demoUsers are the people in the local control plane's organisation.
var demoUsers = []portkeytest.User{
	{ID: "user_123", Email: "ada@example.com", FirstName: "Ada", LastName: "Lovelace", Role: "admin"},
	{ID: "user_456", Email: "alan@example.com", FirstName: "Alan", LastName: "Turing", Role: "member"},
	{ID: "user_789", Email: "grace@example.com", FirstName: "Grace", LastName: "Hopper", Role: "member"},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole program, apart from the process around it, so tests can call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: remove-user USER_ID")
		return 2
	}
	userID := args[0]

	var err error
	if os.Getenv(wrapper.EnvAPIKey) == "" && os.Getenv(wrapper.EnvBaseURL) == "" {
		err = removeLocally(ctx, userID, stdout)
	} else {
		err = remove(ctx, userID, stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "remove-user:", err)
		return 1
	}
	return 0
}

// remove removes the user from the control plane the environment names.
func remove(ctx context.Context, userID string, stdout io.Writer) error {
	client, err := wrapper.New()
	if err != nil {
		return err
	}
	if err := client.Users.Delete(ctx, userID); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "removed user %s from %s\n", userID, client.BaseURL())
	return nil
}

// removeLocally starts the local control plane, removes the user there and shows who is
// left.
func removeLocally(ctx context.Context, userID string, stdout io.Writer) error {
	srv, err := portkeytest.Start(portkeytest.WithUsers(demoUsers...))
	if err != nil {
		return err
	}
	defer srv.Close()
	fmt.Fprintf(stdout, "local control plane at %s with users %s\n", srv.URL, ids(srv.Users()))

	client, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithAPIKey(srv.APIKey),
		wrapper.WithSelfHosted(srv.URL), wrapper.WithHTTPClient(srv.HTTPClient()))
	if err != nil {
		return err
	}
	removed, _ := srv.User(userID)
	if err := client.Users.Delete(ctx, userID); err != nil {
		return err
	}

	fmt.Fprintf(stdout, "removed user %s (%s)\n", userID, removed.Email)
	fmt.Fprintf(stdout, "users left: %s\n", ids(srv.Users()))
	return nil
}

func ids(users []portkeytest.User) string {
	names := make([]string, len(users))
	for i, u := range users {
		names[i] = u.ID
	}
	if len(names) == 0 {
		return "(none)"
	}
	return strings.Join(names, ", ")
}
