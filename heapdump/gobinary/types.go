package gobinary

import (
	"cmp"
	"slices"
	"sort"
)

// Type is one Go type as the executable's DWARF describes it.
//
// Named types whose DWARF is a typedef (named non-struct types, maps,
// channels, interfaces) are flattened: the Type has the typedef's name,
// kind and runtime descriptor and the layout (size, fields, elem) of what
// the typedef stands for.
type Type struct {
	ID   int    // index in Binary.Types
	Name string // as DWARF writes it: "main.T", "[]uint8", "map[string]*main.T", "bucket<string,int>"
	Kind Kind
	Size uint64

	// Elem is the pointed-to type of a pointer, the element type of an
	// array, slice or channel, and the value type of a map. Nil for
	// unsafe.Pointer and when DWARF does not say.
	Elem *Type
	// Key is the key type of a map.
	Key *Type
	// Len is the element count of an array.
	Len uint64
	// Fields are the members of a struct, and the words of a slice
	// (array, len, cap), string (str, len) and interface (tab or _type,
	// data), in offset order.
	Fields []Field
	// Impl is, for a map, the struct its value points to (hash<K,V> for
	// the classic hash map, map<K,V> for the Swiss tables of Go 1.24+), and
	// for a channel the hchan<T> struct.
	Impl *Type

	// RuntimeType is the link-time address of the type's runtime type
	// descriptor (*abi.Type), 0 when DWARF gives none.
	RuntimeType uint64

	// Synthetic reports a type the linker made up for the runtime's
	// internals (hash<K,V>, bucket<K,V>, map<K,V>, table<K,V>,
	// groupReference<K,V>, hchan<T>, ...): it has no Go spelling.
	Synthetic bool

	tag         uint16 // DWARF tag of the DIE it came from
	kindKnown   bool   // DW_AT_go_kind was present
	ptrs        int8   // cached HasPointers: 1 yes, -1 no, 0 not computed
	fieldsCanon bool   // Fields (possibly shared with a typedef) canonicalized
	target      *Type  // typedef/pointer/array/... DW_AT_type before flattening
}

// Field is one member of a struct.
type Field struct {
	Name     string
	Offset   uint64
	Type     *Type
	Embedded bool
}

// HasPointers reports whether a value of type t holds a pointer the
// garbage collector follows.
func (t *Type) HasPointers() bool {
	if t == nil {
		return false
	}
	if t.ptrs != 0 {
		return t.ptrs > 0
	}
	return t.hasPointers()
}

// setHasPointers caches HasPointers (types are immutable after load).
func (t *Type) setHasPointers() {
	if t.hasPointers() {
		t.ptrs = 1
	} else {
		t.ptrs = -1
	}
}

func (t *Type) hasPointers() bool {
	switch t.Kind {
	case KindPointer, KindUnsafePointer, KindMap, KindChan, KindFunc, KindSlice, KindString, KindInterface:
		return true
	case KindArray:
		return t.Len > 0 && t.Elem.HasPointers()
	case KindStruct:
		for _, f := range t.Fields {
			if f.Type.HasPointers() {
				return true
			}
		}
	}
	return false
}

// FieldAt returns the field of struct t that contains byte offset off, or
// nil. Zero-size fields (which share their offset with the next field)
// contain nothing.
func (t *Type) FieldAt(off uint64) *Field {
	// The last field starting at or before off.
	i := sort.Search(len(t.Fields), func(i int) bool { return t.Fields[i].Offset > off }) - 1
	for ; i >= 0; i-- {
		f := &t.Fields[i]
		if f.Type.Size == 0 {
			continue
		}
		if off < f.Offset+f.Type.Size {
			return f
		}
		return nil
	}
	return nil
}

// typeIndex finds types by runtime descriptor address and by name.
type typeIndex struct {
	byRuntime []*Type // sorted by RuntimeType, one per address
	byName    map[string]*Type
}

func newTypeIndex(types []*Type) typeIndex {
	x := typeIndex{byName: make(map[string]*Type, len(types))}
	for _, t := range types {
		if t.RuntimeType != 0 {
			x.byRuntime = append(x.byRuntime, t)
		}
		if old, ok := x.byName[t.Name]; !ok || better(t, old) {
			x.byName[t.Name] = t
		}
	}
	slices.SortStableFunc(x.byRuntime, func(a, b *Type) int { return cmp.Compare(a.RuntimeType, b.RuntimeType) })
	x.byRuntime = slices.CompactFunc(x.byRuntime, func(a, b *Type) bool { return a.RuntimeType == b.RuntimeType })
	return x
}

// better prefers, among types of one name, the one with a runtime
// descriptor, then the one with a layout.
func better(t, old *Type) bool {
	if (t.RuntimeType != 0) != (old.RuntimeType != 0) {
		return t.RuntimeType != 0
	}
	return len(t.Fields) > len(old.Fields)
}

func (x *typeIndex) runtime(addr uint64) *Type {
	i, found := slices.BinarySearchFunc(x.byRuntime, addr, func(t *Type, a uint64) int { return cmp.Compare(t.RuntimeType, a) })
	if !found {
		return nil
	}
	return x.byRuntime[i]
}

// canonicalize makes every reference to a named type point to one Type
// per name: DWARF often has two DIEs for one Go type (a struct and a
// typedef of it), and callers compare types by identity.
func canonicalize(types []*Type, info *dwarfInfo, byName map[string]*Type) {
	canon := func(t *Type) *Type {
		if t == nil || t.Name == "" {
			return t
		}
		if c := byName[t.Name]; c != nil && c.Kind == t.Kind && c.Size == t.Size {
			return c
		}
		return t
	}
	for _, t := range types {
		t.Elem, t.Key, t.Impl = canon(t.Elem), canon(t.Key), canon(t.Impl)
		if len(t.Fields) > 0 && !t.fieldsCanon {
			for i := range t.Fields {
				t.Fields[i].Type = canon(t.Fields[i].Type)
			}
			t.fieldsCanon = true
		}
	}
	for i := range info.globals {
		info.globals[i].Type = canon(info.globals[i].Type)
	}
	for _, f := range info.funcs {
		for i := range f.Vars {
			f.Vars[i].Type = canon(f.Vars[i].Type)
		}
	}
}
