package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// summaryJSON is the part of `summary --format json` the tests check.
type summaryJSON struct {
	Objects          int    `json:"objects"`
	Bytes            uint64 `json:"bytes"`
	ReachableObjects int    `json:"reachable_objects"`
	GarbageObjects   int    `json:"garbage_objects"`
	GoVersion        string `json:"go_version"`
}

func TestObjectsAgreeWithSummary(t *testing.T) {
	needFile(t, leakDump)
	var s summaryJSON
	if err := json.Unmarshal(ok(t, "summary", "--format", "json", leakDump), &s); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.GoVersion, "go1.26") {
		t.Errorf("go_version = %q, want go1.26.x", s.GoVersion)
	}
	objs := objectsOf(t, leakDump)
	if len(objs) != s.Objects || len(objs) == 0 {
		t.Fatalf("objects lists %d objects, summary says %d", len(objs), s.Objects)
	}
	reachable, bytes := 0, uint64(0)
	prev := uint64(0)
	for _, o := range objs {
		addr, err := parseAddr(o.Addr)
		if err != nil || !strings.HasPrefix(o.Addr, "0x") || addr <= prev {
			t.Fatalf("address %q: not \"0x...\" in increasing order (previous %#x)", o.Addr, prev)
		}
		prev = addr
		if o.Reachable {
			reachable++
		}
		bytes += o.Size
	}
	if reachable != s.ReachableObjects || bytes != s.Bytes {
		t.Errorf("objects: %d reachable, %d bytes; summary: %d, %d", reachable, bytes, s.ReachableObjects, s.Bytes)
	}
	if s.GarbageObjects+s.ReachableObjects != s.Objects {
		t.Errorf("summary: %d reachable + %d garbage != %d objects", s.ReachableObjects, s.GarbageObjects, s.Objects)
	}
}

// chainJSON is the chain --format json contract.
type chainJSON struct {
	Target struct {
		Addr string `json:"addr"`
		Type string `json:"type"`
		Size uint64 `json:"size"`
	} `json:"target"`
	Root *struct {
		Kind      string  `json:"kind"`
		Name      string  `json:"name"`
		Goroutine *uint64 `json:"goroutine"`
		Frame     *int    `json:"frame"`
	} `json:"root"`
	Path []struct {
		Addr  string `json:"addr"`
		Type  string `json:"type"`
		Field string `json:"field"`
	} `json:"path"`
}

func chainsOf(t *testing.T, args ...string) []chainJSON {
	t.Helper()
	out := ok(t, append([]string{"chain", "--format", "json"}, args...)...)
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields()
	var chains []chainJSON
	if err := dec.Decode(&chains); err != nil {
		t.Fatalf("chain JSON: %v\n%s", err, out)
	}
	return chains
}

// TestChainEveryObject asks for the chain of every object by address and
// checks the contract: one element, target last on the path, a root exactly
// for the reachable objects.
func TestChainEveryObject(t *testing.T) {
	needFile(t, leakDump)
	objs := objectsOf(t, leakDump)
	// Each object costs a run of the command: take about 40 spread over
	// the heap, and the first few garbage objects.
	step := max(1, len(objs)/40)
	checked, garbage := 0, 0
	for i, o := range objs {
		pick := i%step == 0
		if !o.Reachable && garbage < 5 {
			pick = true
			garbage++
		}
		if !pick {
			continue
		}
		checked++
		chains := chainsOf(t, "--addr", o.Addr, leakDump)
		if len(chains) != 1 {
			t.Fatalf("chain --addr %s: %d chains", o.Addr, len(chains))
		}
		c := chains[0]
		if c.Target.Addr != o.Addr || c.Target.Size != o.Size {
			t.Errorf("chain --addr %s: target %+v", o.Addr, c.Target)
		}
		if !o.Reachable {
			if c.Root != nil || c.Path == nil || len(c.Path) != 0 {
				t.Errorf("garbage %s: root %+v, path %v; want null, []", o.Addr, c.Root, c.Path)
			}
			continue
		}
		if c.Root == nil || len(c.Path) == 0 {
			t.Fatalf("reachable %s has no chain", o.Addr)
		}
		if last := c.Path[len(c.Path)-1]; last.Addr != o.Addr {
			t.Errorf("chain of %s ends at %s", o.Addr, last.Addr)
		}
		switch c.Root.Kind {
		case "global", "finalizer", "defer", "panic", "other":
			if c.Root.Frame != nil {
				t.Errorf("%s root has a frame", c.Root.Kind)
			}
		case "stack":
			if c.Root.Goroutine == nil || c.Root.Frame == nil {
				t.Errorf("stack root without goroutine and frame: %+v", c.Root)
			}
		default:
			t.Errorf("root kind %q", c.Root.Kind)
		}
		if c.Root.Name == "" {
			t.Errorf("chain of %s: root without a name", o.Addr)
		}
	}
	if checked < 10 {
		t.Errorf("only %d objects checked", checked)
	}
}

// reachableTarget returns a reachable object of the leak dump.
func reachableTarget(t *testing.T) string {
	t.Helper()
	for _, o := range objectsOf(t, "--reachable", leakDump) {
		if o.Reachable {
			return o.Addr
		}
	}
	t.Fatal("no reachable object")
	return ""
}

func TestBackrefsImages(t *testing.T) {
	needFile(t, leakDump)
	dir := t.TempDir()
	target := reachableTarget(t)
	svgPath := filepath.Join(dir, "b.svg")
	ok(t, "backrefs", "--addr", target, "-o", svgPath, leakDump)
	svg, err := os.ReadFile(svgPath)
	if err != nil {
		t.Fatal(err)
	}
	texts := strings.Join(svgTexts(t, svg), "\n")
	if !strings.Contains(texts, target) {
		t.Errorf("SVG does not name the target %s:\n%s", target, texts)
	}
	if !strings.Contains(texts, "global variable") && !strings.Contains(texts, "goroutine stack") {
		t.Errorf("SVG names no GC root:\n%s", texts)
	}

	// Same input, same bytes; stdout and -o agree; PNG and DOT by extension.
	if again := ok(t, "backrefs", "--addr", target, leakDump); !bytes.Equal(again, svg) {
		t.Error("two runs give different SVGs")
	}
	pngPath := filepath.Join(dir, "b.png")
	ok(t, "backrefs", "--addr", target, "-o", pngPath, leakDump)
	pngBytes, err := os.ReadFile(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(pngBytes)); err != nil {
		t.Errorf("PNG: %v", err)
	}
	if dot := ok(t, "backrefs", "--addr", target, "--format", "dot", leakDump); !bytes.HasPrefix(dot, []byte("digraph heapgraph {")) {
		t.Errorf("DOT output starts %q", dot[:min(len(dot), 40)])
	}
}

func TestChainImage(t *testing.T) {
	needFile(t, leakDump)
	target := reachableTarget(t)
	texts := strings.Join(svgTexts(t, ok(t, "chain", "--addr", target, "--format", "svg", leakDump)), "\n")
	if !strings.Contains(texts, target) {
		t.Errorf("chain SVG does not name the target:\n%s", texts)
	}
}

func TestObjectAndRefs(t *testing.T) {
	needFile(t, leakDump)
	target := reachableTarget(t)
	var detail struct {
		Addr      string            `json:"addr"`
		Reachable bool              `json:"reachable"`
		Refs      []json.RawMessage `json:"refs"`
		Referrers []json.RawMessage `json:"referrers"`
		Roots     []json.RawMessage `json:"roots"`
	}
	if err := json.Unmarshal(ok(t, "object", "--format", "json", target, leakDump), &detail); err != nil {
		t.Fatal(err)
	}
	if detail.Addr != target || !detail.Reachable || len(detail.Roots)+len(detail.Referrers) == 0 {
		t.Errorf("object %s: %+v", target, detail)
	}
	var refs struct {
		Object struct{ Addr string } `json:"object"`
		Refs   []json.RawMessage     `json:"refs"`
	}
	if err := json.Unmarshal(ok(t, "refs", "--addr", target, "--format", "json", leakDump), &refs); err != nil {
		t.Fatal(err)
	}
	if refs.Object.Addr != target || len(refs.Refs) != len(detail.Refs) {
		t.Errorf("refs %s: %d refs, object says %d", target, len(refs.Refs), len(detail.Refs))
	}
	// ADDR may follow DUMP, and text output works too.
	if text := string(ok(t, "object", leakDump, target)); !strings.Contains(text, target) {
		t.Errorf("object text:\n%s", text)
	}
}

func TestBadInput(t *testing.T) {
	needFile(t, leakDump)
	dir := t.TempDir()

	// A truncated copy of the dump (the committed dump is never touched).
	whole, err := os.ReadFile(leakDump)
	if err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "truncated.dump")
	if err := os.WriteFile(truncated, whole[:len(whole)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	fails(t, 1, "truncated", "summary", truncated)

	notADump := filepath.Join(dir, "not.dump")
	if err := os.WriteFile(notADump, []byte("hello, world\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fails(t, 1, "not.dump", "summary", notADump)

	fails(t, 1, "--type: bad regular expression", "backrefs", "--type", "(", leakDump)
	fails(t, 1, "--ignore: bad regular expression", "chain", "--type", "x", "--ignore", "[", leakDump)
	fails(t, 1, "no heap object at 0x10", "object", "0x10", leakDump)
	fails(t, 1, "bad address", "refs", "--addr", "0xzz", leakDump)
	// Without the executable no type is known: the error says so.
	fails(t, 1, "--exe", "chain", "--type", "BackendManager", leakDump)

	// Wrong executables: not a program at all, and a Go program that did
	// not write the dump (the heapgraph binary itself).
	fails(t, 1, "not an ELF executable", "--exe", notADump, "summary", leakDump)
	fails(t, 1, "is not the program that wrote", "summary", leakDump, binary)
	fails(t, 1, "is not the program that wrote", "summary", leakDump, "../../testdata/dumps/tiny-go1.26.exe")
	fails(t, 1, "no DWARF", "summary", leakDump, "../../testdata/dumps/leak-stripped-go1.26.exe")
	fails(t, 1, "no-such.exe", "summary", leakDump, "no-such.exe")
}
