package gobinary

import (
	"cmp"
	"debug/dwarf"
	"slices"
)

// Global is a package-level variable.
type Global struct {
	Name string
	Addr uint64 // run-time address
	Size uint64 // from the ELF symbol when it has one, else the type's size
	Type *Type  // nil when DWARF does not say

	typeOff dwarf.Offset
}

// Func is a function: its pc range and, when DWARF describes it, its
// parameters and local variables.
type Func struct {
	Name       string
	Entry, End uint64 // run-time pc range [Entry, End)
	Vars       []Var

	varTypeOffs []dwarf.Offset
	cuLow       uint64 // low pc of the compile unit: default base of location lists
	addrBase    uint64 // DW_AT_addr_base of the compile unit (DWARF 5)
}

// Var is a parameter or local variable of a function.
type Var struct {
	Name   string
	Type   *Type
	Param  bool
	Nested bool // declared in a lexical block, not at the function's top

	// Loc is the DWARF location expression when it holds for the whole
	// function; LocList is the offset of its location list otherwise
	// (-1 when there is none).
	Loc     []byte
	LocList int64

	// ClosureOffset is, for a variable a closure captured, its offset in
	// the closure's context object (InClosure set).
	ClosureOffset int64
	InClosure     bool
}

// sortGlobals sorts by address and drops duplicates.
func sortGlobals(gs []Global) []Global {
	slices.SortStableFunc(gs, func(a, b Global) int { return cmp.Compare(a.Addr, b.Addr) })
	return slices.CompactFunc(gs, func(a, b Global) bool { return a.Addr == b.Addr })
}

// Global returns the variable containing addr (a run-time address) and
// the offset of addr in it.
func (b *Binary) Global(addr uint64) (g *Global, off uint64, ok bool) {
	i, found := slices.BinarySearchFunc(b.Globals, addr, func(g Global, a uint64) int { return cmp.Compare(g.Addr, a) })
	if !found {
		if i == 0 {
			return nil, 0, false
		}
		i--
	}
	g = &b.Globals[i]
	size := max(g.Size, 1)
	if addr-g.Addr >= size {
		return nil, 0, false
	}
	return g, addr - g.Addr, true
}

// FuncAt returns the function whose code contains pc (a run-time
// address), or nil.
func (b *Binary) FuncAt(pc uint64) *Func {
	i, found := slices.BinarySearchFunc(b.Funcs, pc, func(f *Func, pc uint64) int { return cmp.Compare(f.Entry, pc) })
	if !found {
		if i == 0 {
			return nil
		}
		i--
	}
	f := b.Funcs[i]
	if pc >= f.End {
		return nil
	}
	return f
}
