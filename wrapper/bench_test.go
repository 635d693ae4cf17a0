package wrapper_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/portkey-go/portkey/wrapper"
)

// BenchmarkUsersDelete measures one removal through the wrapper against a loopback
// server that answers {} at once, so the figure is the client's cost plus the loopback
// round trip.
func BenchmarkUsersDelete(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, "{}")
	}))
	b.Cleanup(srv.Close)
	c, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithAPIKey(testKey),
		wrapper.WithSelfHosted(srv.URL+"/v1"))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()

	b.ReportAllocs()
	for b.Loop() {
		if err := c.Users.Delete(ctx, "user_123"); err != nil {
			b.Fatal(err)
		}
	}
}
