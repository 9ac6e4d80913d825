package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// objectJSON is the object --format json contract, the parts these tests
// use.
type objectJSON struct {
	Addr      string `json:"addr"`
	Type      string `json:"type"`
	Size      uint64 `json:"size"`
	AllocSite string `json:"alloc_site"`
	Fields    []struct {
		Offset uint64 `json:"offset"`
		Name   string `json:"name"`
		Type   string `json:"type"`
		Value  string `json:"value"`
	} `json:"fields"`
	MoreFields int       `json:"more_fields"`
	Chain      chainJSON `json:"chain"`
}

func objectOf(t *testing.T, args ...string) objectJSON {
	t.Helper()
	var o objectJSON
	if err := json.Unmarshal(ok(t, append([]string{"object", "--format", "json"}, args...)...), &o); err != nil {
		t.Fatalf("object %q: %v", args, err)
	}
	return o
}

// field returns the value of the named field of o, failing the test when
// it is missing.
func (o *objectJSON) field(t *testing.T, name, typ string) string {
	t.Helper()
	for _, f := range o.Fields {
		if f.Name == name {
			if f.Type != typ {
				t.Errorf("object %s: field %s has type %q, want %q", o.Addr, name, f.Type, typ)
			}
			return f.Value
		}
	}
	t.Fatalf("object %s: no field %q in %+v", o.Addr, name, o.Fields)
	return ""
}

// TestObjectFields checks the fields `object` reads out of the live
// BackendManagers the leak program recorded: the name string (followed
// through its data pointer into the heap) is the one the program gave
// each manager (watchdog-N for the managers goroutine watchdog-N holds,
// backend-NN for the others), conns is a 3-element slice, and the chain
// ends at the object, from the kind of root the truth file names.
func TestObjectFields(t *testing.T) {
	truth := loadTruth(t)
	managers := truth.ofType(truth.Objects, "main.BackendManager")
	if len(managers) != 22 {
		t.Fatalf("truth has %d live managers, want 22", len(managers))
	}
	backend := regexp.MustCompile(`^"backend-\d\d"$`)
	for _, m := range managers {
		o := objectOf(t, m.Address, leakDump, leakExe)
		if o.Type != "main.BackendManager" || o.Addr != m.Address {
			t.Fatalf("object %s is %s %s", m.Address, o.Type, o.Addr)
		}
		name := o.field(t, "name", "string")
		if g, ok := strings.CutPrefix(m.Root, "goroutine:"); ok {
			if want := strconv.Quote(g); name != want {
				t.Errorf("manager %s held by %s: name %s, want %s", m.Address, m.Root, name, want)
			}
			if o.Chain.Root == nil || o.Chain.Root.Kind != "stack" {
				t.Errorf("manager %s held by %s: chain root %+v, want a stack root", m.Address, m.Root, o.Chain.Root)
			}
		} else {
			if !backend.MatchString(name) {
				t.Errorf("manager %s: name %s, want \"backend-NN\"", m.Address, name)
			}
			if o.Chain.Root == nil || o.Chain.Root.Name != "main.configCache" {
				t.Errorf("manager %s: chain root %+v, want main.configCache", m.Address, o.Chain.Root)
			}
		}
		if n := len(o.Chain.Path); n == 0 || o.Chain.Path[n-1].Addr != m.Address {
			t.Errorf("manager %s: chain %+v does not end at it", m.Address, o.Chain.Path)
		}
		if conns := o.field(t, "conns", "[]*main.Conn"); !strings.HasPrefix(conns, "len 3 cap ") {
			t.Errorf("manager %s: conns %q, want len 3", m.Address, conns)
		}
		if cfg := o.field(t, "config", "*main.Config"); m.Root == "main.configCache" && cfg == "nil" {
			t.Errorf("manager %s in the config cache has a nil config", m.Address)
		}
	}

	// Text shows the same values, and --max-string cuts strings.
	w := managers[0]
	for _, m := range managers {
		if strings.HasPrefix(m.Root, "goroutine:watchdog-") {
			w = m
		}
	}
	g := strings.TrimPrefix(w.Root, "goroutine:")
	text := string(ok(t, "object", w.Address, leakDump, leakExe))
	for _, want := range []string{"\nfields:\n", strconv.Quote(g), "\nchain from a root:\n", "main.BackendManager " + w.Address + " (160 B) is held by goroutine "} {
		if !strings.Contains(text, want) {
			t.Errorf("object %s text lacks %q:\n%s", w.Address, want, text)
		}
	}
	cut := objectOf(t, "--max-string", "4", w.Address, leakDump, leakExe)
	if got, want := cut.field(t, "name", "string"), fmt.Sprintf("%q... (%d bytes)", g[:4], len(g)); got != want {
		t.Errorf("--max-string 4: name %s, want %s", got, want)
	}
	fails(t, exitUsage, "--max-string", "object", "--max-string", "-1", w.Address, leakDump, leakExe)
}

// TestObjectRawWords checks that without the executable `object` lists an
// untyped object's words: one per 8 bytes, the first holding the address
// of the manager's name bytes (a pointer slot).
func TestObjectRawWords(t *testing.T) {
	truth := loadTruth(t)
	var m, nameData truthObject
	for _, o := range truth.Objects {
		if o.Type == "main.BackendManager" && strings.HasPrefix(o.Root, "goroutine:") {
			m = o
		}
	}
	for _, o := range truth.Objects {
		if o.Kind == "string data" && o.Path == "(*"+m.Root+").name" {
			nameData = o
		}
	}
	if m.Address == "" || nameData.Address == "" {
		t.Fatal("truth lacks a watchdog manager and its name")
	}
	o := objectOf(t, m.Address, leakDump)
	if o.Type != "" {
		t.Fatalf("object %s has type %q without the executable", m.Address, o.Type)
	}
	if len(o.Fields) != int(o.Size/8) {
		t.Fatalf("object %s (%d B): %d words listed, want %d", m.Address, o.Size, len(o.Fields), o.Size/8)
	}
	first := o.Fields[0]
	want, _ := strconv.ParseUint(strings.TrimPrefix(nameData.Address, "0x"), 16, 64)
	if got, err := strconv.ParseUint(strings.TrimPrefix(first.Value, "0x"), 16, 64); err != nil || got != want || first.Type != "pointer" {
		t.Errorf("word 0 of %s: %+v, want the pointer %s", m.Address, first, nameData.Address)
	}
	if second := o.Fields[1]; second.Value != fmt.Sprintf("%#016x", len(strings.TrimPrefix(m.Root, "goroutine:"))) || second.Type != "word" {
		t.Errorf("word 1 of %s: %+v, want the name's length", m.Address, second)
	}
}

const (
	shapesDump  = "../../testdata/dumps/shapes-go1.26.dump"
	shapesTruth = "../../testdata/dumps/shapes-go1.26.truth.json"
)

// TestAllocSitesWithoutExe checks that without the executable objects of
// unknown type are labelled with the function that allocated them, from
// the memory profile the shapes program records every allocation in: the
// tree nodes it built are "allocated at main.buildTree".
func TestAllocSitesWithoutExe(t *testing.T) {
	truth := readTruth(t, shapesTruth)
	nodes := truth.ofType(truth.Objects, "main.Tree")
	if len(nodes) == 0 {
		t.Fatal("truth has no main.Tree")
	}
	byAddr := map[string]objectLine{}
	for _, o := range objectsOf(t, shapesDump) {
		byAddr[o.Addr] = o
	}
	for _, n := range nodes {
		o, found := byAddr[n.Address]
		switch {
		case !found:
			t.Errorf("tree node %s not listed", n.Address)
		case o.Type != "":
			t.Errorf("tree node %s typed %q without the executable", n.Address, o.Type)
		case !strings.HasPrefix(o.AllocSite, "main.buildTree ("):
			t.Errorf("tree node %s: alloc_site %q, want main.buildTree", n.Address, o.AllocSite)
		}
	}
	addr := nodes[len(nodes)-1].Address
	text := string(ok(t, "object", addr, shapesDump))
	if !strings.Contains(text, "allocated  at main.buildTree (") || !strings.Contains(text, "--exe PROGRAM") {
		t.Errorf("object %s without the executable names neither its allocation site nor --exe:\n%s", addr, text)
	}
	chain := string(ok(t, "chain", "--addr", addr, shapesDump))
	if !strings.Contains(chain, "? allocated at main.buildTree (") {
		t.Errorf("chain to %s does not label the tree nodes by allocation site:\n%s", addr, chain)
	}
}

// summaryTypesJSON is the part of `summary --format json` about types.
type summaryTypesJSON struct {
	TypedObjects int       `json:"typed_objects"`
	Goroutines   int       `json:"goroutines"`
	TopTypes     []topJSON `json:"top_types"`
}

type topJSON struct {
	Type      string  `json:"type"`
	SizeClass uint64  `json:"size_class"`
	Count     int     `json:"count"`
	Bytes     uint64  `json:"bytes"`
	Retained  *uint64 `json:"retained"`
}

func topOf(t *testing.T, args ...string) []topJSON {
	t.Helper()
	var rows []topJSON
	if err := json.Unmarshal(ok(t, append([]string{"top", "--format", "json"}, args...)...), &rows); err != nil {
		t.Fatalf("top %q: %v", args, err)
	}
	return rows
}

// TestTopRetained checks that top shows retained bytes without being
// asked: every BackendManager the program leaked keeps its conns and
// their buffers alive, so the type retains more than its own bytes.
// --no-retained leaves them out.
func TestTopRetained(t *testing.T) {
	rows := topOf(t, "--limit", "0", leakDump, leakExe)
	var mgr *topJSON
	for i := range rows {
		if rows[i].Retained == nil {
			t.Fatalf("top row %+v has no retained bytes", rows[i])
		}
		if rows[i].Type == "main.BackendManager" {
			mgr = &rows[i]
		}
	}
	if mgr == nil {
		t.Fatal("top lists no main.BackendManager")
	}
	if *mgr.Retained <= mgr.Bytes {
		t.Errorf("main.BackendManager retains %d bytes, not more than its own %d", *mgr.Retained, mgr.Bytes)
	}
	if text := string(ok(t, "top", leakDump, leakExe)); !strings.HasPrefix(text, "COUNT    BYTES  RETAINED  TYPE\n") {
		t.Errorf("top text has no RETAINED column:\n%s", text)
	}
	for _, r := range topOf(t, "--no-retained", leakDump, leakExe) {
		if r.Retained != nil {
			t.Errorf("top --no-retained: row %+v has retained bytes", r)
		}
	}
	fails(t, exitUsage, "--no-retained", "top", "--no-retained", "--sort", "retained", leakDump)
}

// TestSummaryTopTypes checks that summary lists the 5 types with the most
// bytes, as top does, and that without the executable it still types the
// runtime structures the dump's records name (one runtime.g per
// goroutine) and says how to get the rest.
func TestSummaryTopTypes(t *testing.T) {
	var s summaryTypesJSON
	if err := json.Unmarshal(ok(t, "summary", "--format", "json", leakDump, leakExe), &s); err != nil {
		t.Fatal(err)
	}
	top := topOf(t, "--limit", "5", leakDump, leakExe)
	if len(s.TopTypes) != 5 || len(top) != 5 {
		t.Fatalf("summary lists %d top types, top %d; want 5", len(s.TopTypes), len(top))
	}
	for i := range top {
		a, b := s.TopTypes[i], top[i]
		if a.Type != b.Type || a.Count != b.Count || a.Bytes != b.Bytes || a.Retained == nil || b.Retained == nil || *a.Retained != *b.Retained {
			t.Errorf("summary top type %d is %+v, top says %+v", i, a, b)
		}
	}
	text := string(ok(t, "summary", leakDump, leakExe))
	if !strings.Contains(text, "\ntop 5 types by bytes:\nCOUNT    BYTES  RETAINED  TYPE\n") || !strings.Contains(text, top[0].Type) {
		t.Errorf("summary text lacks the top types:\n%s", text)
	}

	var bare summaryTypesJSON
	if err := json.Unmarshal(ok(t, "summary", "--format", "json", leakDump), &bare); err != nil {
		t.Fatal(err)
	}
	goroutines := 0
	for _, r := range topOf(t, "--limit", "0", leakDump) {
		if r.Type == "runtime.g" {
			goroutines = r.Count
		}
	}
	if bare.TypedObjects == 0 || goroutines != bare.Goroutines {
		t.Errorf("without the executable: %d objects typed, %d runtime.g for %d goroutines", bare.TypedObjects, goroutines, bare.Goroutines)
	}
	if text := string(ok(t, "summary", leakDump)); !strings.Contains(text, "--exe PROGRAM gives types") {
		t.Errorf("summary without the executable does not say how to get types:\n%s", text)
	}
}

// TestOpenErrors checks that errors opening a dump carry one prefix and
// name the file once.
func TestOpenErrors(t *testing.T) {
	r := runHeapgraph(t, "summary", "/nonexistent.dump")
	if got, want := string(r.stderr), "heapgraph: open /nonexistent.dump: no such file or directory\n"; got != want || r.code != exitFail {
		t.Errorf("missing dump: exit %d, stderr %q; want %q", r.code, got, want)
	}
	fails(t, exitFail, "heapgraph: "+leakExe+": not a heap dump", "summary", leakExe)
	dir := t.TempDir()
	fails(t, exitFail, "heapgraph: "+dir+": is a directory", "summary", dir)
	if r := runHeapgraph(t, "summary", leakExe); strings.Contains(string(r.stderr), "heapdump:") || strings.Count(string(r.stderr), leakExe) != 1 {
		t.Errorf("not a dump: stderr %q repeats a prefix or the file name", r.stderr)
	}
}

// TestReadmeSummaryObjectExamples runs the summary, object and refs examples of
// README.md and checks that every line the README shows (it elides some
// with "...") is a line the command prints.
func TestReadmeSummaryObjectExamples(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, cmdName := range []string{"summary", "object", "refs"} {
		prompt := "$ heapgraph " + cmdName + " "
		_, block, found := strings.Cut(string(readme), prompt)
		if !found {
			t.Fatalf("README.md has no %s example", cmdName)
		}
		block, _, _ = strings.Cut(block, "```")
		cmdLine, want, _ := strings.Cut(block, "\n")
		args := append([]string{cmdName}, strings.Fields(cmdLine)...)
		for i, a := range args {
			if strings.HasPrefix(a, "testdata/") {
				needFile(t, "../../"+a)
				args[i] = "../../" + a
			}
		}
		got := map[string]bool{}
		for _, line := range strings.Split(strings.ReplaceAll(string(ok(t, args...)), "../../testdata/", "testdata/"), "\n") {
			got[line] = true
		}
		for _, line := range strings.Split(strings.TrimSuffix(want, "\n"), "\n") {
			if line != "..." && !got[line] {
				t.Errorf("README.md's %s example shows %q, which the command does not print", cmdName, line)
			}
		}
	}
}
