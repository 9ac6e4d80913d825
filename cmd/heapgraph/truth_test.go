package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// truthDoc is the ground truth the leak program records about its own heap
// (testdata/truth/schema.go), the parts these tests use.
type truthDoc struct {
	GoVersion string `json:"go_version"`
	Globals   []struct {
		Name    string `json:"name"`
		Address string `json:"address"`
	} `json:"globals"`
	Goroutines []struct {
		Name string `json:"name"`
		ID   uint64 `json:"id"`
	} `json:"goroutines"`
	Objects    []truthObject `json:"objects"`
	Garbage    []truthObject `json:"garbage"`
	Finalizers []truthObject `json:"finalizers"`
}

type truthObject struct {
	Address string `json:"address"`
	Type    string `json:"type"`
	Kind    string `json:"kind"`
	Size    uint64 `json:"size"`
	Root    string `json:"root"`
	Path    string `json:"path"`
}

const leakTruth = "../../testdata/dumps/leak-go1.26.truth.json"

func loadTruth(t *testing.T) *truthDoc {
	t.Helper()
	return readTruth(t, leakTruth)
}

// ofType returns the truth objects of a type.
func (d *truthDoc) ofType(objs []truthObject, typ string) []truthObject {
	var out []truthObject
	for _, o := range objs {
		if o.Type == typ {
			out = append(out, o)
		}
	}
	return out
}

// leakVersions are the Go versions testdata/gen.sh makes leak dumps with.
var leakVersions = []string{"1.22", "1.24", "1.25", "1.26", "1.27"}

// readTruth reads a truth file.
func readTruth(t *testing.T, path string) *truthDoc {
	t.Helper()
	needFile(t, path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc truthDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &doc
}

// TestChainsOfManagers checks, on the leak dump of every Go version, that
// every live BackendManager the program recorded has a chain from the kind
// of root that holds it (the global cache, named after the variable, or a
// watchdog goroutine's stack), and that the garbage ones have none.
func TestChainsOfManagers(t *testing.T) {
	for _, v := range leakVersions {
		t.Run("go"+v, func(t *testing.T) {
			base := "../../testdata/dumps/leak-go" + v
			needFile(t, base+".dump")
			checkManagerChains(t, base+".dump", base+".exe", readTruth(t, base+".truth.json"))
		})
	}
}

func checkManagerChains(t *testing.T, dump, exe string, truth *truthDoc) {
	live := truth.ofType(truth.Objects, "main.BackendManager")
	dead := truth.ofType(truth.Garbage, "main.BackendManager")
	if len(live) == 0 || len(dead) == 0 {
		t.Fatalf("truth has %d live and %d garbage BackendManagers", len(live), len(dead))
	}
	goroutineIDs := map[string]uint64{}
	for _, g := range truth.Goroutines {
		goroutineIDs["goroutine:"+g.Name] = g.ID
	}
	// One run answers for every manager the types find.
	byTarget := map[string]chainJSON{}
	for _, c := range chainsOf(t, "--type", `^main\.BackendManager$`, "--limit", "0", dump, exe) {
		byTarget[c.Target.Addr] = c
	}
	for _, o := range live {
		c, found := byTarget[o.Address]
		if !found {
			t.Errorf("live %s: no chain for it (typed as a BackendManager?)", o.Address)
			continue
		}
		if c.Root == nil {
			t.Errorf("live %s (root %s) has no chain", o.Address, o.Root)
			continue
		}
		if c.Target.Addr != o.Address || c.Path[len(c.Path)-1].Addr != o.Address {
			t.Errorf("chain of %s: target %s, path ends at %s", o.Address, c.Target.Addr, c.Path[len(c.Path)-1].Addr)
		}
		switch {
		case strings.HasPrefix(o.Root, "goroutine:"):
			if c.Root.Kind != "stack" || c.Root.Goroutine == nil || *c.Root.Goroutine != goroutineIDs[o.Root] {
				t.Errorf("%s is held by %s (goroutine %d); chain root %+v", o.Address, o.Root, goroutineIDs[o.Root], *c.Root)
			}
		case c.Root.Kind == "global":
			// With the executable, the root is named after the variable.
			if c.Root.Name != o.Root {
				t.Errorf("%s is held by global %s; chain root is named %q", o.Address, o.Root, c.Root.Name)
			}
		case c.Root.Kind != "finalizer":
			// The program reached it from the global first, but a chain as
			// short may start at the finalizer of one of its Conns: a
			// finalizer keeps what its object points to (Conn.owner) alive.
			t.Errorf("%s is held by global %s; chain root %+v", o.Address, o.Root, *c.Root)
		}
	}
	for _, o := range dead {
		c := chainsOf(t, "--addr", o.Address, dump)[0]
		if c.Root != nil {
			t.Errorf("garbage %s has a chain from %+v", o.Address, *c.Root)
		}
	}
}

// TestImagesHideValues: without --values no memory contents reach the
// image; with it, they do.
func TestImagesHideValues(t *testing.T) {
	needFile(t, leakDump)
	truth := loadTruth(t)
	var target string
	for _, o := range truth.Objects {
		if o.Kind == "string data" && o.Size >= 8 {
			target = o.Address
			break
		}
	}
	if target == "" {
		t.Fatal("truth records no string data")
	}
	quoted := regexp.MustCompile(`"[^"]*"`)
	with := strings.Join(svgTexts(t, ok(t, "backrefs", "--values", "--addr", target, leakDump)), "\n")
	shown := quoted.FindString(with)
	if len(shown) < 6 {
		t.Fatalf("--values shows no text for string data at %s:\n%s", target, with)
	}
	without := strings.Join(svgTexts(t, ok(t, "backrefs", "--addr", target, leakDump)), "\n")
	if strings.Contains(without, shown[1:len(shown)-1]) || quoted.MatchString(without) {
		t.Errorf("without --values the image shows %s:\n%s", shown, without)
	}
}

// TestPIE: a position-independent executable is relocated to where it ran,
// so its globals still name the roots.
func TestPIE(t *testing.T) {
	dump := "../../testdata/dumps/leak-pie-go1.26.dump"
	needFile(t, dump)
	truth := readTruth(t, "../../testdata/dumps/leak-pie-go1.26.truth.json")
	for _, o := range truth.ofType(truth.Objects, "main.BackendManager") {
		if o.Root != "main.configCache" {
			continue
		}
		c := chainsOf(t, "--addr", o.Address, dump, "../../testdata/dumps/leak-pie-go1.26.exe")[0]
		if c.Root == nil || (c.Root.Kind == "global" && c.Root.Name != "main.configCache") {
			t.Errorf("PIE: chain of %s: root %+v", o.Address, c.Root)
		}
		return
	}
	t.Fatal("PIE truth has no BackendManager held by main.configCache")
}

// readmeExample is the first command of README.md, run from the top of the
// repository; its image is committed as testdata/example-backrefs.svg.
var readmeExample = []string{"--exe", "testdata/dumps/leak-go1.26.exe", "backrefs", "--type", "BackendManager", "-o", "OUT", "testdata/dumps/leak-go1.26.dump"}

// TestReadmeExample runs the README's command and checks its image against
// the committed one, so the README shows what the command really draws.
// After regenerating the dumps, refresh the image with
// HEAPGRAPH_UPDATE_EXAMPLE=1 go test ./cmd/heapgraph -run TestReadmeExample.
func TestReadmeExample(t *testing.T) {
	needFile(t, leakDump)
	out := filepath.Join(t.TempDir(), "backrefs.svg")
	args := append([]string(nil), readmeExample...)
	for i, a := range args {
		if a == "OUT" {
			args[i] = out
		}
	}
	cmd := exec.Command(binary, args...)
	cmd.Dir = "../.."
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("README command failed: %v\n%s", err, msg)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	texts := strings.Join(svgTexts(t, got), "\n")
	for _, want := range []string{"main.configCache", "global variable", "main.BackendManager", "map key"} {
		if !strings.Contains(texts, want) {
			t.Errorf("README image lacks %q:\n%s", want, texts)
		}
	}
	const committed = "../../testdata/example-backrefs.svg"
	if os.Getenv("HEAPGRAPH_UPDATE_EXAMPLE") != "" {
		if err := os.WriteFile(committed, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(committed)
	if err != nil {
		t.Fatalf("%v (create it with HEAPGRAPH_UPDATE_EXAMPLE=1)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not what the README command draws now; refresh it with HEAPGRAPH_UPDATE_EXAMPLE=1 go test ./cmd/heapgraph -run TestReadmeExample", committed)
	}
}

// TestObjectsJSONLTypes: with the executable, objects carry Go type names
// with their import path, as the program itself (reflect) names them.
func TestObjectsJSONLTypes(t *testing.T) {
	needFile(t, leakDump)
	truth := loadTruth(t)
	byAddr := map[string]objectLine{}
	for _, o := range objectsOf(t, leakDump, leakExe) {
		byAddr[o.Addr] = o
	}
	checked := 0
	for _, typ := range []string{"main.BackendManager", "main.Conn", "main.Config", "context.cancelCtx"} {
		for _, o := range truth.ofType(truth.Objects, typ) {
			got, found := byAddr[o.Address]
			switch {
			case !found:
				t.Errorf("%s %s: not listed by objects", typ, o.Address)
			case got.Type != typ || !got.Reachable:
				t.Errorf("%s %s: listed as %+v", typ, o.Address, got)
			}
			checked++
		}
	}
	if checked < 50 {
		t.Errorf("only %d objects checked", checked)
	}
	// --type selects by the full name. Garbage managers nothing points to
	// cannot be typed (no header, no referrer), so only the live ones are
	// sure to be listed.
	listed := map[string]bool{}
	for _, o := range objectsOf(t, "--type", `^main\.BackendManager$`, leakDump, leakExe) {
		listed[o.Addr] = o.Type == "main.BackendManager"
	}
	live := truth.ofType(truth.Objects, "main.BackendManager")
	for _, o := range live {
		if !listed[o.Address] {
			t.Errorf("objects --type: BackendManager %s not listed", o.Address)
		}
	}
	if max := len(live) + len(truth.ofType(truth.Garbage, "main.BackendManager")); len(listed) < len(live) || len(listed) > max {
		t.Errorf("objects --type: %d BackendManagers, truth has %d live, %d with garbage", len(listed), len(live), max)
	}
}

// TestTypeErrors: a pattern that matches no type lists the closest names.
func TestTypeErrors(t *testing.T) {
	needFile(t, leakDump)
	fails(t, 1, `no object type matches "BackendManger"; closest types: main.BackendManager`, "chain", "--type", "BackendManger", leakDump, leakExe)
	fails(t, 1, "closest types: main.BackendManager", "backrefs", "--type", `^BackendManager$`, leakDump, leakExe)
}

// TestBackrefsHideDominated: a manager's Conns point back at it (owner),
// but only the manager keeps them alive, so they are not drawn unless
// --all-referrers is given.
func TestBackrefsHideDominated(t *testing.T) {
	needFile(t, leakDump)
	truth := loadTruth(t)
	var target string
	for _, o := range truth.ofType(truth.Objects, "main.BackendManager") {
		if o.Root == "main.configCache" {
			target = o.Address
			break
		}
	}
	if target == "" {
		t.Fatal("no BackendManager held by main.configCache in the truth")
	}
	hidden := strings.Join(svgTexts(t, ok(t, "backrefs", "--addr", target, leakDump, leakExe)), "\n")
	shown := strings.Join(svgTexts(t, ok(t, "backrefs", "--all-referrers", "--addr", target, leakDump, leakExe)), "\n")
	if strings.Contains(hidden, "main.Conn") || !strings.Contains(shown, "main.Conn") {
		t.Errorf("Conns (owner back pointers): drawn by default: %v, with --all-referrers: %v",
			strings.Contains(hidden, "main.Conn"), strings.Contains(shown, "main.Conn"))
	}
	if !strings.Contains(hidden, "main.configCache") {
		t.Errorf("the root is gone too:\n%s", hidden)
	}
}

// TestBackrefsHighlightIgnore: --highlight paints matching boxes blue-grey
// (hue 0.6 in the DOT); --ignore cuts them out, and what was above them.
func TestBackrefsHighlightIgnore(t *testing.T) {
	needFile(t, leakDump)
	base := []string{"backrefs", "--type", `^main\.BackendManager$`, "--format", "dot", leakDump, leakExe}
	dot := string(ok(t, append(base, "--highlight", `^map\[`)...))
	var mapLine string
	for _, line := range strings.Split(dot, "\n") {
		if strings.Contains(line, `label="map[`) {
			mapLine = line
		}
	}
	if !strings.Contains(mapLine, `fillcolor="0.600 0.600`) {
		t.Errorf("highlighted map box: %q", mapLine)
	}
	ignored := string(ok(t, append(base, "--ignore", `map\.group`)...))
	if strings.Contains(ignored, "main.configCache") || strings.Contains(ignored, "map.group") {
		t.Errorf("--ignore map.group still reaches the cache:\n%s", ignored)
	}
}

// TestTopAddsUp: the histogram's rows add up to the summary's totals.
func TestTopAddsUp(t *testing.T) {
	needFile(t, leakDump)
	var s summaryJSON
	if err := json.Unmarshal(ok(t, "summary", "--format", "json", leakDump, leakExe), &s); err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Type      string `json:"type"`
		SizeClass uint64 `json:"size_class"`
		Count     int    `json:"count"`
		Bytes     uint64 `json:"bytes"`
	}
	if err := json.Unmarshal(ok(t, "top", "--limit", "0", "--format", "json", leakDump, leakExe), &rows); err != nil {
		t.Fatal(err)
	}
	count, bytes := 0, uint64(0)
	for _, r := range rows {
		count += r.Count
		bytes += r.Bytes
		if (r.Type == "") != (r.SizeClass != 0) {
			t.Errorf("row %+v: size_class must be set exactly for unknown types", r)
		}
	}
	if count != s.Objects || bytes != s.Bytes {
		t.Errorf("top adds up to %d objects, %d bytes; summary says %d, %d", count, bytes, s.Objects, s.Bytes)
	}
}
