package api_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/portkey-go/portkey/api"
)

// specFile is the vendored description that the generator and contract tests read.
const specFile = "../openapi.yaml"

// seedFile is Portkey's published "Remove a user" description, beside the repository.
const seedFile = "../../shared/seed/remove-a-user.openapi.yaml"

func loadSpec(t *testing.T) *api.Spec {
	t.Helper()
	spec, err := api.LoadFile(specFile)
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// TestSpecChecksum holds openapi.yaml to the checksum recorded in SOURCE.md, so that any
// change to it is a deliberate one.
func TestSpecChecksum(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(specFile)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	got := hex.EncodeToString(sum[:])

	source, err := os.ReadFile("SOURCE.md")
	if err != nil {
		t.Fatal(err)
	}
	recorded := regexp.MustCompile("sha256 \\| `([0-9a-f]{64})`").FindSubmatch(source)
	if recorded == nil || string(recorded[1]) != got {
		kept := "none"
		if recorded != nil {
			kept = string(recorded[1])
		}
		t.Errorf("openapi.yaml has sha256 %s; SOURCE.md records %s: update SOURCE.md with a deliberate change", got, kept)
	}
}

// TestPublishedOperationUnchanged holds the "Remove a user" operation in openapi.yaml to
// Portkey's published description, where that is at hand (always in CI). The rest of
// openapi.yaml is the project's own, so only the published part is compared.
func TestPublishedOperationUnchanged(t *testing.T) {
	t.Parallel()
	seed, err := os.ReadFile(seedFile)
	if errors.Is(err, os.ErrNotExist) && os.Getenv("CI") == "" {
		t.Skipf("%s is not here; CI compares against it", seedFile)
	}
	if err != nil {
		t.Fatalf("%v: CI expects Portkey's published spec in shared/seed beside the repository", err)
	}
	data, err := os.ReadFile(specFile)
	if err != nil {
		t.Fatal(err)
	}

	want, got := published(t, seed), published(t, data)
	if !reflect.DeepEqual(got, want) {
		ours, theirs := jsonText(t, got), jsonText(t, want)
		at := 0
		for at < min(len(ours), len(theirs)) && ours[at] == theirs[at] {
			at++
		}
		from := max(0, at-60)
		t.Errorf("DELETE /admin/users/{userId} differs from %s, first at byte %d:\nopenapi.yaml: …%s\npublished:    …%s",
			seedFile, at, ours[from:min(len(ours), at+60)], theirs[from:min(len(theirs), at+60)])
	}
}

// TestPublishedComparisonSeesOneWord is the control for TestPublishedOperationUnchanged:
// one word changed anywhere in the published operation, its path item or the security
// scheme it names must change what is compared, while a change elsewhere must not.
func TestPublishedComparisonSeesOneWord(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(specFile)
	if err != nil {
		t.Fatal(err)
	}
	base := published(t, data)

	for _, tt := range []struct {
		old, new string
		seen     bool
	}{
		{"summary: Remove a user", "summary: Remove the user", true},
		{`-X DELETE "https://api.portkey.ai/v1/admin/users/USER_ID"`,
			`-X DELETE "https://api.portkey.ai/v1/admin/user/USER_ID"`, true},
		{"          example: {}\n      x-code-samples", "          example: []\n      x-code-samples", true},
		{"  /admin/users/{userId}:\n    servers:\n      - url: https://api.portkey.ai/v1\n",
			"  /admin/users/{userId}:\n    servers:\n      - url: https://api.portkey.ai/v2\n", true},
		{"      name: x-portkey-api-key", "      name: x-portkey-key", true},
		{"summary: Get a user", "summary: Fetch a user", false},
	} {
		if strings.Count(string(data), tt.old) != 1 {
			t.Fatalf("openapi.yaml should hold %q exactly once; update this test", tt.old)
		}
		changed := published(t, []byte(strings.Replace(string(data), tt.old, tt.new, 1)))
		if seen := !reflect.DeepEqual(changed, base); seen != tt.seen {
			t.Errorf("replacing %q: comparison sees it = %v, want %v", tt.old, seen, tt.seen)
		}
	}
}

// published returns what makes up Portkey's "Remove a user" operation in a description:
// the operation, the servers and parameters of its path item, and the security it runs
// under with the schemes that names. It is generic JSON with every local $ref replaced by
// what it points at, so that moving a schema into components changes nothing while
// changing a single word of it does.
func published(t *testing.T, data []byte) map[string]any {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var root map[string]any
	if err := json.Unmarshal(raw, &root); err != nil {
		t.Fatal(err)
	}

	item, _ := dig(root, "paths", "/admin/users/{userId}").(map[string]any)
	op, _ := item["delete"].(map[string]any)
	if op == nil {
		t.Fatal("the description has no DELETE /admin/users/{userId}")
	}
	security, ok := op["security"]
	if !ok {
		security = root["security"]
	}
	schemes := map[string]any{}
	requirements, _ := security.([]any)
	for _, req := range requirements {
		for name := range req.(map[string]any) {
			schemes[name] = dig(root, "components", "securitySchemes", name)
		}
	}

	return resolveRefs(t, root, map[string]any{
		"operation":  op,
		"servers":    item["servers"],
		"parameters": item["parameters"],
		"security":   security,
		"schemes":    schemes,
	}, 0).(map[string]any)
}

// resolveRefs replaces each {"$ref": "#/..."} in v by the value it points at in root.
func resolveRefs(t *testing.T, root map[string]any, v any, depth int) any {
	t.Helper()
	if depth > 64 {
		t.Fatal("$ref chain too deep (a cycle?)")
	}
	switch v := v.(type) {
	case map[string]any:
		if ref, ok := v["$ref"].(string); ok {
			target := dig(root, strings.Split(strings.TrimPrefix(ref, "#/"), "/")...)
			if target == nil {
				t.Fatalf("$ref %q points at nothing", ref)
			}
			return resolveRefs(t, root, target, depth+1)
		}
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = resolveRefs(t, root, e, depth+1)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = resolveRefs(t, root, e, depth+1)
		}
		return out
	default:
		return v
	}
}

// dig follows keys through nested JSON objects; a JSON pointer's "~1" and "~0" escapes
// are undone on the way. It returns nil where a key is missing.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[strings.NewReplacer("~1", "/", "~0", "~").Replace(k)]
	}
	return v
}

func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestOverlayNamesEveryOperation keeps every operation's Go name pinned by overlay.yaml,
// so that a new operation cannot slip in with a name derived from its path.
func TestOverlayNamesEveryOperation(t *testing.T) {
	t.Parallel()
	overlay, err := os.ReadFile("overlay.yaml")
	if err != nil {
		t.Fatal(err)
	}
	target := regexp.MustCompile(`(?m)^\s*- target: \$\.paths\['([^']+)'\]\.(\w+)\s*$`)
	named := map[string]bool{}
	for _, m := range target.FindAllSubmatch(overlay, -1) {
		named[strings.ToUpper(string(m[2]))+" "+string(m[1])] = true
	}
	if len(named) == 0 {
		t.Fatal("overlay.yaml has no action this test can read")
	}
	for _, op := range loadSpec(t).Operations() {
		if !named[op.Key()] {
			t.Errorf("overlay.yaml gives %s no operationId", op.Key())
		}
	}
}

func TestOperations(t *testing.T) {
	t.Parallel()
	spec := loadSpec(t)
	var keys []string
	for _, op := range spec.Operations() {
		keys = append(keys, op.Key())
	}
	want := []string{
		"GET /admin/users",
		"GET /admin/users/invites",
		"POST /admin/users/invites",
		"DELETE /admin/users/invites/{inviteId}",
		"GET /admin/users/invites/{inviteId}",
		"POST /admin/users/invites/{inviteId}/resend",
		"DELETE /admin/users/{userId}",
		"GET /admin/users/{userId}",
		"PUT /admin/users/{userId}",
		"GET /admin/workspaces",
		"POST /admin/workspaces",
		"DELETE /admin/workspaces/{workspaceId}",
		"GET /admin/workspaces/{workspaceId}",
		"PUT /admin/workspaces/{workspaceId}",
		"GET /admin/workspaces/{workspaceId}/users",
		"POST /admin/workspaces/{workspaceId}/users",
		"DELETE /admin/workspaces/{workspaceId}/users/{userId}",
		"GET /admin/workspaces/{workspaceId}/users/{userId}",
		"PUT /admin/workspaces/{workspaceId}/users/{userId}",
		"GET /scim/workspaces",
		"POST /scim/workspaces",
		"DELETE /scim/workspaces/{scimWorkspaceGroupId}",
	}
	if !slices.Equal(keys, want) {
		t.Errorf("operations = %q\nwant %q", keys, want)
	}
	if spec.ServerURL() != "https://api.portkey.ai/v1" || spec.APIKeyHeader() != "x-portkey-api-key" {
		t.Errorf("server %q, key header %q", spec.ServerURL(), spec.APIKeyHeader())
	}
}

func TestFind(t *testing.T) {
	t.Parallel()
	spec := loadSpec(t)
	tests := []struct {
		method, path string
		want         string // the userId parameter
		err          error
	}{
		{"DELETE", "/admin/users/user_1", "user_1", nil},
		{"DELETE", "/admin/users/a%2Fb", "a/b", nil},
		{"DELETE", "/admin/users/..%2F..%2Fx", "../../x", nil},
		{"DELETE", "/admin/users/%E3%83%A6", "ユ", nil},
		{"DELETE", "/%61dmin/users/u", "u", nil},
		{"DELETE", "/admin/users/", "", api.ErrNoOperation},
		{"DELETE", "/admin/users", "", api.ErrMethodNotAllowed},
		{"DELETE", "/admin/users/a/b", "", api.ErrNoOperation},
		{"DELETE", "/admin/users/%zz", "", api.ErrNoOperation},
		{"DELETE", "/v1/admin/users/u", "", api.ErrNoOperation},
		{"PATCH", "/admin/users/u", "", api.ErrMethodNotAllowed},
		{"DELETE", "admin/users/u", "", api.ErrNoOperation},
		{"DELETE", "/admin/users/..", "", api.ErrNoOperation},
		{"DELETE", "/admin/users/.", "", api.ErrNoOperation},
		{"DELETE", "/admin/users/%2E%2e", "", api.ErrNoOperation},
		{"DELETE", "/admin/users/a?b", "", api.ErrNoOperation},
		{"DELETE", "/admin/users/a#b", "", api.ErrNoOperation},
		{"DELETE", "/admin/users/a b", "", api.ErrNoOperation},
		{"DELETE", "/admin/users/a\x00", "", api.ErrNoOperation},
		{"DELETE", "/admin/users/a%2", "", api.ErrNoOperation},
		{"DELETE", "/admin/users/...", "...", nil},
	}
	for _, tt := range tests {
		m, err := spec.Find(tt.method, tt.path)
		if !errors.Is(err, tt.err) {
			t.Errorf("Find(%s %s) error = %v, want %v", tt.method, tt.path, err, tt.err)
			continue
		}
		if err == nil && (m.Operation.Key() != "DELETE /admin/users/{userId}" || m.Params["userId"] != tt.want) {
			t.Errorf("Find(%s %s) = %s %q", tt.method, tt.path, m.Operation.Key(), m.Params)
		}
	}
}

// TestFindPrefersLiteralSegments checks paths that two templates match: "invites" is a
// literal under /admin/users and also a possible {userId}.
func TestFindPrefersLiteralSegments(t *testing.T) {
	t.Parallel()
	spec := loadSpec(t)
	for _, tt := range []struct{ method, path, want string }{
		{"DELETE", "/admin/users/invites/i1", "DELETE /admin/users/invites/{inviteId}"},
		{"GET", "/admin/users/invites", "GET /admin/users/invites"},
		{"GET", "/admin/workspaces/w1/users/u1", "GET /admin/workspaces/{workspaceId}/users/{userId}"},
	} {
		m, err := spec.Find(tt.method, tt.path)
		if err != nil || m.Operation.Key() != tt.want {
			t.Errorf("Find(%s %s) = %v, %v; want %s", tt.method, tt.path, m, err, tt.want)
		}
	}
}

func TestFindRequestUnderPrefix(t *testing.T) {
	t.Parallel()
	spec := loadSpec(t)
	tests := []struct {
		prefix, url string
		ok          bool
	}{
		{"/v1", "http://h/v1/admin/users/u", true},
		{"/v1/", "http://h/v1/admin/users/u", true},
		{"", "http://h/admin/users/u", true},
		{"/a/b/v1", "http://h/a/b/v1/admin/users/u", true},
		{"/v1", "http://h/admin/users/u", false},
		{"/v1", "http://h/v1admin/users/u", false},
		{"/v1", "http://h/v2/admin/users/u", false},
		{"/a/b/v1", "http://h/a/v1/admin/users/u", false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("DELETE", tt.url, nil)
		_, err := spec.FindRequest(r, tt.prefix)
		if (err == nil) != tt.ok {
			t.Errorf("FindRequest(%s under %q) error = %v, want ok=%v", tt.url, tt.prefix, err, tt.ok)
		}
	}
}

func TestValidateRequest(t *testing.T) {
	t.Parallel()
	spec := loadSpec(t)
	r := httptest.NewRequest("DELETE", "http://h/admin/users/u1", nil)
	m, err := spec.Find(r.Method, r.URL.EscapedPath())
	if err != nil {
		t.Fatal(err)
	}

	if err := spec.ValidateRequest(context.Background(), r, m); err == nil ||
		!strings.Contains(err.Error(), "x-portkey-api-key") {
		t.Errorf("a request without the key: error = %v, want one naming the header", err)
	}
	r.Header.Set("x-portkey-api-key", "pk-anything")
	if err := spec.ValidateRequest(context.Background(), r, m); err != nil {
		t.Errorf("a request with the key: %v", err)
	}

	q := httptest.NewRequest("DELETE", "http://h/admin/users/u1?force=true", nil)
	q.Header.Set("x-portkey-api-key", "pk-anything")
	if err := spec.ValidateRequest(context.Background(), q, m); err == nil || !strings.Contains(err.Error(), `"force"`) {
		t.Errorf("an undeclared query parameter: error = %v", err)
	}

	b := httptest.NewRequest("DELETE", "http://h/admin/users/u1", strings.NewReader(`{"force":true}`))
	b.Header.Set("x-portkey-api-key", "pk-anything")
	b.Header.Set("Content-Type", "application/json")
	if err := spec.ValidateRequest(context.Background(), b, m); err == nil {
		t.Error("a body the operation does not declare was accepted")
	}
}

// TestValidateRequestBodyFields refuses a body field the operation does not declare, at
// any depth, and keeps the body readable for the handler.
func TestValidateRequestBodyFields(t *testing.T) {
	t.Parallel()
	spec := loadSpec(t)
	tests := []struct {
		method, path, body, wantErr string
	}{
		{"PUT", "/admin/users/u1", `{"role":"admin"}`, ""},
		{"PUT", "/admin/users/u1", `{"role":"admin","extra":1}`, "body.extra is not a declared field"},
		{"PUT", "/admin/workspaces/w1", `{"defaults":{"user_api_key_config":null}}`, ""},
		{"PUT", "/admin/workspaces/w1", `{"defaults":{"user_api_key_confg":null}}`,
			"body.defaults.user_api_key_confg is not a declared field"},
		{"DELETE", "/admin/workspaces/w1", `{"name":"A","force_delete":true}`, ""},
		{"DELETE", "/admin/workspaces/w1", `{"name":"A","forceDelete":true}`, "body.forceDelete is not a declared field"},
		{"POST", "/admin/workspaces/w1/users", `{"users":[{"id":"u1","role":"member","rol":"x"}]}`,
			"body.users[0].rol is not a declared field"},
		{"PUT", "/admin/users/u1", `{"role":"admin"}{"extra":1}`, "more than one JSON value"},
		{"PUT", "/admin/users/u1", `{"role":"admin"} xx`, "more than one JSON value"},
		{"PUT", "/admin/users/u1", `{"role":"admin","x":"` + strings.Repeat("y", 1<<20) + `"}`, "larger than 1 MiB"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, "http://h"+tt.path, strings.NewReader(tt.body))
		r.Header.Set("x-portkey-api-key", "pk-anything")
		r.Header.Set("Content-Type", "application/json")
		m, err := spec.Find(r.Method, r.URL.EscapedPath())
		if err != nil {
			t.Fatal(err)
		}
		err = spec.ValidateRequest(context.Background(), r, m)
		if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("%s %s %.80s: error %.200v, want %q", tt.method, tt.path, tt.body, err, tt.wantErr)
		}
		if rest, _ := io.ReadAll(r.Body); string(rest) != tt.body {
			t.Errorf("%s %s: the body left for the handler has %d bytes, want the %d sent",
				tt.method, tt.path, len(rest), len(tt.body))
		}
	}
}

func TestCheckBasePath(t *testing.T) {
	t.Parallel()
	for prefix, ok := range map[string]bool{
		"": true, "/v1": true, "/portkey/api/v1": true, "/%C3%A9": true,
		"v1": false, "/v1/": false, "/a//b": false, "/v1/../x": false, "/v1/%2e%2E": false,
		"/v1?x": false, "/v1#x": false, "/port key": false, "/é": false,
	} {
		if err := api.CheckBasePath(prefix); (err == nil) != ok {
			t.Errorf("CheckBasePath(%q) = %v, want ok=%v", prefix, err, ok)
		}
	}
}

func TestValidateResponse(t *testing.T) {
	t.Parallel()
	spec := loadSpec(t)
	r := httptest.NewRequest("DELETE", "http://h/admin/users/u1", nil)
	r.Header.Set("x-portkey-api-key", "pk-anything")
	m, err := spec.Find(r.Method, r.URL.EscapedPath())
	if err != nil {
		t.Fatal(err)
	}
	js := http.Header{"Content-Type": {"application/json"}}

	tests := []struct {
		status int
		header http.Header
		body   string
		ok     bool
	}{
		{200, js, `{}`, true},
		{200, js, `{"anything":1}`, true},
		{200, js, `[]`, false},
		{200, js, `"ok"`, false},
		{200, js, `{`, false},
		{200, http.Header{"Content-Type": {"text/html"}}, `<p>`, false},
		{404, js, `{"errorCode":"AB08","message":"no"}`, true}, // undocumented status
	}
	for _, tt := range tests {
		err := spec.ValidateResponse(context.Background(), r, m, tt.status, tt.header, []byte(tt.body))
		if (err == nil) != tt.ok {
			t.Errorf("%d %s: error = %v, want ok=%v", tt.status, tt.body, err, tt.ok)
		}
	}
}

// TestParseRefusesExternalReferences points a $ref at a live loopback server: loading
// must fail without a single request reaching it.
func TestParseRefusesExternalReferences(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte("type: object\n"))
	}))
	t.Cleanup(srv.Close)

	doc := `openapi: 3.0.0
info: {title: t, version: "1"}
paths:
  /x:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                $ref: "` + srv.URL + `/schema.yaml"
`
	if _, err := api.Parse([]byte(doc)); err == nil {
		t.Error("Parse accepted a remote reference")
	}
	if hits.Load() != 0 {
		t.Errorf("loading fetched the remote reference %d times", hits.Load())
	}
}

func TestParseRefusesInvalidDescriptions(t *testing.T) {
	t.Parallel()
	for _, doc := range []string{
		"not: [yaml",
		"openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get: {}\n",
	} {
		if _, err := api.Parse([]byte(doc)); err == nil {
			t.Errorf("Parse accepted %q", doc)
		}
	}
}
