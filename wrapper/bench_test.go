package wrapper_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/portkey-go/portkey/generated"
	"github.com/portkey-go/portkey/wrapper"
)

// The overhead benchmarks remove one user three ways against the same loopback server,
// which answers {} at once: through the wrapper, through the generated client called
// directly, and with a hand-written net/http request carrying the same headers and reading
// the same answer. The last is the floor any Go program pays; the wrapper's cost is its
// distance from it. Each way runs serially and under b.RunParallel with one shared client.
// BENCHMARKS.md records the figures and how to read them.

// benchServer answers every request as a successful removal.
func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, "{}")
	}))
	b.Cleanup(srv.Close)
	return srv
}

// benchHTTPClient is the HTTP client every way uses: its own transport, with room to keep
// a connection per parallel goroutine.
func benchHTTPClient(b *testing.B) *http.Client {
	tr := &http.Transport{MaxIdleConnsPerHost: 256}
	b.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// deleter is one way of removing a user.
type deleter func(ctx context.Context, id string) error

func viaWrapper(b *testing.B, baseURL string) deleter {
	c, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithAPIKey(testKey),
		wrapper.WithSelfHosted(baseURL), wrapper.WithHTTPClient(benchHTTPClient(b)))
	if err != nil {
		b.Fatal(err)
	}
	return func(ctx context.Context, id string) error { return c.Users.Delete(ctx, id) }
}

func viaGenerated(b *testing.B, baseURL string) deleter {
	setHeaders := func(_ context.Context, req *http.Request) error {
		req.Header.Set("x-portkey-api-key", testKey)
		req.Header.Set("User-Agent", "portkey-go/devel (github.com/portkey-go/portkey)")
		return nil
	}
	c, err := generated.NewClient(baseURL, generated.WithHTTPClient(benchHTTPClient(b)),
		generated.WithRequestEditorFn(setHeaders))
	if err != nil {
		b.Fatal(err)
	}
	return func(ctx context.Context, id string) error {
		resp, err := c.DeleteUser(ctx, id)
		if err != nil {
			return err
		}
		return finish(resp)
	}
}

func viaNetHTTP(b *testing.B, baseURL string) deleter {
	hc := benchHTTPClient(b)
	return func(ctx context.Context, id string) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodDelete, baseURL+"/admin/users/"+id, nil)
		if err != nil {
			return err
		}
		req.Header.Set("x-portkey-api-key", testKey)
		req.Header.Set("User-Agent", "portkey-go/devel (github.com/portkey-go/portkey)")
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		return finish(resp)
	}
}

// finish reads and closes a body so the connection is reused, and checks the status.
func finish(resp *http.Response) error {
	_, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err == nil && resp.StatusCode/100 != 2 {
		err = fmt.Errorf("status %d", resp.StatusCode)
	}
	return err
}

func BenchmarkDelete(b *testing.B) {
	ways := []struct {
		name string
		make func(*testing.B, string) deleter
	}{
		{"wrapper", viaWrapper},
		{"generated", viaGenerated},
		{"nethttp", viaNetHTTP},
	}
	for _, way := range ways {
		b.Run("mode=serial/way="+way.name, func(b *testing.B) {
			del := way.make(b, benchServer(b).URL+"/v1")
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if err := del(ctx, "user_123"); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("mode=parallel/way="+way.name, func(b *testing.B) {
			del := way.make(b, benchServer(b).URL+"/v1")
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				for pb.Next() {
					if err := del(ctx, "user_123"); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkDeletePaired measures the same three ways side by side in one loop: each
// iteration sends a block of removals through every way in turn, against one server, and
// keeps each way's time apart. Run one after another, as BenchmarkDelete runs them, the
// ways meet a machine that is faster or slower by the second, and on a shared machine
// that alone moves a way's time by a tenth or more; interleaved in blocks of a few
// milliseconds, every way meets the same machine. So the ratios it reports,
// wrapper/nethttp and generated/nethttp, are what the time budget is judged on; ns/op is
// the time of one iteration (a block of each way) and means little alone.
func BenchmarkDeletePaired(b *testing.B) {
	const block = 32 // removals per way per turn: a millisecond or so over loopback
	for _, mode := range []string{"serial", "parallel"} {
		b.Run("mode="+mode, func(b *testing.B) {
			url := benchServer(b).URL + "/v1"
			ways := []deleter{viaWrapper(b, url), viaGenerated(b, url), viaNetHTTP(b, url)}
			var mu sync.Mutex
			var spent [3]time.Duration
			turn := func(local *[3]time.Duration) error {
				ctx := context.Background()
				for i, del := range ways {
					start := time.Now()
					for range block {
						if err := del(ctx, "user_123"); err != nil {
							return err
						}
					}
					local[i] += time.Since(start)
				}
				return nil
			}
			collect := func(local *[3]time.Duration) {
				mu.Lock()
				defer mu.Unlock()
				for i := range spent {
					spent[i] += local[i]
				}
			}

			if mode == "serial" {
				var local [3]time.Duration
				for b.Loop() {
					if err := turn(&local); err != nil {
						b.Fatal(err)
					}
				}
				collect(&local)
			} else {
				b.RunParallel(func(pb *testing.PB) {
					var local [3]time.Duration
					defer collect(&local)
					for pb.Next() {
						if err := turn(&local); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			if spent[2] > 0 {
				b.ReportMetric(float64(spent[0])/float64(spent[2]), "wrapper/nethttp")
				b.ReportMetric(float64(spent[1])/float64(spent[2]), "generated/nethttp")
			}
		})
	}
}
