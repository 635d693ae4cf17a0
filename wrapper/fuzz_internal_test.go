package wrapper

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

// FuzzErrorBody feeds arbitrary answers to the error decoder: it never panics, always
// keeps the status, keeps its message on one line, and never shows the API key, even
// when the body holds it. Seeds are in testdata/fuzz/FuzzErrorBody.
func FuzzErrorBody(f *testing.F) {
	const key = "pk-fuzz-0123456789abcdef"
	cred := newCredential(key)

	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		status = 100 + abs(status)%500
		req, _ := http.NewRequest(http.MethodDelete, "https://cp.example/v1/admin/users/u1", nil)
		resp := &http.Response{StatusCode: status, Header: http.Header{}, Request: req,
			Body: io.NopCloser(bytes.NewReader(body))}
		resp.Header.Set("Content-Type", contentType)

		apiErr := newAPIError(resp, cred)
		if apiErr.StatusCode != status {
			t.Fatalf("status %d became %d", status, apiErr.StatusCode)
		}
		text := apiErr.Error()
		if strings.ContainsAny(text, "\r\n") {
			t.Fatalf("error text spans lines: %q", text)
		}
		if strings.Contains(text, key) || bytes.Contains(apiErr.Body, []byte(key)) {
			t.Fatalf("the key shows in %q", text)
		}
		if len(apiErr.Body) > maxErrorBody+len("…") {
			t.Fatalf("kept %d bytes of body", len(apiErr.Body))
		}
	})
}

func abs(n int) int {
	if n < 0 {
		if -n < 0 { // the most negative int has no positive counterpart
			return 0
		}
		return -n
	}
	return n
}
