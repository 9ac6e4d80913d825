package heapdump

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRuntimeObjectCount checks the layout rules against the runtime's own
// count: testdata/bigheap is built with each Go toolchain, architecture
// and GC experiment this package has rules for, and the number of objects
// read (phantom slots dropped) must equal runtime.MemStats.HeapObjects in
// the dump, which the runtime computes with the world stopped right before
// writing it. It also checks that every pointer into the heap lands in an
// object. Toolchains other than the local one must already be in the
// module cache (GOTOOLCHAIN=go1.X.Y go version downloads them); missing
// ones are skipped, and nothing is fetched from the network.
func TestRuntimeObjectCount(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a program per toolchain")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	src, err := os.ReadFile(filepath.Join("testdata", "bigheap", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	// A module of its own, so that older toolchains can build it.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module bigheap\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	variants := []struct {
		name, toolchain, goarch, experiment string
		wantVersion                         string // substring of Params.GoVersion
	}{
		{"local", "local", "", "", "go1."},
		{"local-386", "local", "386", "", "go1."},
		{"local-nogreenteagc", "local", "", "nogreenteagc", "X:nogreenteagc"},
		{"go1.22", "go1.22.12", "", "", "go1.22.12"},
		{"go1.22-noallocheaders", "go1.22.12", "", "noallocheaders", "X:noallocheaders"},
		{"go1.22-386", "go1.22.12", "386", "", "go1.22.12"},
		{"go1.24", "go1.24.13", "", "", "go1.24.13"},
		{"go1.25", "go1.25.9", "", "", "go1.25.9"},
		{"go1.25-greenteagc", "go1.25.9", "", "greenteagc", "X:greenteagc"},
		{"go1.27", "go1.27.3", "", "", "go1.27.3"},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			bin := filepath.Join(dir, "bigheap-"+v.name)
			build := exec.Command(goCmd, "build", "-o", bin, ".")
			build.Dir = dir
			build.Env = append(os.Environ(), "GOTOOLCHAIN="+v.toolchain, "GOPROXY=off", "GOFLAGS=-mod=mod",
				"GOEXPERIMENT="+v.experiment)
			if v.goarch != "" {
				build.Env = append(build.Env, "GOARCH="+v.goarch)
			}
			if out, err := build.CombinedOutput(); err != nil {
				t.Skipf("cannot build with %s: %v\n%s", v.toolchain, err, out)
			}
			dump := filepath.Join(dir, v.name+".dump")
			if out, err := exec.Command(bin, "-objects", "20000", "-o", dump).CombinedOutput(); err != nil {
				t.Skipf("cannot run %s build: %v\n%s", v.name, err, out)
			}
			d, err := Open(dump, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if !strings.Contains(d.Params.GoVersion, v.wantVersion) {
				t.Fatalf("GoVersion %q, want it to contain %q", d.Params.GoVersion, v.wantVersion)
			}
			if d.MemStats == nil {
				t.Fatal("no memstats record")
			}
			if got, want := uint64(d.NumObjects()), d.MemStats.HeapObjects; got != want {
				t.Errorf("%d objects (%d slots dropped), runtime counts %d", got, d.Dropped, want)
			}
			t.Logf("%s: %d objects, %d phantom slots dropped", d.Params.GoVersion, d.NumObjects(), d.Dropped)
			checkInvariants(t, d)
			checkParallelSame(t, d)
			toHeader := checkHeapPointers(t, d)
			// bigheap keeps pointers to its 656-byte records, which have a
			// malloc header from Go 1.22 on (unless turned off).
			headers := 0
			for i := range d.NumObjects() {
				if d.Object(i).HeaderType != 0 {
					headers++
				}
			}
			if d.rules.allocHeaders != (toHeader > 0) || d.rules.allocHeaders != (headers > 0) {
				t.Errorf("malloc headers %v, but %d objects with a header and %d pointers to them",
					d.rules.allocHeaders, headers, toHeader)
			}
		})
	}
}

// checkHeapPointers checks that every pointer slot of every object that
// holds a heap address points into an object (so none lands on a malloc
// header word, which is in no object). It returns how many point exactly at
// an object with a malloc header.
func checkHeapPointers(t *testing.T, d *Dump) (toHeader int) {
	t.Helper()
	ptr := uint64(d.Params.PtrSize)
	var buf []uint64
	inHeap, missed := 0, 0
	for i := range d.NumObjects() {
		c := d.Contents(i)
		buf = d.PointerOffsets(i, buf[:0])
		for _, off := range buf {
			v := d.Word(c[off : off+ptr])
			if v < d.Params.ArenaStart || v >= d.Params.ArenaEnd {
				continue
			}
			inHeap++
			if j := d.Find(v); j >= 0 && d.Addr(j) == v && d.Object(j).HeaderType != 0 {
				toHeader++
			}
			if d.Find(v) < 0 {
				if missed++; missed <= 5 {
					t.Errorf("object %+v: pointer at offset %d to %#x is in no object", d.Object(i), off, v)
				}
			}
		}
	}
	if inHeap == 0 {
		t.Error("no heap pointers at all")
	}
	if missed > 0 {
		t.Errorf("%d of %d heap pointers miss", missed, inHeap)
	}
	return toHeader
}
