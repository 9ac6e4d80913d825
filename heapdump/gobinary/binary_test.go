package gobinary

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/heapgraph/heapgraph/heapdump"
)

// dumpsDir holds the committed test programs' executables, dumps and
// ground truth (see testdata/README.md).
const dumpsDir = "../../testdata/dumps"

// truthFile is the part of a truth file these tests read.
type truthFile struct {
	GoVersion string `json:"go_version"`
	Globals   []struct {
		Name    string `json:"name"`
		Address string `json:"address"`
		Type    string `json:"type"`
		Size    uint64 `json:"size"`
	} `json:"globals"`
	Goroutines []struct {
		ID     uint64   `json:"id"`
		Locals []string `json:"locals"`
	} `json:"goroutines"`
	Objects []struct {
		Address string `json:"address"`
		Type    string `json:"type"`
	} `json:"objects"`
}

// testCase is one committed executable with its dump and truth.
type testCase struct {
	name      string // e.g. "leak-go1.26"
	exe, dump string
	truth     truthFile
}

func testCases(t *testing.T) []testCase {
	t.Helper()
	exes, err := filepath.Glob(filepath.Join(dumpsDir, "*.exe"))
	if err != nil {
		t.Fatal(err)
	}
	var cs []testCase
	for _, exe := range exes {
		base := strings.TrimSuffix(exe, ".exe")
		c := testCase{name: filepath.Base(base), exe: exe, dump: base + ".dump"}
		if strings.Contains(c.name, "stripped") {
			continue
		}
		b, err := os.ReadFile(base + ".truth.json")
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &c.truth); err != nil {
			t.Fatalf("%s: %v", base, err)
		}
		cs = append(cs, c)
	}
	if len(cs) == 0 {
		t.Fatalf("no executables in %s", dumpsDir)
	}
	return cs
}

// opened caches the executables the tests read (they are not modified
// after MatchDump has relocated them once).
var opened = map[string]*Binary{}

// openCase opens a case's executable and dump and matches them.
func openCase(t *testing.T, c testCase) (*Binary, *heapdump.Dump) {
	t.Helper()
	b := opened[c.exe]
	if b == nil {
		var err error
		if b, err = Open(c.exe); err != nil {
			t.Fatal(err)
		}
		opened[c.exe] = b
	}
	d, err := heapdump.Open(c.dump, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := b.MatchDump(d.Params.GoVersion, d.Data.Addr, d.Data.Size, d.BSS.Addr, d.BSS.Size); err != nil {
		t.Fatal(err)
	}
	return b, d
}

var pkgPath = regexp.MustCompile(`[\w.\-]+(/[\w.\-]+)+\.`)

// shortName spells a DWARF type name the way reflect's String does:
// package names instead of import paths.
func shortName(s string) string {
	return pkgPath.ReplaceAllStringFunc(s, func(p string) string { return p[strings.LastIndexByte(p[:len(p)-1], '/')+1:] })
}

func parseHex(t *testing.T, s string) uint64 {
	t.Helper()
	v, err := strconv.ParseUint(strings.TrimPrefix(s, "0x"), 16, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMatchesDump(t *testing.T) {
	for _, c := range testCases(t) {
		t.Run(c.name, func(t *testing.T) {
			b, d := openCase(t, c)
			if b.GoVersion != c.truth.GoVersion {
				t.Errorf("GoVersion %q, truth says %q", b.GoVersion, c.truth.GoVersion)
			}
			if b.PIE != strings.Contains(c.name, "pie") {
				t.Errorf("PIE = %v", b.PIE)
			}
			if b.PIE && b.LoadOffset() == 0 {
				t.Errorf("PIE not relocated")
			}
			if b.Data.Addr != d.Data.Addr || b.BSS.Addr != d.BSS.Addr {
				t.Errorf("data/bss at %#x/%#x, dump's at %#x/%#x", b.Data.Addr, b.BSS.Addr, d.Data.Addr, d.BSS.Addr)
			}
		})
	}
}

func TestGlobals(t *testing.T) {
	for _, c := range testCases(t) {
		t.Run(c.name, func(t *testing.T) {
			b, _ := openCase(t, c)
			for _, tg := range c.truth.Globals {
				addr := parseHex(t, tg.Address)
				for _, probe := range []uint64{addr, addr + tg.Size - 1} {
					g, off, ok := b.Global(probe)
					if !ok {
						t.Errorf("%s at %#x: no global", tg.Name, probe)
						continue
					}
					if g.Name != tg.Name || off != probe-addr || g.Size != tg.Size {
						t.Errorf("%s at %#x: got %s+%d size %d, want +%d size %d", tg.Name, probe, g.Name, off, g.Size, probe-addr, tg.Size)
					}
					if g.Type == nil || shortName(g.Type.Name) != tg.Type {
						t.Errorf("%s: type %v, want %s", tg.Name, g.Type, tg.Type)
					}
				}
			}
		})
	}
}

func TestRuntimeTypes(t *testing.T) {
	for _, c := range testCases(t) {
		t.Run(c.name, func(t *testing.T) {
			b, d := openCase(t, c)
			checked := 0
			for _, it := range d.Itabs {
				dt := d.TypeByAddr(it.TypeAddr)
				ty := b.TypeByRuntimeAddr(it.TypeAddr)
				desc, ok := b.DescribeRuntimeType(it.TypeAddr)
				if !ok {
					t.Errorf("itab %#x: no type descriptor at %#x", it.Addr, it.TypeAddr)
				} else if desc.Name != shortName(dt.RawName) && !dt.NameBroken || desc.Size != dt.Size {
					t.Errorf("itab %#x: descriptor says %s (%d bytes), dump %s (%d bytes)", it.Addr, desc.Name, desc.Size, dt.RawName, dt.Size)
				}
				if ty == nil {
					// Only types some variable uses have DWARF.
					if dt != nil && !dt.NameBroken && b.TypeByName(dt.Name) != nil {
						t.Errorf("itab %#x: type %#x (%s) is in DWARF under another address", it.Addr, it.TypeAddr, dt.Name)
					}
					continue
				}
				if dt != nil && !dt.NameBroken && dt.Name != ty.Name {
					t.Errorf("itab %#x: dump names its type %q, DWARF %q", it.Addr, dt.Name, ty.Name)
				}
				if dt != nil && dt.Size != ty.Size {
					t.Errorf("%s: dump says size %d, DWARF %d", ty.Name, dt.Size, ty.Size)
				}
				checked++
			}
			headers := 0
			for i := range d.NumObjects() {
				o := d.Object(i)
				if o.HeaderType == 0 {
					continue
				}
				headers++
				ty := b.TypeByRuntimeAddr(o.HeaderType)
				desc, ok := b.DescribeRuntimeType(o.HeaderType)
				if !ok {
					t.Errorf("object %#x: no type descriptor at header type %#x", o.Addr, o.HeaderType)
				}
				if ty == nil {
					if b.TypeByName(desc.Name) != nil {
						t.Errorf("object %#x: header type %s is in DWARF under another address", o.Addr, desc.Name)
					}
					t.Logf("object %#x: header type %s (%#x) has no DWARF", o.Addr, desc.Name, o.HeaderType)
				} else if ty.Size > o.Size {
					t.Errorf("object %#x (%d bytes): header type %s has %d", o.Addr, o.Size, ty.Name, ty.Size)
				}
			}
			if checked == 0 || headers == 0 {
				t.Errorf("checked %d itabs and %d malloc headers", checked, headers)
			}
		})
	}
}

func TestFrames(t *testing.T) {
	for _, c := range testCases(t) {
		t.Run(c.name, func(t *testing.T) {
			b, d := openCase(t, c)
			for _, tg := range c.truth.Goroutines {
				want := map[uint64]bool{}
				for _, l := range tg.Locals {
					want[parseHex(t, l)] = true
				}
				for gi := range d.Goroutines {
					g := &d.Goroutines[gi]
					if g.ID != tg.ID {
						continue
					}
					for k := g.FirstFrame; k < g.FirstFrame+g.NumFrames; k++ {
						f := &d.Frames[k]
						fn := b.FuncAt(f.PC)
						if fn == nil || fn.Name != f.Func {
							t.Errorf("goroutine %d frame %d: pc %#x in %v, dump says %s", g.ID, f.Depth, f.PC, fn, f.Func)
							continue
						}
						// The frame's contents span [SP, CFA).
						mem := d.FrameContents(f)
						for _, s := range b.FrameSlots(fn, f.PC-1) {
							at := int64(f.ContentsSize) + s.CFAOff
							if s.Var.Type.Kind != KindPointer || at < 0 || at+8 > int64(len(mem)) {
								continue
							}
							delete(want, d.Word(mem[at:]))
						}
					}
				}
				if len(want) != 0 {
					t.Errorf("goroutine %d: locals %v not found in a pointer variable of its frames", tg.ID, want)
				}
			}
		})
	}
}

func TestStripped(t *testing.T) {
	_, err := Open(filepath.Join(dumpsDir, "leak-stripped-go1.26.exe"))
	if !errors.Is(err, ErrNoDWARF) {
		t.Fatalf("Open of a stripped binary: %v, want ErrNoDWARF", err)
	}
}

func TestShortName(t *testing.T) {
	for in, want := range map[string]string{
		"map[string]*net/http.Client":    "map[string]*http.Client",
		"github.com/a/b.T[int]":          "b.T[int]",
		"main.T":                         "main.T",
		"func(*golang.org/x/y/z.W) bool": "func(*z.W) bool",
	} {
		if got := shortName(in); got != want {
			t.Errorf("shortName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLayout checks DWARF layouts against the leak program's source
// (testdata/programs/leak): field order, offsets, kinds, and lookups by
// offset.
func TestLayout(t *testing.T) {
	for _, c := range testCases(t) {
		if !strings.HasPrefix(c.name, "leak-") {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			b, _ := openCase(t, c)
			bm := b.TypeByName("main.BackendManager")
			if bm == nil || bm.Kind != KindStruct {
				t.Fatalf("main.BackendManager: %+v", bm)
			}
			// name string; config *Config; conns []*Conn; ctx context.Context;
			// cancel context.CancelFunc; log Logger; onEvent func(string); stats [8]int64
			want := []struct {
				name string
				off  uint64
				kind Kind
			}{
				{"name", 0, KindString}, {"config", 16, KindPointer}, {"conns", 24, KindSlice},
				{"ctx", 48, KindInterface}, {"cancel", 64, KindFunc}, {"log", 72, KindInterface},
				{"onEvent", 88, KindFunc}, {"stats", 96, KindArray},
			}
			if len(bm.Fields) != len(want) || bm.Size != 160 {
				t.Fatalf("main.BackendManager has %d fields, %d bytes", len(bm.Fields), bm.Size)
			}
			for i, w := range want {
				f := bm.Fields[i]
				if f.Name != w.name || f.Offset != w.off || f.Type.Kind != w.kind {
					t.Errorf("field %d: %s @%d %v, want %s @%d %v", i, f.Name, f.Offset, f.Type.Kind, w.name, w.off, w.kind)
				}
				if got := bm.FieldAt(w.off + f.Type.Size - 1); got == nil || got.Name != w.name {
					t.Errorf("FieldAt(%d) = %v, want %s", w.off+f.Type.Size-1, got, w.name)
				}
			}
			if s := bm.Fields[7].Type; s.Len != 8 || s.Elem == nil || s.Elem.Name != "int64" {
				t.Errorf("stats: %+v", s)
			}
			if e := bm.Fields[2].Type.Elem; e == nil || e.Name != "*main.Conn" || e.Elem != b.TypeByName("main.Conn") {
				t.Errorf("conns elem: %+v", e)
			}
			if bm.FieldAt(160) != nil {
				t.Error("FieldAt past the end found a field")
			}
			if !bm.HasPointers() || b.TypeByName("[8]int64").HasPointers() {
				t.Error("HasPointers wrong")
			}
			m := b.TypeByName("map[string]string")
			if m == nil || m.Kind != KindMap || m.Key.Name != "string" || m.Elem.Name != "string" || m.Impl == nil {
				t.Fatalf("map[string]string: %+v", m)
			}
			// Go 1.24+ maps are Swiss tables (map<K,V>), older ones hash<K,V>.
			swiss := !strings.HasSuffix(c.name, "go1.22")
			if got, want := m.Impl.Name, map[bool]string{true: "map<string,string>", false: "hash<string,string>"}[swiss]; got != want {
				t.Errorf("map[string]string header %s, want %s", got, want)
			}
			ch := b.TypeByName("chan struct {}")
			if ch == nil || ch.Kind != KindChan || ch.Impl == nil || ch.Impl.Name != "hchan<struct {}>" {
				t.Errorf("chan struct {}: %+v", ch)
			}
		})
	}
}
