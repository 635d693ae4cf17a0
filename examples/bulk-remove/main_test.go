package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestBulkRemove runs the program small: every user removed, both modes reported.
func TestBulkRemove(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-users", "300", "-workers", "8", "-rate", "1000", "-compare"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	rows := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(rows) != 3 {
		t.Fatalf("want a header and two rows:\n%s", stdout.String())
	}
	for i, shared := range []string{"true", "false"} {
		fields := strings.Fields(rows[i+1])
		if fields[0] != shared || fields[1] != "300" || fields[2] != "0" {
			t.Errorf("row %q: want shared wait %s, 300 removed, 0 failed", rows[i+1], shared)
		}
	}
}

// TestBulkRemoveHeap runs the heap measurement small.
func TestBulkRemoveHeap(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"-heap", "-users", "50"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if rows := strings.Split(strings.TrimSpace(stdout.String()), "\n"); len(rows) != 12 {
		t.Errorf("want a header and 11 rows:\n%s", stdout.String())
	}
}

func TestBulkRemoveUsage(t *testing.T) {
	for _, args := range [][]string{{"-users", "0"}, {"-rate", "-1"}, {"extra"}, {"-nope"}, {"-heap", "-compare"}} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}
