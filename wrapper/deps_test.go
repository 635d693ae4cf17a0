package wrapper_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestClientCompilesNoSpecValidator keeps kin-openapi (and package api) out of the
// client's imports: programs that only call Portkey should not build a spec validator.
func TestClientCompilesNoSpecValidator(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "github.com/portkey-go/portkey/wrapper").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 || !slices.Contains(deps, "github.com/portkey-go/portkey/generated") {
		t.Fatalf("go list gave an implausible import list: %q", deps)
	}
	for _, dep := range deps {
		if strings.Contains(dep, "kin-openapi") || dep == "github.com/portkey-go/portkey/api" {
			t.Errorf("package wrapper imports %s", dep)
		}
	}
}
