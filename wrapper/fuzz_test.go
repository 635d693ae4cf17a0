package wrapper_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/portkey-go/portkey/wrapper"
)

// FuzzUserID holds Users.Delete to one promise for any id: either it is refused before
// anything is sent, or exactly one request goes out, to the base path followed by
// "admin/users/" and a single segment that decodes to exactly the id. Seeds are in
// testdata/fuzz/FuzzUserID; `make fuzz` explores further.
func FuzzUserID(f *testing.F) {
	var mu sync.Mutex
	var paths []string
	srv := prefixed(f, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.EscapedPath())
		mu.Unlock()
	})
	c, _ := newClient(f, srv.URL+prefix, wrapper.WithMaxRetries(0))

	f.Fuzz(func(t *testing.T, id string) {
		mu.Lock()
		paths = paths[:0]
		mu.Unlock()

		err := c.Users.Delete(context.Background(), id)

		mu.Lock()
		got := append([]string(nil), paths...)
		mu.Unlock()
		if err != nil {
			var apiErr *wrapper.APIError
			if errors.As(err, &apiErr) || len(got) != 0 || !strings.Contains(err.Error(), "userID") {
				t.Fatalf("id %q: error %v after %d requests; a refusal must name userID and send nothing", id, err, len(got))
			}
			return
		}
		if len(got) != 1 {
			t.Fatalf("id %q: %d requests, want 1", id, len(got))
		}
		segment, ok := strings.CutPrefix(got[0], prefix+"/admin/users/")
		if !ok || strings.Contains(segment, "/") {
			t.Fatalf("id %q: path %q is not one segment under %s/admin/users/", id, got[0], prefix)
		}
		if decoded, err := url.PathUnescape(segment); err != nil || decoded != id {
			t.Fatalf("id %q: segment %q decodes to %q (%v)", id, segment, decoded, err)
		}
	})
}
