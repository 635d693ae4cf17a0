package wrapper

import (
	"crypto/sha256"
	"errors"
	"strconv"
	"testing"
)

// TestWalkGivesUpAfterMaxPages feeds the iterator a server that never ends: every page
// full, each one new, the total always ahead. The walk must end, with ErrPaging.
func TestWalkGivesUpAfterMaxPages(t *testing.T) {
	t.Parallel()
	fetches := 0
	endless := func(p paging) (*Page[int], error) {
		fetches++
		return &Page[int]{Items: []int{p.page, -p.page}, Total: 1 << 40,
			digest: sha256.Sum256([]byte(strconv.Itoa(p.page)))}, nil
	}

	var err error
	items := 0
	for _, err = range walk("Test.All", paging{size: 2}, endless) {
		if err != nil {
			break
		}
		items++
	}
	if !errors.Is(err, ErrPaging) || fetches != MaxPages || items != 2*MaxPages {
		t.Errorf("error %v after %d fetches and %d items; want ErrPaging after %d", err, fetches, items, MaxPages)
	}
}
