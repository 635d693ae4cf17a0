package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/portkey-go/portkey/portkeytest"
)

func runWith(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// localOnly clears the variables that would send the program to a real control plane.
func localOnly(t *testing.T) {
	t.Setenv("PORTKEY_API_KEY", "")
	t.Setenv("PORTKEY_BASE_URL", "")
}

func TestLocalRemovesTheUser(t *testing.T) {
	localOnly(t)
	code, out, errOut := runWith(t, "user_456")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{"with users user_123, user_456, user_789", "removed user user_456 (alan@example.com)",
		"users left: user_123, user_789"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestLocalUnknownUser(t *testing.T) {
	localOnly(t)
	code, _, errOut := runWith(t, "user_000")
	if code != 1 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "404 Not Found: AB08") {
		t.Errorf("exit %d, stderr %q; want 1 and one line with the 404", code, errOut)
	}
}

func TestUsage(t *testing.T) {
	localOnly(t)
	for _, args := range [][]string{nil, {"a", "b"}} {
		if code, _, errOut := runWith(t, args...); code != 2 || !strings.HasPrefix(errOut, "usage:") {
			t.Errorf("args %q: exit %d, stderr %q", args, code, errOut)
		}
	}
}

func TestRefusedIDs(t *testing.T) {
	localOnly(t)
	code, _, errOut := runWith(t, "..")
	if code != 1 || !strings.Contains(errOut, `userID ".."`) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestRemovesFromTheConfiguredControlPlane(t *testing.T) {
	srv := portkeytest.NewServer(t, portkeytest.WithUsers(portkeytest.User{ID: "user_9"}))
	t.Setenv("PORTKEY_API_KEY", srv.APIKey)
	t.Setenv("PORTKEY_BASE_URL", srv.URL)

	code, out, errOut := runWith(t, "user_9")
	if code != 0 || out != "removed user user_9 from "+srv.URL+"/\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, ok := srv.User("user_9"); ok {
		t.Error("user_9 is still there")
	}
}

func TestConfigurationErrors(t *testing.T) {
	srv := portkeytest.NewServer(t, portkeytest.WithUsers(portkeytest.User{ID: "user_9"}))
	tests := []struct {
		key, base, want string
	}{
		{"pk-wrong", srv.URL, "401 Unauthorized: AB05"},
		{"", srv.URL, "no API key"},
		{srv.APIKey, "ftp://" + strings.TrimPrefix(srv.URL, "http://"), `PORTKEY_BASE_URL: base URL "ftp://`},
		{srv.APIKey, "http://portkey.internal.example/v1", "plain http"},
	}
	for _, tt := range tests {
		t.Setenv("PORTKEY_API_KEY", tt.key)
		t.Setenv("PORTKEY_BASE_URL", tt.base)
		code, out, errOut := runWith(t, "user_9")
		if code != 1 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, tt.want) {
			t.Errorf("key %q base %q: exit %d, stdout %q, stderr %q; want 1 and %q", tt.key, tt.base, code, out, errOut, tt.want)
		}
		if strings.Contains(errOut, srv.APIKey) {
			t.Errorf("stderr shows the API key: %q", errOut)
		}
	}
	if _, ok := srv.User("user_9"); !ok {
		t.Error("user_9 was removed by a failing run")
	}
}
