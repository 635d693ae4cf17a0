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

// exercises call every operation of the description through the wrapper, keyed by
// api.Operation.Key, and check the effect on the local control plane. TestContract fails
// for an operation that has no entry here.
var exercises = map[string]func(ctx context.Context, c *wrapper.Client, srv *portkeytest.Server) error{
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
				exercise, ok := exercises[op.Key()]
				if !ok {
					t.Errorf("no contract test exercises %s", op.Key())
					continue
				}
				if err := exercise(context.Background(), c, srv); err != nil {
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
