// Command bulk-remove measures bulk work under a rate limit: it removes many users from
// many goroutines through one client, against the built-in local control plane behind a
// rate limiter that answers 429 with Retry-After beyond its limit.
//
//	go run ./examples/bulk-remove                  # 10,000 users, 32 goroutines, 2,000/s
//	go run ./examples/bulk-remove -compare         # the same, with and without the shared wait
//	go run ./examples/bulk-remove -heap            # the heap while removing users one by one
//
// It only ever talks to the servers it starts on loopback. It prints one table row per
// run: users removed, failed calls, requests, how many were answered 429, the time taken
// and its ratio to the time the limit allows (users / rate). It exits 1 when a user is
// left or a call failed. BENCHMARKS.md records its figures; `make bench` runs it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/portkey-go/portkey/portkeytest"
	"github.com/portkey-go/portkey/wrapper"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// settings are the program's flags.
type settings struct {
	users, workers, rate, retries int
	compare, heap                 bool
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var s settings
	flags := flag.NewFlagSet("bulk-remove", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.IntVar(&s.users, "users", 10000, "users to remove")
	flags.IntVar(&s.workers, "workers", 32, "goroutines sharing the client")
	flags.IntVar(&s.rate, "rate", 2000, "requests a second the control plane admits")
	flags.IntVar(&s.retries, "retries", 10, "retries per call (WithMaxRetries)")
	flags.BoolVar(&s.compare, "compare", false, "run again without the shared Retry-After wait")
	flags.BoolVar(&s.heap, "heap", false,
		"measure the heap while removing -users users one by one instead (no workers, limit or retries)")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if s.users <= 0 || s.workers <= 0 || s.rate <= 0 || s.retries < 0 || flags.NArg() != 0 {
		fmt.Fprintln(stderr, "bulk-remove: -users, -workers and -rate must be positive, -retries not negative, and no arguments")
		return 2
	}
	if s.heap && s.compare {
		fmt.Fprintln(stderr, "bulk-remove: -heap and -compare measure different things; give one")
		return 2
	}

	if s.heap {
		if err := measureHeap(ctx, s.users, stdout); err != nil {
			fmt.Fprintln(stderr, "bulk-remove:", err)
			return 1
		}
		return 0
	}

	table := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(table, "shared wait\tusers removed\tfailed calls\trequests\t429s\t429 share\ttime\tratio to the limit\t")
	ok := true
	modes := []bool{true}
	if s.compare {
		modes = append(modes, false)
	}
	for _, shared := range modes {
		r, err := removeAll(ctx, s, shared)
		if err != nil {
			fmt.Fprintln(stderr, "bulk-remove:", err)
			return 1
		}
		ideal := time.Duration(float64(s.users) / float64(s.rate) * float64(time.Second))
		fmt.Fprintf(table, "%v\t%d\t%d\t%d\t%d\t%.2f%%\t%.2fs\t%.3f\t\n", shared, r.removed, r.failed,
			r.requests, r.refused, 100*float64(r.refused)/float64(r.requests), r.took.Seconds(),
			r.took.Seconds()/ideal.Seconds())
		ok = ok && r.removed == s.users && r.failed == 0
	}
	table.Flush()
	if !ok {
		fmt.Fprintln(stderr, "bulk-remove: not every user was removed")
		return 1
	}
	return 0
}

// result is what one run did.
type result struct {
	removed, failed   int
	requests, refused int64
	took              time.Duration
}

// removeAll removes s.users users from s.workers goroutines sharing one client, against
// a fresh local control plane limited to s.rate requests a second.
func removeAll(ctx context.Context, s settings, shared bool) (result, error) {
	users := make([]portkeytest.User, s.users)
	for i := range users {
		users[i] = portkeytest.User{ID: fmt.Sprintf("user_%05d", i)}
	}
	cp, err := portkeytest.Start(portkeytest.WithUsers(users...))
	if err != nil {
		return result{}, err
	}
	defer cp.Close()
	limiter := portkeytest.NewRateLimiter(cp, s.rate)
	front := httptest.NewServer(limiter)
	defer front.Close()

	opts := []wrapper.Option{wrapper.WithoutEnvironment(), wrapper.WithAPIKey(cp.APIKey),
		wrapper.WithSelfHosted(front.URL + "/v1"), wrapper.WithMaxRetries(s.retries),
		wrapper.WithHTTPClient(&http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: s.workers}})}
	if !shared {
		opts = append(opts, wrapper.WithoutSharedWait())
	}
	client, err := wrapper.New(opts...)
	if err != nil {
		return result{}, err
	}

	var next, failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range s.workers {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(len(users)); i = next.Add(1) - 1 {
				if err := client.Users.Delete(ctx, users[i].ID); err != nil {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	took := time.Since(start)

	return result{
		removed:  s.users - len(cp.Users()),
		failed:   int(failed.Load()),
		requests: limiter.Admitted() + limiter.Refused(),
		refused:  limiter.Refused(),
		took:     took,
	}, nil
}

// measureHeap removes users one by one through one client and prints the live heap after
// a collection at every tenth of the way. The server answers every removal at once and
// keeps nothing, so the figures are the client's own: flat when a call leaves nothing
// behind.
func measureHeap(ctx context.Context, users int, stdout io.Writer) error {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, "{}")
	}))
	defer srv.Close()
	client, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithAPIKey("pk-heap-measure"),
		wrapper.WithSelfHosted(srv.URL+"/v1"))
	if err != nil {
		return err
	}

	table := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(table, "users removed\tlive heap (KiB)\tgoroutines\t")
	step := max(users/10, 1)
	for i := range users {
		if i%step == 0 {
			printHeap(table, i)
		}
		if err := client.Users.Delete(ctx, fmt.Sprintf("user_%05d", i)); err != nil {
			return err
		}
	}
	printHeap(table, users)
	return table.Flush()
}

func printHeap(w io.Writer, done int) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	fmt.Fprintf(w, "%d\t%d\t%d\t\n", done, m.HeapAlloc>>10, runtime.NumGoroutine())
}
