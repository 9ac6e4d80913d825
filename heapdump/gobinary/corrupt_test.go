package gobinary

import (
	"cmp"
	"debug/elf"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestCorruptExecutable opens damaged copies of a real executable:
// truncated, and with bytes of its symbols, type descriptors and data
// overwritten. Open may fail, with a one-line error naming the file, but
// must not panic, and what it returns must be usable.
func TestCorruptExecutable(t *testing.T) {
	orig, err := os.ReadFile(filepath.Join(dumpsDir, "leak-go1.26.exe"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := elf.Open(filepath.Join(dumpsDir, "leak-go1.26.exe"))
	if err != nil {
		t.Fatal(err)
	}
	var sections []*elf.Section
	for _, name := range []string{".symtab", ".rodata", ".data", ".strtab", ".noptrdata"} {
		if s := f.Section(name); s != nil && s.Size > 64 {
			sections = append(sections, s)
		}
	}
	f.Close()
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	opened := 0
	for k := range 24 {
		b := append([]byte(nil), orig...)
		if k < 6 {
			b = b[:len(b)*(k+1)/8]
		} else {
			// Overwrite bytes of one section: the DWARF sections are
			// compressed (any change fails their checksum), so damage what
			// is read as is: symbols, type descriptors, data.
			sec := sections[k%len(sections)]
			for range 8 << (k % 4) {
				off := sec.Offset + uint64(rng.IntN(int(sec.Size)-8))
				for i := range 8 {
					b[off+uint64(i)] = byte(rng.Uint32())
				}
			}
		}
		path := filepath.Join(dir, "exe")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		bin, err := Open(path)
		if err != nil {
			if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, path) {
				t.Errorf("damaged executable %d: error %q is not one line naming the file", k, msg)
			}
			continue
		}
		opened++
		for i, ty := range bin.Types {
			if ty.ID != i {
				t.Fatalf("damaged executable %d: type %d has ID %d", k, i, ty.ID)
			}
		}
		if !slices.IsSortedFunc(bin.Globals, func(a, b Global) int { return cmp.Compare(a.Addr, b.Addr) }) {
			t.Errorf("damaged executable %d: globals not sorted", k)
		}
		// Use what came back.
		for _, ty := range bin.Types {
			ty.HasPointers()
			ty.FieldAt(ty.Size / 2)
			bin.DescribeRuntimeType(ty.RuntimeType)
		}
		for _, f := range bin.Funcs {
			bin.FrameSlots(f, f.Entry+1)
		}
		bin.Global(bin.Data.Addr + 8)
		bin.MatchDump("go1.26.8", bin.Data.Addr, bin.Data.Size, bin.BSS.Addr, bin.BSS.Size)
	}
	t.Logf("%d of 24 damaged executables opened", opened)
}
