package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The end-to-end tests run the real command, built once, on the dumps
// committed under testdata/dumps.

var binary string // path of the heapgraph binary built by TestMain

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "heapgraph-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "heapgraph")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building heapgraph:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const (
	leakDump = "../../testdata/dumps/leak-go1.26.dump"
	leakExe  = "../../testdata/dumps/leak-go1.26.exe"
)

// needFile fails the test when a committed test file is missing.
func needFile(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("test data missing (%v): regenerate testdata/dumps", err)
	}
}

// result is one run of the command.
type result struct {
	stdout, stderr []byte
	code           int
}

func runHeapgraph(t *testing.T, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		code = exitErr.ExitCode()
	} else if err != nil {
		t.Fatalf("running heapgraph %q: %v", args, err)
	}
	return result{stdout.Bytes(), stderr.Bytes(), code}
}

// ok runs the command and fails the test unless it succeeds quietly.
func ok(t *testing.T, args ...string) []byte {
	t.Helper()
	r := runHeapgraph(t, args...)
	if r.code != 0 {
		t.Fatalf("heapgraph %s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	if len(r.stderr) != 0 {
		t.Errorf("heapgraph %s wrote to stderr (not a terminal, so no progress bar expected):\n%s", strings.Join(args, " "), r.stderr)
	}
	return r.stdout
}

// fails runs the command and checks it fails with the exit code and a
// one-line "heapgraph: " message containing want.
func fails(t *testing.T, code int, want string, args ...string) {
	t.Helper()
	r := runHeapgraph(t, args...)
	msg := string(r.stderr)
	if r.code != code {
		t.Errorf("heapgraph %s: exit %d, want %d (stderr %q)", strings.Join(args, " "), r.code, code, msg)
	}
	if !strings.HasPrefix(msg, "heapgraph: ") || strings.Count(msg, "\n") != 1 {
		t.Errorf("heapgraph %s: stderr is not one \"heapgraph: \" line:\n%s", strings.Join(args, " "), msg)
	}
	if !strings.Contains(msg, want) {
		t.Errorf("heapgraph %s: stderr %q lacks %q", strings.Join(args, " "), msg, want)
	}
	if strings.Contains(msg, "goroutine ") && strings.Contains(msg, ".go:") {
		t.Errorf("heapgraph %s: stack trace on stderr:\n%s", strings.Join(args, " "), msg)
	}
}

// objectLine is the objects --format jsonl contract.
type objectLine struct {
	Addr      string `json:"addr"`
	Size      uint64 `json:"size"`
	Type      string `json:"type"`
	Reachable bool   `json:"reachable"`
	AllocSite string `json:"alloc_site,omitempty"`
	Explain   string `json:"explain,omitempty"`
}

func objectsOf(t *testing.T, args ...string) []objectLine {
	t.Helper()
	out := ok(t, append([]string{"objects", "--format", "jsonl"}, args...)...)
	var objs []objectLine
	for i, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		if line == "" {
			continue
		}
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		var o objectLine
		if err := dec.Decode(&o); err != nil {
			t.Fatalf("objects line %d %q: %v", i+1, line, err)
		}
		objs = append(objs, o)
	}
	return objs
}

// svgTexts checks that an SVG is well-formed XML and returns the text of
// its <text> elements.
func svgTexts(t *testing.T, svg []byte) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var texts []string
	inText := false
	sawSVG := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			inText = tok.Name.Local == "text"
			sawSVG = sawSVG || tok.Name.Local == "svg"
		case xml.EndElement:
			inText = false
		case xml.CharData:
			if inText {
				texts = append(texts, string(tok))
			}
		}
	}
	if !sawSVG {
		t.Fatal("no <svg> element")
	}
	return texts
}
