package gobinary

import (
	"debug/dwarf"
	"fmt"
	"strings"
)

// Go's DWARF extensions (cmd/internal/dwarf).
const (
	attrGoKind          dwarf.Attr = 0x2900
	attrGoKey           dwarf.Attr = 0x2901
	attrGoElem          dwarf.Attr = 0x2902
	attrGoEmbeddedField dwarf.Attr = 0x2903
	attrGoRuntimeType   dwarf.Attr = 0x2904
	attrGoClosureOffset dwarf.Attr = 0x2907
)

// DWARF location opcodes Go emits.
const (
	opAddr         = 0x03
	opCallFrameCFA = 0x9c
	opFbreg        = 0x91
	opConsts       = 0x11
	opPlus         = 0x22
	opPlusUconst   = 0x23
)

// dwarfInfo is everything read from .debug_info in one pass.
type dwarfInfo struct {
	types   []*Type
	globals []Global
	funcs   []*Func // DWARF subprograms with a pc range
}

// pending is a reference from a DIE to a type DIE, resolved after the pass.
type pending struct {
	dst *(*Type)
	off dwarf.Offset
}

// loader reads DIEs into types, globals and functions.
type loader struct {
	d       *dwarf.Data
	ptrSize uint64
	info    dwarfInfo
	byOff   map[dwarf.Offset]*Type
	refs    []pending
	fieldOf []fieldRef // struct members, resolved after the pass

	cuLow, addrBase uint64 // of the compile unit being read
}

type fieldRef struct {
	t   *Type
	i   int
	off dwarf.Offset
}

func loadDWARF(d *dwarf.Data, ptrSize uint64) (*dwarfInfo, error) {
	l := &loader{d: d, ptrSize: ptrSize, byOff: make(map[dwarf.Offset]*Type, 1<<14)}
	if err := l.read(); err != nil {
		return nil, err
	}
	l.resolve()
	return &l.info, nil
}

func (l *loader) ref(dst *(*Type), e *dwarf.Entry, a dwarf.Attr) {
	if off, ok := e.Val(a).(dwarf.Offset); ok {
		l.refs = append(l.refs, pending{dst, off})
	}
}

func (l *loader) read() error {
	r := l.d.Reader()
	depth := 0
	var cur *Type // struct or array being filled (depth 2 children)
	var curFunc *Func
	funcDepth := -1
	for {
		e, err := r.Next()
		if err != nil {
			return fmt.Errorf("reading DWARF: %w", err)
		}
		if e == nil {
			return nil
		}
		if e.Tag == 0 {
			depth--
			if depth <= funcDepth {
				curFunc, funcDepth = nil, -1
			}
			continue
		}
		here := depth
		if e.Children {
			depth++
		}
		switch e.Tag {
		case dwarf.TagCompileUnit:
			l.cuLow, _ = uintVal(e, dwarf.AttrLowpc)
			l.addrBase, _ = uintVal(e, dwarf.AttrAddrBase)
			continue
		case dwarf.TagBaseType, dwarf.TagStructType, dwarf.TagPointerType, dwarf.TagArrayType,
			dwarf.TagTypedef, dwarf.TagSubroutineType, dwarf.TagUnspecifiedType:
			if here != 1 {
				// Go writes all types at the top of the unit.
				continue
			}
			cur = l.newType(e)
			continue
		case dwarf.TagMember:
			if cur != nil && here == 2 {
				l.member(cur, e)
			}
			continue
		case dwarf.TagSubrangeType:
			if cur != nil && here == 2 {
				if n, ok := e.Val(dwarf.AttrCount).(int64); ok && n >= 0 {
					cur.Len = uint64(n)
				}
			}
			continue
		case dwarf.TagVariable:
			if here == 1 {
				l.global(e)
			} else if curFunc != nil {
				l.local(curFunc, e, false, here-funcDepth > 1)
			}
		case dwarf.TagFormalParameter:
			if curFunc != nil && here == funcDepth+1 {
				l.local(curFunc, e, true, false)
			}
		case dwarf.TagSubprogram:
			if here == 1 {
				curFunc = l.function(e)
				if curFunc != nil && e.Children {
					funcDepth = here
				}
			}
		case dwarf.TagInlinedSubroutine:
			// Variables of inlined calls name no slot of their own
			// reliably enough to type a frame; skip the subtree.
			if e.Children {
				r.SkipChildren()
				depth--
			}
		}
		cur = nil
	}
}

func (l *loader) newType(e *dwarf.Entry) *Type {
	t := &Type{ID: len(l.info.types), tag: uint16(e.Tag)}
	t.Name, _ = e.Val(dwarf.AttrName).(string)
	if k, ok := e.Val(attrGoKind).(int64); ok {
		t.Kind = Kind(k)
		t.kindKnown = true
	}
	if s, ok := e.Val(dwarf.AttrByteSize).(int64); ok {
		t.Size = uint64(s)
	}
	if rt, ok := uintVal(e, attrGoRuntimeType); ok {
		t.RuntimeType = rt // an offset from runtime.types until Open adds it
	}
	switch e.Tag {
	case dwarf.TagPointerType:
		t.Size = l.ptrSize
		if t.Kind == KindInvalid {
			t.Kind = KindPointer
		}
		if t.Name == "unsafe.Pointer" {
			t.Kind = KindUnsafePointer
		}
	case dwarf.TagSubroutineType:
		t.Kind = KindFunc
	case dwarf.TagArrayType:
		if t.Kind == KindInvalid {
			t.Kind = KindArray
		}
	case dwarf.TagStructType:
		if t.Kind == KindInvalid {
			t.Kind = KindStruct
		}
	}
	t.Synthetic = isSynthetic(t.Name)
	l.ref(&t.target, e, dwarf.AttrType)
	l.ref(&t.Elem, e, attrGoElem)
	l.ref(&t.Key, e, attrGoKey)
	l.byOff[e.Offset] = t
	l.info.types = append(l.info.types, t)
	return t
}

// isSynthetic reports names the linker gives the runtime's internal types
// (e.g. "hash<string,int>", "table<string,int>"): Go names never hold '<'
// outside brackets.
func isSynthetic(name string) bool {
	i := strings.IndexByte(name, '<')
	return i > 0 && !strings.ContainsAny(name[:i], "[ ")
}

func (l *loader) member(t *Type, e *dwarf.Entry) {
	f := Field{}
	f.Name, _ = e.Val(dwarf.AttrName).(string)
	if o, ok := e.Val(dwarf.AttrDataMemberLoc).(int64); ok {
		f.Offset = uint64(o)
	}
	if b, ok := e.Val(attrGoEmbeddedField).(bool); ok {
		f.Embedded = b
	}
	t.Fields = append(t.Fields, f)
	if off, ok := e.Val(dwarf.AttrType).(dwarf.Offset); ok {
		l.fieldOf = append(l.fieldOf, fieldRef{t, len(t.Fields) - 1, off})
	}
}

func (l *loader) global(e *dwarf.Entry) {
	loc, ok := e.Val(dwarf.AttrLocation).([]byte)
	if !ok || len(loc) != 1+int(l.ptrSize) || loc[0] != opAddr {
		return
	}
	name, _ := e.Val(dwarf.AttrName).(string)
	var addr uint64
	for i := int(l.ptrSize); i >= 1; i-- { // little-endian (amd64, arm64)
		addr = addr<<8 | uint64(loc[i])
	}
	l.info.globals = append(l.info.globals, Global{Name: name, Addr: addr})
	g := &l.info.globals[len(l.info.globals)-1]
	l.refGlobal(g, e)
}

func (l *loader) refGlobal(g *Global, e *dwarf.Entry) {
	if off, ok := e.Val(dwarf.AttrType).(dwarf.Offset); ok {
		g.typeOff = off
	}
}

func (l *loader) function(e *dwarf.Entry) *Func {
	name, _ := e.Val(dwarf.AttrName).(string)
	lo, ok := e.Val(dwarf.AttrLowpc).(uint64)
	if !ok || name == "" {
		return nil
	}
	f := &Func{Name: name, Entry: lo, cuLow: l.cuLow, addrBase: l.addrBase}
	switch hi := e.Val(dwarf.AttrHighpc).(type) {
	case uint64:
		f.End = hi
	case int64:
		f.End = lo + uint64(hi)
	}
	l.info.funcs = append(l.info.funcs, f)
	return f
}

func (l *loader) local(f *Func, e *dwarf.Entry, param, nested bool) {
	v := Var{Param: param, Nested: nested, LocList: -1}
	v.Name, _ = e.Val(dwarf.AttrName).(string)
	switch loc := e.Val(dwarf.AttrLocation).(type) {
	case []byte:
		v.Loc = loc
	case int64:
		v.LocList = loc
	}
	if c, ok := e.Val(attrGoClosureOffset).(int64); ok {
		v.ClosureOffset = c
		v.InClosure = true
	}
	f.Vars = append(f.Vars, v)
	if off, ok := e.Val(dwarf.AttrType).(dwarf.Offset); ok {
		f.varTypeOffs = append(f.varTypeOffs, off)
	} else {
		f.varTypeOffs = append(f.varTypeOffs, 0)
	}
}

// resolve turns DIE offsets into types and flattens typedefs.
func (l *loader) resolve() {
	for _, p := range l.refs {
		*p.dst = l.byOff[p.off]
	}
	for _, fr := range l.fieldOf {
		fr.t.Fields[fr.i].Type = l.byOff[fr.off]
	}
	// Some typedefs (e.g. the "interface {}" of compiler-made structs)
	// lack DW_AT_go_kind: take the kind of a type of the same name that
	// has one, before flattening.
	kinds := map[string]Kind{}
	for _, t := range l.info.types {
		if t.kindKnown && t.Kind != KindInvalid {
			kinds[t.Name] = t.Kind
		}
	}
	for _, t := range l.info.types {
		if !t.kindKnown {
			if k, ok := kinds[t.Name]; ok {
				t.Kind = k
			}
		}
	}
	for _, t := range l.info.types {
		l.complete(t, 0)
	}
	for i := range l.info.globals {
		g := &l.info.globals[i]
		g.Type = l.byOff[g.typeOff]
		if g.Type != nil {
			g.Size = g.Type.Size
		}
	}
	for _, f := range l.info.funcs {
		for i, off := range f.varTypeOffs {
			f.Vars[i].Type = l.byOff[off]
		}
		f.varTypeOffs = nil
	}
	// A struct member of unknown type would break every walk: give it an
	// opaque type.
	opaque := &Type{ID: -1, Name: "?", Kind: KindInvalid}
	for _, t := range l.info.types {
		for i := range t.Fields {
			if t.Fields[i].Type == nil {
				t.Fields[i].Type = opaque
			}
		}
	}
}

// complete fills in t's layout from what its DIE refers to.
func (l *loader) complete(t *Type, depth int) {
	if depth > 64 || t.target == nil && t.tag != uint16(dwarf.TagTypedef) {
		l.finishOwn(t)
		return
	}
	switch dwarf.Tag(t.tag) {
	case dwarf.TagPointerType:
		if t.Kind != KindUnsafePointer {
			t.Elem = t.target
		}
	case dwarf.TagArrayType:
		t.Elem = t.target
		if t.Size == 0 && t.Elem != nil {
			t.Size = t.Len * t.Elem.Size
		}
	case dwarf.TagTypedef:
		u := t.target
		for n := 0; u != nil && dwarf.Tag(u.tag) == dwarf.TagTypedef && n < 64; n++ {
			u = u.target
		}
		if u == nil {
			return
		}
		if t.Kind == KindInvalid {
			t.Kind = u.Kind
		}
		switch t.Kind {
		case KindMap, KindChan:
			// DWARF: typedef map[K]V -> *hash<K,V> (or *map<K,V>).
			t.Size = l.ptrSize
			if dwarf.Tag(u.tag) == dwarf.TagPointerType {
				t.Impl = u.target
				for n := 0; t.Impl != nil && dwarf.Tag(t.Impl.tag) == dwarf.TagTypedef && n < 64; n++ {
					t.Impl = t.Impl.target
				}
			}
		case KindFunc:
			t.Size = l.ptrSize
		default:
			if u.tag == uint16(dwarf.TagArrayType) || u.tag == uint16(dwarf.TagPointerType) {
				l.complete(u, depth+1)
			}
			if t.Size == 0 {
				t.Size = u.Size
			}
			if t.Elem == nil {
				t.Elem = u.Elem
			}
			if t.Key == nil {
				t.Key = u.Key
			}
			if t.Len == 0 {
				t.Len = u.Len
			}
			if t.Fields == nil {
				t.Fields = u.Fields
			}
			if t.RuntimeType == 0 && t.Name == u.Name {
				t.RuntimeType = u.RuntimeType
			}
		}
	}
	l.finishOwn(t)
}

func (l *loader) finishOwn(t *Type) {
	if t.Kind == KindFunc || t.Kind == KindMap || t.Kind == KindChan {
		t.Size = l.ptrSize
	}
}

// uintVal reads an attribute written as a constant or an address.
func uintVal(e *dwarf.Entry, a dwarf.Attr) (uint64, bool) {
	switch v := e.Val(a).(type) {
	case int64:
		return uint64(v), true
	case uint64:
		return v, true
	}
	return 0, false
}
