package wrapper_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/portkey-go/portkey/portkeytest"
	"github.com/portkey-go/portkey/wrapper"
)

// pager starts a server whose list answers come from answer, given the page number the
// request asked for, and returns a client and the page numbers asked for so far.
func pager(t *testing.T, answer func(page, size int) string) (*wrapper.Client, func() []int) {
	t.Helper()
	var mu sync.Mutex
	var asked []int
	srv := prefixed(t, func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("currentPage"))
		size, _ := strconv.Atoi(r.URL.Query().Get("pageSize"))
		mu.Lock()
		asked = append(asked, page)
		mu.Unlock()
		canned{status: 200, contentType: "application/json", body: answer(page, size)}.write(w, r)
	})
	c, _ := newClient(t, srv.URL+prefix)
	return c, func() []int {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(asked)
	}
}

// usersJSON writes a page of users with the given ids and total ("" for none).
func usersJSON(total string, ids ...string) string {
	items := make([]string, len(ids))
	for i, id := range ids {
		items[i] = `{"id":"` + id + `"}`
	}
	if total != "" {
		total = `"total":` + total + `,`
	}
	return `{` + total + `"data":[` + strings.Join(items, ",") + `]}`
}

// collect walks users, returning the ids seen and the error that ended the walk.
func collect(c *wrapper.Client, opts wrapper.UserListOptions) ([]string, error) {
	var ids []string
	for u, err := range c.Users.All(context.Background(), opts) {
		if err != nil {
			return ids, err
		}
		ids = append(ids, u.ID)
	}
	return ids, nil
}

// pages answers page n with the ids in pages[n], and an empty page past the end.
func pages(total string, pages ...[]string) func(page, size int) string {
	return func(page, _ int) string {
		if page >= len(pages) {
			return usersJSON(total)
		}
		return usersJSON(total, pages[page]...)
	}
}

func TestAllStops(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    wrapper.UserListOptions
		answer  func(page, size int) string
		ids     []string
		asked   []int
		wantErr error
	}{
		{"on a short page", wrapper.UserListOptions{PageSize: 2},
			pages("", []string{"a", "b"}, []string{"c"}, []string{"never"}),
			[]string{"a", "b", "c"}, []int{0, 1}, nil},
		{"on an empty page", wrapper.UserListOptions{PageSize: 2},
			pages("", []string{"a", "b"}, []string{"c", "d"}),
			[]string{"a", "b", "c", "d"}, []int{0, 1, 2}, nil},
		{"at the total", wrapper.UserListOptions{PageSize: 2},
			pages("4", []string{"a", "b"}, []string{"c", "d"}, []string{"never"}),
			[]string{"a", "b", "c", "d"}, []int{0, 1}, nil},
		{"at the total, past short pages from a server that caps the page size", wrapper.UserListOptions{PageSize: 3},
			pages("5", []string{"a", "b"}, []string{"c", "d"}, []string{"e"}, []string{"never"}),
			[]string{"a", "b", "c", "d", "e"}, []int{0, 1, 2}, nil},
		{"with an error on an empty page before the total", wrapper.UserListOptions{PageSize: 3},
			pages("9", []string{"a", "b"}),
			[]string{"a", "b"}, []int{0, 1}, wrapper.ErrPaging},
		{"on an empty page whose own total says the list shrank", wrapper.UserListOptions{PageSize: 2},
			func(page, _ int) string {
				if page == 0 {
					return usersJSON("5", "a", "b")
				}
				return usersJSON("2") // three entries were removed meanwhile
			},
			[]string{"a", "b"}, []int{0, 1}, nil},
		{"at a total that says less than the pages hold", wrapper.UserListOptions{PageSize: 2},
			pages("1", []string{"a", "b"}, []string{"c", "d"}),
			[]string{"a", "b"}, []int{0}, nil},
		{"at the total from a later first page", wrapper.UserListOptions{PageSize: 2, Page: 1},
			pages("4", []string{"x", "y"}, []string{"c", "d"}, []string{"never"}),
			[]string{"c", "d"}, []int{1}, nil},
		{"when a server sends everything at once", wrapper.UserListOptions{PageSize: 2},
			pages("5", []string{"a", "b", "c", "d", "e"}),
			[]string{"a", "b", "c", "d", "e"}, []int{0}, nil},
		{"on a server that repeats its first page", wrapper.UserListOptions{PageSize: 2},
			func(int, int) string { return usersJSON("1000", "a", "b") },
			[]string{"a", "b"}, []int{0, 1}, wrapper.ErrPaging},
		{"on a server that cycles through pages", wrapper.UserListOptions{PageSize: 2},
			func(page, _ int) string { return usersJSON("", []string{"a", "b", "c", "d"}[page%2*2:page%2*2+2]...) },
			[]string{"a", "b", "c", "d"}, []int{0, 1, 2}, wrapper.ErrPaging},
		{"with the default page size", wrapper.UserListOptions{},
			func(page, size int) string {
				if size != wrapper.DefaultPageSize {
					return usersJSON("", "wrong size "+strconv.Itoa(size))
				}
				return usersJSON("", "a")
			},
			[]string{"a"}, []int{0}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, asked := pager(t, tt.answer)
			ids, err := collect(c, tt.opts)
			if !slices.Equal(ids, tt.ids) || !slices.Equal(asked(), tt.asked) {
				t.Errorf("yielded %v after asking for pages %v; want %v after %v", ids, asked(), tt.ids, tt.asked)
			}
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Errorf("error %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestAllEndsOnAnError(t *testing.T) {
	t.Parallel()
	srv, requests := counting(t, func(_ int, r *http.Request) canned {
		if r.URL.Query().Get("currentPage") == "1" {
			return canned{status: 500, contentType: "application/json", body: `{"errorCode":"AB04","message":"boom"}`}
		}
		return canned{status: 200, contentType: "application/json", body: usersJSON("", "a", "b")}
	})
	c, _ := newClient(t, srv.URL+prefix)

	var ids []string
	var errs []error
	for u, err := range c.Users.All(context.Background(), wrapper.UserListOptions{PageSize: 2}) {
		if err != nil {
			errs = append(errs, err)
			continue // the sequence must end by itself
		}
		ids = append(ids, u.ID)
	}
	var apiErr *wrapper.APIError
	if !slices.Equal(ids, []string{"a", "b"}) || len(errs) != 1 || !errors.As(errs[0], &apiErr) ||
		apiErr.StatusCode != 500 || requests() != 2 {
		t.Errorf("yielded %v and errors %v after %d requests", ids, errs, requests())
	}
}

func TestAllStopsWhenTheLoopDoes(t *testing.T) {
	t.Parallel()
	c, asked := pager(t, pages("", []string{"a", "b"}, []string{"c", "d"}))
	for u, err := range c.Users.All(context.Background(), wrapper.UserListOptions{PageSize: 2}) {
		if err != nil || u.ID != "a" {
			t.Errorf("first: %+v, %v", u, err)
		}
		break
	}
	if got := asked(); !slices.Equal(got, []int{0}) {
		t.Errorf("asked for pages %v after the loop stopped", got)
	}
}

func TestAllEndsWithTheContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, asked := pager(t, func(page, _ int) string {
		return usersJSON("", "p"+strconv.Itoa(page)+"a", "p"+strconv.Itoa(page)+"b")
	})
	var err error
	n := 0
	for _, err = range c.Users.All(ctx, wrapper.UserListOptions{PageSize: 2}) {
		if err != nil {
			break
		}
		if n++; n == 3 {
			cancel()
		}
	}
	if !errors.Is(err, context.Canceled) || len(asked()) != 2 {
		t.Errorf("error %v after pages %v, want the cancellation after 2", err, asked())
	}
}

// TestAllOnTheLocalControlPlane walks each paged list of portkeytest, which refuses a
// paging parameter spelt the other endpoints' way.
func TestAllOnTheLocalControlPlane(t *testing.T) {
	t.Parallel()
	var users []portkeytest.User
	var members []portkeytest.Member
	var invites []portkeytest.Invite
	var workspaces []portkeytest.Workspace
	for i := range 250 {
		id := fmt.Sprintf("user_%03d", i)
		users = append(users, portkeytest.User{ID: id, Email: id + "@example.com"})
		members = append(members, portkeytest.Member{WorkspaceID: "w0", UserID: id})
		if i < 7 {
			workspaces = append(workspaces, portkeytest.Workspace{ID: fmt.Sprintf("w%d", i)})
			invites = append(invites, portkeytest.Invite{ID: fmt.Sprintf("i%d", i), Email: fmt.Sprintf("new%d@example.com", i)})
		}
	}
	c, srv := localClient(t, portkeytest.WithUsers(users...), portkeytest.WithWorkspaces(workspaces...),
		portkeytest.WithMembers(members...), portkeytest.WithInvites(invites...))
	ctx := context.Background()

	counts := map[string]int{}
	for _, err := range c.Users.All(ctx, wrapper.UserListOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		counts["users"]++
	}
	for _, err := range c.Workspaces.All(ctx, wrapper.WorkspaceListOptions{PageSize: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		counts["workspaces"]++
	}
	for _, err := range c.Workspaces.Members.All(ctx, "w0", wrapper.MemberListOptions{PageSize: 100}) {
		if err != nil {
			t.Fatal(err)
		}
		counts["members"]++
	}
	for _, err := range c.Invites.All(ctx, wrapper.InviteListOptions{PageSize: 7}) {
		if err != nil {
			t.Fatal(err)
		}
		counts["invites"]++
	}

	want := map[string]int{"users": 250, "workspaces": 7, "members": 250, "invites": 7}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("walked %v, want %v", counts, want)
	}
	requests := map[string]int{}
	for _, call := range srv.Calls() {
		requests[call.Operation]++
	}
	// 250 users at 100 a page is three pages, the last one short; 7 invites at 7 a page
	// reach the total at once.
	wantRequests := map[string]int{"GET /admin/users": 3, "GET /admin/workspaces": 4,
		"GET /admin/workspaces/{workspaceId}/users": 3, "GET /admin/users/invites": 1}
	if fmt.Sprint(requests) != fmt.Sprint(wantRequests) {
		t.Errorf("requests %v, want %v", requests, wantRequests)
	}
	noViolations(t, srv)
}

// TestAllCanBeRangedAgain ranges one iterator twice, and from two goroutines at once
// (with -race): each range walks every page from the start.
func TestAllCanBeRangedAgain(t *testing.T) {
	t.Parallel()
	c, _ := pager(t, pages("5", []string{"a", "b"}, []string{"c", "d"}, []string{"e"}))
	seq := c.Users.All(context.Background(), wrapper.UserListOptions{PageSize: 2})
	walkAll := func() []string {
		var ids []string
		for u, err := range seq {
			if err != nil {
				t.Error(err)
				return ids
			}
			ids = append(ids, u.ID)
		}
		return ids
	}
	want := []string{"a", "b", "c", "d", "e"}
	for i := range 2 {
		if got := walkAll(); !slices.Equal(got, want) {
			t.Errorf("range %d: %v, want %v", i+1, got, want)
		}
	}

	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if got := walkAll(); !slices.Equal(got, want) {
				t.Errorf("concurrent range: %v, want %v", got, want)
			}
		})
	}
	wg.Wait()
}
