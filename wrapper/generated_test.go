package wrapper_test

import (
	"testing"

	"github.com/portkey-go/portkey/generated"
)

// TestGeneratedClientChecksItsServer holds the client template (api/client.tmpl) to its
// promise: NewClient and the exported request builders refuse a server that could not
// start every request's URL, and add the trailing slash a base path needs.
func TestGeneratedClientChecksItsServer(t *testing.T) {
	t.Parallel()
	bad := []string{"", "/v1", "//h/v1", "ftp://h/v1", "http:h", "http:///v1", "http://h/v1?x=1",
		"http://h/v1?", "http://h/v1#f", "http://h/v1#"}
	for _, server := range bad {
		if _, err := generated.NewClient(server); err == nil {
			t.Errorf("NewClient(%q) accepted it", server)
		}
		if _, err := generated.NewGetUserRequest(server, "u1"); err == nil {
			t.Errorf("NewGetUserRequest(%q) accepted it", server)
		}
	}

	for server, want := range map[string]string{
		"http://h/v1":         "/v1/admin/users/u%2F1",
		"http://h/v1/":        "/v1/admin/users/u%2F1",
		"https://h":           "/admin/users/u%2F1",
		"http://h/pre%20x/v1": "/pre%20x/v1/admin/users/u%2F1",
	} {
		req, err := generated.NewGetUserRequest(server, "u/1")
		if err != nil || req.URL.EscapedPath() != want || req.URL.RawQuery != "" {
			t.Errorf("NewGetUserRequest(%q) = %v, %v; want path %s", server, req.URL, err, want)
		}
	}
}
