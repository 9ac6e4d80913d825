package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// leakedManager returns the address of a BackendManager the leak program
// records as held by main.configCache (the leak).
func leakedManager(t *testing.T) string {
	t.Helper()
	truth := loadTruth(t)
	for _, o := range truth.ofType(truth.Objects, "main.BackendManager") {
		if o.Root == "main.configCache" {
			return o.Address
		}
	}
	t.Fatal("truth records no BackendManager held by main.configCache")
	return ""
}

// TestRefsImages draws what a leaked BackendManager points to, and checks
// the image against the text output of refs (one level) and the truth.
func TestRefsImages(t *testing.T) {
	needFile(t, leakExe)
	target := leakedManager(t)
	var refs struct {
		Object struct{ Type string } `json:"object"`
		Refs   []struct{ Field, Type string }
	}
	if err := json.Unmarshal(ok(t, "refs", "--addr", target, "--format", "json", leakDump, leakExe), &refs); err != nil {
		t.Fatal(err)
	}
	pointee := map[string]string{}
	for _, r := range refs.Refs {
		pointee[r.Field] = r.Type
	}
	if refs.Object.Type != "main.BackendManager" || pointee["config"] != "main.Config" || pointee["conns"] != "[4]*main.Conn" {
		t.Fatalf("refs %s: %+v", target, refs)
	}

	dir := t.TempDir()
	svgPath := filepath.Join(dir, "r.svg")
	ok(t, "refs", "--addr", target, "-o", svgPath, leakDump, leakExe)
	svg, err := os.ReadFile(svgPath)
	if err != nil {
		t.Fatal(err)
	}
	texts := strings.Join(svgTexts(t, svg), "\n")
	for _, want := range []string{target, "main.BackendManager", "config", "main.Config", "conns", "[4]*main.Conn"} {
		if !strings.Contains(texts, want) {
			t.Errorf("refs SVG lacks %q:\n%s", want, texts)
		}
	}
	// Two hops down: the connections the array holds, named by index.
	for _, want := range []string{"main.Conn", "[0]"} {
		if !strings.Contains(texts, want) {
			t.Errorf("refs SVG lacks %q at depth 2:\n%s", want, texts)
		}
	}

	if again := ok(t, "refs", "--addr", target, "--format", "svg", leakDump, leakExe); !bytes.Equal(again, svg) {
		t.Error("two runs give different SVGs")
	}
	pngPath := filepath.Join(dir, "r.png")
	ok(t, "refs", "--addr", target, "-o", pngPath, leakDump, leakExe)
	pngBytes, err := os.ReadFile(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(pngBytes)); err != nil {
		t.Errorf("PNG: %v", err)
	}
}

// TestRefsImageFanOut: --too-many counts the references left out in a red
// box, and --max-depth 1 draws only the object's own pointees.
func TestRefsImageFanOut(t *testing.T) {
	needFile(t, leakExe)
	target := leakedManager(t)
	dot := string(ok(t, "refs", "--addr", target, "--format", "dot", "--too-many", "2", "--max-depth", "1", leakDump, leakExe))
	// The manager has 7 pointers (name, config, conns, ctx, cancel, log,
	// onEvent): 2 drawn, 5 counted.
	for _, want := range []string{`n0_more [label="5 more references"`, `n0 -> n1 [label="name"]`, `n0 -> n2 [label="config"]`} {
		if !strings.Contains(dot, want) {
			t.Errorf("DOT lacks %s:\n%s", want, dot)
		}
	}
	if strings.Contains(dot, "n3 ") || strings.Contains(dot, "n1 -> ") {
		t.Errorf("--too-many 2 --max-depth 1 drew more than two pointees:\n%s", dot)
	}
}

// TestRefsImageHidesValues: the strings the manager reaches (its name,
// its config's endpoint) are in the DOT with --values and not without.
func TestRefsImageHidesValues(t *testing.T) {
	needFile(t, leakExe)
	target := leakedManager(t)
	quoted := regexp.MustCompile(`\\"[^"\\]{4,}\\"`) // a quoted value inside a DOT label
	with := string(ok(t, "refs", "--values", "--addr", target, "--format", "dot", leakDump, leakExe))
	shown := quoted.FindAllString(with, -1)
	if len(shown) < 2 {
		t.Fatalf("--values shows no string contents:\n%s", with)
	}
	without := string(ok(t, "refs", "--addr", target, "--format", "dot", leakDump, leakExe))
	for _, s := range shown {
		if strings.Contains(without, strings.Trim(s, `\"`)) {
			t.Errorf("without --values the DOT shows %s:\n%s", s, without)
		}
	}
	if quoted.MatchString(without) {
		t.Errorf("without --values the DOT has a quoted value:\n%s", without)
	}
}
