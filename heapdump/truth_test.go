package heapdump

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// truthFile is the part of testdata/truth's JSON document (Truth) this
// package checks.
type truthFile struct {
	Program    string         `json:"program"`
	GoVersion  string         `json:"go_version"`
	GOARCH     string         `json:"goarch"`
	Globals    []truthGlobal  `json:"globals"`
	Goroutines []truthG       `json:"goroutines"`
	Objects    []truthObject  `json:"objects"`
	Garbage    []truthObject  `json:"garbage"`
	Finalizers []truthObject  `json:"finalizers"`
	Counts     map[string]int `json:"counts"`
}

type truthGlobal struct {
	Name    string `json:"name"`
	Address string `json:"address"`
	Size    uint64 `json:"size"`
	Segment string `json:"segment"`
}

type truthG struct {
	Name   string   `json:"name"`
	ID     int64    `json:"id"`
	Locals []string `json:"locals"`
}

type truthObject struct {
	Address string `json:"address"`
	Type    string `json:"type"`
	Kind    string `json:"kind"`
	Size    uint64 `json:"size"`
	Path    string `json:"path"`
}

func parseHex(t *testing.T, s string) uint64 {
	t.Helper()
	v, err := strconv.ParseUint(strings.TrimPrefix(s, "0x"), 16, 64)
	if err != nil {
		t.Fatalf("bad address %q in truth: %v", s, err)
	}
	return v
}

func readTruth(t *testing.T, dump string) *truthFile {
	t.Helper()
	b, err := os.ReadFile(strings.TrimSuffix(dump, ".dump") + ".truth.json")
	if err != nil {
		t.Fatal(err)
	}
	var tr truthFile
	if err := json.Unmarshal(b, &tr); err != nil {
		t.Fatal(err)
	}
	return &tr
}

// TestRealDumps reads every dump of testdata/dumps and compares it with the
// ground truth its program recorded.
func TestRealDumps(t *testing.T) {
	paths := realDumps(t)
	if len(paths) == 0 {
		t.Skip("no dumps in ../testdata/dumps")
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			tr := readTruth(t, path)
			d, err := Open(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if d.Params.GoVersion != tr.GoVersion || d.Params.GOARCH != tr.GOARCH {
				t.Errorf("params %q %q, truth %q %q", d.Params.GoVersion, d.Params.GOARCH, tr.GoVersion, tr.GOARCH)
			}
			checkInvariants(t, d)
			checkHeapPointers(t, d)
			checkNoPhantoms(t, d)
			checkParallelSame(t, d)
			checkTruthObjects(t, d, tr.Objects, "object")
			checkTruthObjects(t, d, tr.Garbage, "garbage object")
			checkTruthRoots(t, d, tr)

			// Finalizers and profile samples name objects by the pointer
			// the program holds (after any malloc header).
			for _, f := range d.Finalizers {
				if i := d.Find(f.Obj); i < 0 || d.Addr(i) != f.Obj {
					t.Errorf("finalizer %+v: object not found at its address", f)
				}
			}
			for _, a := range d.AllocSamples {
				if i := d.Find(a.Addr); i < 0 || d.Addr(i) != a.Addr {
					t.Errorf("alloc sample %+v: object not found at its address", a)
				}
			}

			// The runtime counts objects with the world stopped right
			// before it writes the dump.
			if d.MemStats == nil {
				t.Fatal("no memstats record")
			}
			if got, want := uint64(d.NumObjects()), d.MemStats.HeapObjects; got != want {
				t.Errorf("%d objects (%d phantom slots dropped), MemStats.HeapObjects %d", got, d.Dropped, want)
			}
			if len(d.Goroutines) < 1+len(tr.Goroutines) || len(d.Frames) < len(d.Goroutines) || len(d.Threads) == 0 {
				t.Errorf("%d goroutines, %d frames, %d threads; the program parked %d goroutines",
					len(d.Goroutines), len(d.Frames), len(d.Threads), len(tr.Goroutines))
			}
			for _, g := range d.Goroutines {
				if g.NumFrames == 0 {
					t.Errorf("goroutine %d has no frames", g.ID)
				}
			}
			if d.Data.Size == 0 || d.BSS.Size == 0 || len(d.Types) == 0 || len(d.Itabs) == 0 {
				t.Errorf("data %d bytes, bss %d bytes, %d types, %d itabs", d.Data.Size, d.BSS.Size, len(d.Types), len(d.Itabs))
			}
			t.Logf("%s %s: %d objects, %d dropped, %d goroutines, %d frames, %d types",
				tr.Program, d.Params.GoVersion, d.NumObjects(), d.Dropped, len(d.Goroutines), len(d.Frames), len(d.Types))
		})
	}
}

// checkTruthObjects checks that every object the program recorded is in
// the dump: at exactly its address, with room for its size. Tiny
// allocations (noscan objects under 16 bytes packed into one 16-byte slot)
// and string data may sit inside a slot.
func checkTruthObjects(t *testing.T, d *Dump, objs []truthObject, what string) {
	t.Helper()
	bad, exact, headers := 0, 0, 0
	defer func() {
		t.Logf("%d %ss: %d at an object's address (%d with a malloc header), %d wrong", len(objs), what, exact, headers, bad)
	}()
	for _, o := range objs {
		addr := parseHex(t, o.Address)
		i := d.Find(addr)
		var msg string
		switch {
		case i < 0:
			msg = "not in any object"
		case addr+o.Size > d.Addr(i)+d.ObjectSize(i):
			msg = "does not fit in " + objString(d, i)
		case addr != d.Addr(i) && !(d.Object(i).SlotSize == 16 && o.Size < 16) && o.Kind != "string data":
			msg = "inside " + objString(d, i)
		}
		if i >= 0 && addr == d.Addr(i) {
			exact++
			if d.Object(i).HeaderType != 0 {
				headers++
			}
		}
		if msg != "" {
			if bad++; bad <= 10 {
				t.Errorf("%s %s %s (%d bytes, %s, reached by %s) %s", what, o.Address, o.Type, o.Size, o.Kind, o.Path, msg)
			}
		}
	}
	if bad > 10 {
		t.Errorf("%d %ss of %d wrong", bad, what, len(objs))
	}
}

func objString(d *Dump, i int) string {
	o := d.Object(i)
	return "object at " + strconv.FormatUint(o.Addr, 16) + " (" + strconv.FormatUint(o.Size, 10) + " bytes, slot " +
		strconv.FormatUint(o.SlotAddr, 16) + "+" + strconv.FormatUint(o.SlotSize, 10) + ")"
}

// checkTruthRoots checks globals, parked goroutines and finalizers.
func checkTruthRoots(t *testing.T, d *Dump, tr *truthFile) {
	t.Helper()
	// The runtime dumps the data and bss sections of the first module;
	// noptrdata and noptrbss (pointer-free globals) are not dumped.
	in := func(s *Segment, addr, size uint64) bool { return addr >= s.Addr && addr+size <= s.Addr+s.Size }
	for _, g := range tr.Globals {
		addr := parseHex(t, g.Address)
		var ok bool
		switch g.Segment {
		case "data":
			ok = in(&d.Data, addr, g.Size)
		case "bss":
			ok = in(&d.BSS, addr, g.Size)
		default:
			ok = !in(&d.Data, addr, 1) && !in(&d.BSS, addr, 1)
		}
		if !ok {
			t.Errorf("global %s at %#x (%d bytes, %s) is misplaced: data [%#x, %#x), bss [%#x, %#x)", g.Name, addr, g.Size,
				g.Segment, d.Data.Addr, d.Data.Addr+d.Data.Size, d.BSS.Addr, d.BSS.Addr+d.BSS.Size)
		}
	}
	for _, tg := range tr.Goroutines {
		var g *Goroutine
		for k := range d.Goroutines {
			if d.Goroutines[k].ID == uint64(tg.ID) {
				g = &d.Goroutines[k]
			}
		}
		if g == nil {
			t.Errorf("goroutine %s (id %d) not in the dump", tg.Name, tg.ID)
			continue
		}
		// Each local is held by a pointer slot of one of its frames.
		held := map[uint64]bool{}
		for _, f := range d.Frames[g.FirstFrame : g.FirstFrame+g.NumFrames] {
			c := d.FrameContents(&f)
			for _, off := range d.FramePointerOffsets(&f, nil) {
				held[d.Word(c[off:])] = true
			}
		}
		for _, l := range tg.Locals {
			if !held[parseHex(t, l)] {
				t.Errorf("goroutine %s (id %d): no frame pointer slot holds local %s", tg.Name, tg.ID, l)
			}
		}
	}
	for _, f := range tr.Finalizers {
		addr := parseHex(t, f.Address)
		found := false
		for _, df := range d.Finalizers {
			found = found || df.Obj == addr
		}
		if !found {
			t.Errorf("no finalizer record for %s %s", f.Address, f.Type)
		}
	}
}

// checkNoPhantoms looks for what phantom slots hold: heap bits (an 8-byte
// slot of all ones in the last 128 bytes of a page) and Green Tea inline
// mark bits (the last 128 bytes of a page of a small size class).
func checkNoPhantoms(t *testing.T, d *Dump) {
	t.Helper()
	for i := range d.NumObjects() {
		o := d.Object(i)
		if o.SlotSize > 512 {
			continue
		}
		end := o.SlotAddr&^(pageSize-1) + pageSize
		if o.SlotAddr+o.SlotSize > end {
			t.Errorf("%s crosses a page boundary", objString(d, i))
		}
		if d.rules.greenTea && o.SlotSize >= 16 && o.SlotAddr+o.SlotSize > end-inlineMarkBytes {
			t.Errorf("%s overlaps the span's inline mark bits", objString(d, i))
		}
	}
}

// checkParallelSame indexes d's file again with two goroutines and checks
// that the result is the same.
func checkParallelSame(t *testing.T, d *Dump) {
	t.Helper()
	p, err := newDump(d.data, nil, &Options{parallelMin: 1})
	if err != nil {
		t.Fatal(err)
	}
	if p.Dropped != d.Dropped || !slices.Equal(p.objs.addr, d.objs.addr) || !slices.Equal(p.objs.size, d.objs.size) ||
		!slices.Equal(p.objs.off, d.objs.off) {
		t.Errorf("parallel layout differs: %d objects, %d dropped; sequential: %d, %d", p.NumObjects(), p.Dropped, d.NumObjects(), d.Dropped)
	}
}
