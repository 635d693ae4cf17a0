package api_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// generate runs the pinned generator the way `go generate` does, but with codegen.yaml
// pointed at the given overlay and a scratch output file. It returns the combined output
// and whether generation succeeded.
func generate(t *testing.T, spec, overlay string) (string, bool) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the generator")
	}
	config, err := os.ReadFile("codegen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	text := string(config)
	for old, repl := range map[string]string{
		"output: generated/client.gen.go": "output: " + filepath.Join(dir, "client.gen.go"),
		"path: api/overlay.yaml":          "path: " + overlay,
	} {
		if !strings.Contains(text, old) {
			t.Fatalf("codegen.yaml no longer says %q; update this test", old)
		}
		text = strings.ReplaceAll(text, old, repl)
	}
	configPath := filepath.Join(dir, "codegen.yaml")
	if err := os.WriteFile(configPath, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command("go", "run", "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen",
		"-config", configPath, spec)
	cmd.Dir = ".."
	out, err := cmd.CombinedOutput()
	return string(out), err == nil
}

func abs(t *testing.T, path string) string {
	t.Helper()
	p, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestGeneratorFailsWhenAnOverlayTargetVanishes(t *testing.T) {
	t.Parallel()
	overlay := filepath.Join(t.TempDir(), "overlay.yaml")
	err := os.WriteFile(overlay, []byte(`overlay: 1.0.0
info: {title: t, version: 1.0.0}
actions:
  - target: $.paths['/admin/users/{userId}'].delete
    update: {operationId: deleteUser}
  - target: $.paths['/admin/people/{personId}'].delete
    update: {operationId: deletePerson}
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}

	out, ok := generate(t, abs(t, specFile), overlay)
	if ok || !strings.Contains(out, "/admin/people/{personId}") {
		t.Errorf("generation with a vanished overlay target: ok=%v, output:\n%s", ok, out)
	}
}

func TestGeneratorRefusesRemoteReferences(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte("type: object\n"))
	}))
	t.Cleanup(srv.Close)

	spec := filepath.Join(t.TempDir(), "openapi.yaml")
	err := os.WriteFile(spec, []byte(`openapi: 3.0.0
info: {title: t, version: "1"}
paths:
  /admin/users/{userId}:
    delete:
      parameters:
        - {name: userId, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                $ref: "`+srv.URL+`/schema.yaml"
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}

	out, ok := generate(t, spec, abs(t, "overlay.yaml"))
	if ok || !strings.Contains(out, "remote reference") {
		t.Errorf("generation with a remote $ref: ok=%v, output:\n%s", ok, out)
	}
	if hits.Load() != 0 {
		t.Errorf("the generator fetched the remote reference %d times", hits.Load())
	}
}

// TestGeneratorAcceptsTheSpec is the control for the two tests above: the same setup
// with the real overlay and spec generates.
func TestGeneratorAcceptsTheSpec(t *testing.T) {
	t.Parallel()
	out, ok := generate(t, abs(t, specFile), abs(t, "overlay.yaml"))
	if !ok {
		t.Errorf("generation failed:\n%s", out)
	}
}
