package gobinary

import (
	"cmp"
	"debug/buildinfo"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
)

// ErrNoDWARF is returned by Open for an executable without DWARF.
var ErrNoDWARF = errors.New("executable has no DWARF debug info (built with -ldflags=-s -w?); rebuild without stripping or run without --exe")

// Range is an address range [Addr, Addr+Size).
type Range struct {
	Addr, Size uint64
}

// Contains reports whether a is in r.
func (r Range) Contains(a uint64) bool { return a >= r.Addr && a-r.Addr < r.Size }

// Binary is what heapgraph knows of an executable. All addresses are
// run-time addresses (see Relocate). It is read-only after Open and
// Relocate and safe for concurrent use.
type Binary struct {
	Path      string
	GoVersion string // e.g. "go1.26.8", "" if the binary does not say
	PtrSize   int
	// PIE reports a position-independent executable (ELF type ET_DYN):
	// its addresses are link-time addresses until Relocate is called.
	PIE bool

	// Data and BSS are the ranges a heap dump's data and bss segments
	// cover: runtime.data..runtime.edata and runtime.bss..runtime.ebss.
	Data, BSS Range

	Types   []*Type  // every DWARF type, Types[i].ID == i
	Globals []Global // sorted by address
	Funcs   []*Func  // sorted by entry pc, non-overlapping

	types     typeIndex
	typesBase uint64 // run-time address of runtime.types
	offset    uint64 // load offset applied so far
	loc       locSections
	dwarf5    bool    // location lists are in .debug_loclists
	img       image   // the section holding the runtime type descriptors
	progbits  []image // every allocated, non-code section with file contents
}

// Open reads the executable at path.
func Open(path string) (*Binary, error) {
	f, err := elf.Open(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: not an ELF executable: %w", path, err)
	}
	defer f.Close()
	b, err := read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	b.Path = path
	if bi, err := buildinfo.ReadFile(path); err == nil {
		b.GoVersion = bi.GoVersion
	}
	return b, nil
}

func read(f *elf.File) (*Binary, error) {
	b := &Binary{PIE: f.Type == elf.ET_DYN, PtrSize: 8}
	if f.Class == elf.ELFCLASS32 {
		b.PtrSize = 4
	}
	if f.Section(".debug_info") == nil && f.Section(".zdebug_info") == nil {
		return nil, ErrNoDWARF
	}
	syms, err := f.Symbols()
	if err != nil {
		return nil, fmt.Errorf("executable has no symbol table (built with -ldflags=-s?): %w", err)
	}
	marks := map[string]uint64{}
	var gsyms []elf.Symbol // data objects, for sizes
	var fsyms []elf.Symbol
	for _, s := range syms {
		switch elf.ST_TYPE(s.Info) {
		case elf.STT_OBJECT:
			switch s.Name {
			case "runtime.types", "runtime.data", "runtime.edata", "runtime.bss", "runtime.ebss":
				marks[s.Name] = s.Value
			default:
				if s.Size > 0 {
					gsyms = append(gsyms, s)
				}
			}
		case elf.STT_FUNC:
			if s.Size > 0 {
				fsyms = append(fsyms, s)
			}
		}
	}
	for _, name := range []string{"runtime.types", "runtime.data", "runtime.edata", "runtime.bss", "runtime.ebss"} {
		if _, ok := marks[name]; !ok {
			return nil, fmt.Errorf("not a Go executable: no %s symbol", name)
		}
	}
	b.typesBase = marks["runtime.types"]
	b.Data = Range{marks["runtime.data"], marks["runtime.edata"] - marks["runtime.data"]}
	b.BSS = Range{marks["runtime.bss"], marks["runtime.ebss"] - marks["runtime.bss"]}

	d, err := f.DWARF()
	if err != nil {
		return nil, fmt.Errorf("reading DWARF: %w", err)
	}
	info, err := loadDWARF(d, uint64(b.PtrSize))
	if err != nil {
		return nil, err
	}
	b.Types = info.types
	for _, t := range b.Types {
		if t.RuntimeType != 0 {
			t.RuntimeType += b.typesBase
		}
	}
	b.types = newTypeIndex(b.Types)
	canonicalize(b.Types, info, b.types.byName)
	for _, t := range b.Types {
		t.setHasPointers()
	}
	b.loc.loclists = sectionData(f, ".debug_loclists")
	b.loc.loc = sectionData(f, ".debug_loc")
	b.loc.addr = sectionData(f, ".debug_addr")
	b.dwarf5 = b.loc.loclists != nil
	b.img = readImage(f, b.typesBase)
	b.progbits = readProgbits(f)
	b.Globals = mergeGlobals(info.globals, gsyms)
	b.Funcs = mergeFuncs(info.funcs, fsyms)
	return b, nil
}

// mergeGlobals sorts the DWARF globals and takes sizes from the ELF
// symbols (DWARF has no size for a variable of unknown type).
func mergeGlobals(gs []Global, syms []elf.Symbol) []Global {
	gs = sortGlobals(gs)
	slices.SortFunc(syms, func(a, b elf.Symbol) int { return cmp.Compare(a.Value, b.Value) })
	for i := range gs {
		g := &gs[i]
		j, found := slices.BinarySearchFunc(syms, g.Addr, func(s elf.Symbol, a uint64) int { return cmp.Compare(s.Value, a) })
		if found && syms[j].Size > 0 {
			g.Size = syms[j].Size
		}
	}
	return gs
}

// mergeFuncs lists every function of the symbol table (assembly ones
// too) and attaches the DWARF description of those that have one.
func mergeFuncs(dw []*Func, syms []elf.Symbol) []*Func {
	byEntry := make(map[uint64]*Func, len(dw))
	for _, f := range dw {
		byEntry[f.Entry] = f
	}
	fs := make([]*Func, 0, len(syms))
	for _, s := range syms {
		if f, ok := byEntry[s.Value]; ok {
			if f.End <= f.Entry {
				f.End = s.Value + s.Size
			}
			fs = append(fs, f)
			delete(byEntry, s.Value)
			continue
		}
		fs = append(fs, &Func{Name: s.Name, Entry: s.Value, End: s.Value + s.Size})
	}
	for _, f := range byEntry {
		fs = append(fs, f)
	}
	slices.SortStableFunc(fs, func(a, b *Func) int { return cmp.Compare(a.Entry, b.Entry) })
	return slices.CompactFunc(fs, func(a, b *Func) bool { return a.Entry == b.Entry })
}

// Relocate adds delta to every address (types, globals, functions, data
// and bss) of a position-independent executable loaded delta bytes above
// its link address. It is cumulative; call it before sharing the Binary.
func (b *Binary) Relocate(delta uint64) {
	if delta == 0 {
		return
	}
	b.offset += delta
	b.typesBase += delta
	b.Data.Addr += delta
	b.BSS.Addr += delta
	for _, t := range b.Types {
		if t.RuntimeType != 0 {
			t.RuntimeType += delta
		}
	}
	for i := range b.Globals {
		b.Globals[i].Addr += delta
	}
	for _, f := range b.Funcs {
		f.Entry += delta
		f.End += delta
	}
}

// LoadOffset returns the delta applied by Relocate.
func (b *Binary) LoadOffset() uint64 { return b.offset }

// MatchDump checks the executable against a dump's Go version and data
// and bss segments, relocating a PIE to where the dump says it was
// loaded. dataAddr/dataSize and bssAddr/bssSize are the dump's segments
// (size 0 when absent); goVersion is the dump's runtime.Version(), whose
// first word ("go1.26.8" of "go1.26.8 X:nogreenteagc") must equal the
// binary's.
func (b *Binary) MatchDump(goVersion string, dataAddr, dataSize, bssAddr, bssSize uint64) error {
	dv, _, _ := strings.Cut(goVersion, " ")
	bv, _, _ := strings.Cut(b.GoVersion, " ")
	if bv != "" && dv != "" && dv != bv {
		return fmt.Errorf("%s was built with %s but the dump was written by %s", b.Path, bv, dv)
	}
	if dataSize != 0 && dataSize != b.Data.Size || bssSize != 0 && bssSize != b.BSS.Size {
		return fmt.Errorf("%s is not the program that wrote the dump: its data/bss are %d/%d bytes, the dump's %d/%d",
			b.Path, b.Data.Size, b.BSS.Size, dataSize, bssSize)
	}
	if dataSize == 0 {
		return nil
	}
	if b.PIE && b.offset == 0 && dataAddr != b.Data.Addr {
		delta := dataAddr - b.Data.Addr
		if bssSize != 0 && bssAddr-b.BSS.Addr != delta {
			return fmt.Errorf("%s is not the program that wrote the dump: data and bss moved by different offsets", b.Path)
		}
		b.Relocate(delta)
	}
	if dataAddr != b.Data.Addr || bssSize != 0 && bssAddr != b.BSS.Addr {
		return fmt.Errorf("%s is not the program that wrote the dump: its data is at %#x, the dump's at %#x",
			b.Path, b.Data.Addr, dataAddr)
	}
	return nil
}

// TypeByRuntimeAddr returns the type whose runtime descriptor is at addr
// (a run-time address), or nil.
func (b *Binary) TypeByRuntimeAddr(addr uint64) *Type { return b.types.runtime(addr) }

// TypeByName returns the type DWARF names name, or nil.
func (b *Binary) TypeByName(name string) *Type { return b.types.byName[name] }

// sectionData returns the (decompressed) contents of a section, nil if
// absent or unreadable.
func sectionData(f *elf.File, name string) []byte {
	s := f.Section(name)
	if s == nil {
		return nil
	}
	data, err := s.Data()
	if err != nil {
		return nil
	}
	return data
}
