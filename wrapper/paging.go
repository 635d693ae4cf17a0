package wrapper

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
)

// DefaultPageSize is how many entries an iterator (UserService.All and the like) asks
// for per page when its options name no PageSize. An iterator always names its page
// size, since a page shorter than the size asked for is how it knows it has reached the
// end.
const DefaultPageSize = 100

// MaxPages is the most pages one iterator fetches. No organisation comes near it; it
// ends a walk that a broken server would otherwise keep going for ever.
const MaxPages = 10_000

// Page is one page of a list, as List methods return it. Pages count from 0, as the
// API does.
type Page[T any] struct {
	// Items are the page's entries, in the order the API sent them. An entry with a
	// field the client could not read is still here, with that field in its Unparsed.
	Items []T
	// Total is how many entries match over all pages, as the API counted them; -1 when
	// the answer did not say.
	Total int

	// digest identifies the page's entries, so that an iterator notices a server that
	// sends the same page again.
	digest [sha256.Size]byte
}

// UserPage is one page of users.
type UserPage = Page[User]

// InvitePage is one page of invites.
type InvitePage = Page[Invite]

// WorkspacePage is one page of workspaces.
type WorkspacePage = Page[Workspace]

// MemberPage is one page of a workspace's members.
type MemberPage = Page[Member]

// ErrPaging is matched (errors.Is) by the error an iterator ends with when the server's
// pages make no progress or cannot be complete: a page that repeats an earlier one (a
// server that ignores the page number), more than MaxPages, or an empty page while the
// server still counts entries the walk has not seen.
var ErrPaging = errors.New("the server's pages make no progress")

// paging is what every list takes: which page, and how long.
type paging struct {
	size, page int
}

// check refuses what no server can answer sensibly.
func (p paging) check() error {
	switch {
	case p.size < 0:
		return fmt.Errorf("page size %d is negative", p.size)
	case p.page < 0:
		return fmt.Errorf("page %d is negative", p.page)
	}
	return nil
}

// getPage runs the list call op after checking its paging, and reads its answer, a JSON
// object with the entries under data and their count under total.
func getPage[T any](c *Client, ctx context.Context, op string, p paging, opts []CallOption,
	do func(context.Context) (*http.Response, error), read func(*object) T) (*Page[T], error) {
	if err := p.check(); err != nil {
		return nil, fmt.Errorf("portkey: %s: %w", op, err)
	}
	var page *Page[T]
	err := c.send(ctx, opts, request{do: do, decode: func(resp *http.Response) error {
		body, err := readBody(resp)
		if err != nil {
			return err
		}
		page, err = readPage(body, read)
		return err
	}})
	if err != nil {
		return nil, err
	}
	return page, nil
}

// readPage reads a list answer: a JSON object with the entries under data and their
// count under total. Only an answer that is no such object, has no data, or whose data
// is neither an array nor null, is an error; each entry is read on its own with read.
func readPage[T any](body []byte, read func(*object) T) (*Page[T], error) {
	var list struct {
		Total json.RawMessage `json:"total"`
		Data  json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, fmt.Errorf("the answer is not a list: %w", err)
	}
	raws, err := listEntries(list.Data, "data")
	if err != nil {
		return nil, err
	}
	return &Page[T]{Items: readItems(raws, read), Total: readCount(list.Total),
		digest: sha256.Sum256(list.Data)}, nil
}

// walk returns an iterator over every entry from page p.page on, fetching pages of
// p.size (DefaultPageSize when 0) with fetch. It stops after a page that is empty, that
// reaches the total the server gave, or, when the server gave none, that is shorter than
// the size asked for. A page
// that repeats an earlier one, or a walk past MaxPages, ends it with an error matching
// ErrPaging, as does any error from fetch; nothing is yielded after an error.
func walk[T any](name string, p paging,
	fetch func(paging) (*Page[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		p := p // each range over the iterator starts where it was made to
		var zero T
		if err := p.check(); err != nil {
			yield(zero, fmt.Errorf("portkey: %s: %w", name, err))
			return
		}
		if p.size == 0 {
			p.size = DefaultPageSize
		}

		seen := map[[sha256.Size]byte]int{}
		// reached counts the entries up to the end of the last page: those before the
		// first page asked for, then every one yielded.
		reached := p.page * p.size
		for n := 0; ; n, p.page = n+1, p.page+1 {
			if n == MaxPages {
				yield(zero, fmt.Errorf("portkey: %s: %w: still going after %d pages",
					name, ErrPaging, MaxPages))
				return
			}
			page, err := fetch(p)
			if err != nil {
				yield(zero, err)
				return
			}
			if len(page.Items) == 0 {
				if page.Total >= 0 && reached < page.Total {
					// The server still counts entries the walk has not seen: ending here
					// quietly would let a caller take a partial list for the whole one.
					yield(zero, fmt.Errorf("portkey: %s: %w: page %d is empty, but the server counts %d entries and %d came before it",
						name, ErrPaging, p.page, page.Total, reached))
				}
				return
			}
			if earlier, ok := seen[page.digest]; ok {
				yield(zero, fmt.Errorf("portkey: %s: %w: page %d repeats page %d",
					name, ErrPaging, p.page, earlier))
				return
			}
			seen[page.digest] = p.page

			for _, item := range page.Items {
				if !yield(item, nil) {
					return
				}
			}
			reached += len(page.Items)
			switch {
			case page.Total >= 0 && reached >= page.Total:
				return // all the server counted
			case page.Total < 0 && len(page.Items) < p.size:
				return // no count to go by: a short page is the last
			}
			// A short page before the total is a server that caps the page size: the
			// walk goes on, until the total or an empty page.
		}
	}
}
