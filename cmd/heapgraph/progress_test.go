package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	quiet := &env{stderr: &buf}
	quiet.progressBar("reading x").update(1, 2) // not a terminal: nil bar, no output
	if buf.Len() != 0 {
		t.Fatalf("progress drawn on a non-terminal: %q", buf.String())
	}

	e := &env{stderr: &buf, terminal: true}
	bar := e.progressBar("reading x")
	bar.update(50, 100)
	bar.update(50, 100) // same percentage: not redrawn
	bar.update(100, 100)
	bar.done()
	out := buf.String()
	if want := "\rreading x  50% [###############               ]"; !strings.HasPrefix(out, want) {
		t.Errorf("bar starts %q, want %q", out, want)
	}
	if strings.Count(out, "50%") != 1 || !strings.Contains(out, "100% [##############################]") {
		t.Errorf("bar output %q", out)
	}
	if !strings.HasSuffix(out, "\r") || strings.Contains(out, "\n") {
		t.Errorf("bar not erased on one line: %q", out)
	}
}
