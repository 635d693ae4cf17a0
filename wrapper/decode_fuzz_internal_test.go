package wrapper

import (
	"encoding/json"
	"testing"
)

// FuzzListAnswer feeds arbitrary bodies to the list decoder. It never panics, and an
// answer whose data is a JSON array always decodes, with one entry for each element
// however odd, and each element's string id kept: one bad value never costs the list.
// Seeds are in testdata/fuzz/FuzzListAnswer.
func FuzzListAnswer(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		page, err := readPage(body, readUser)

		var list struct {
			Data []json.RawMessage `json:"data"`
		}
		if json.Unmarshal(body, &list) != nil || list.Data == nil {
			return // not a list with entries: an error is allowed
		}
		if err != nil {
			t.Fatalf("a list of %d entries failed: %v", len(list.Data), err)
		}
		if len(page.Items) != len(list.Data) {
			t.Fatalf("%d entries became %d users", len(list.Data), len(page.Items))
		}
		for i, raw := range list.Data {
			// Field names match exactly, as the API writes them, not in any case as
			// encoding/json would match a struct's.
			var fields map[string]json.RawMessage
			var id string
			if json.Unmarshal(raw, &fields) == nil && json.Unmarshal(fields["id"], &id) == nil &&
				page.Items[i].ID != id {
				t.Fatalf("entry %d: id %q read as %q", i, id, page.Items[i].ID)
			}
		}
	})
}
