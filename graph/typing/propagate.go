package typing

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/heapgraph/heapgraph/heapdump"
	"github.com/heapgraph/heapgraph/heapdump/gobinary"
)

// objState is what propagation knows of one object. It is one record so
// that an offer touches one cache line: propagation is bound by memory
// latency.
type objState struct {
	typ, depth  uint32 // candidate or final type; hops from the evidence
	src, srcOff uint32 // evidence (see Types.src)
	strength    uint8
	final       bool // type fixed (walked or about to be)
	dirty       bool // to be walked with its current type
}

// propagator runs the breadth-first typing.
type propagator struct {
	t    *Types
	st   []objState
	w    walker
	next []int32 // objects offered a candidate at the next depth
	cur  []int32

	staticSeen map[[2]uint64]bool // static values walked: address, type id

	ignoreHeaders bool
	f             *heapdump.PageIndex
}

func (p *propagator) run() {
	t := p.t
	// 1. Malloc headers.
	type describedObj struct {
		obj int32
		typ uint32
	}
	var described []describedObj
	p.st = make([]objState, t.d.NumObjects())
	for i := range p.st {
		h := t.d.Object(i).HeaderType
		if h == 0 || p.ignoreHeaders {
			continue
		}
		if id := p.headerType(i, h); id != 0 {
			p.st[i] = objState{typ: id, strength: strengthHeader, src: noSource, final: true, dirty: true}
			p.cur = append(p.cur, int32(i))
		} else if d, ok := t.b.DescribeRuntimeType(h); ok {
			described = append(described, describedObj{int32(i), t.tt.intern(objType{shape: shapeDescribed, name: d.Name, size: d.Size})})
		}
	}
	// Headers are walked first; their targets are one hop away.
	p.walkAll(1)
	// 2. Roots: their targets are at depth 0.
	pending := append(p.roots(), p.next...)
	p.next = nil
	// 3. Breadth first: an object is walked once its depth comes, with
	// the best candidate of that depth.
	var later []int32
	for depth := uint32(0); len(pending) > 0; depth++ {
		p.cur, later = p.cur[:0], later[:0]
		for _, i := range pending {
			s := &p.st[i]
			switch {
			case s.dirty:
				p.cur = append(p.cur, i)
			case s.final:
			case s.depth <= depth:
				s.final, s.dirty = true, true
				p.cur = append(p.cur, i)
			default:
				later = append(later, i)
			}
		}
		// Address order: neighbours in memory are walked together.
		slices.Sort(p.cur)
		p.walkAll(depth + 1)
		pending = append(append(pending[:0], later...), p.next...)
		p.next = p.next[:0]
	}
	// 4. Headers that name a type DWARF lacks, when nothing better did.
	for _, o := range described {
		if s := &p.st[o.obj]; s.typ == 0 || s.strength == strengthWeak {
			*s = objState{typ: o.typ, strength: strengthDescribed, src: noSource}
		}
	}
	// Only the result and its evidence are kept, with type ids in name
	// order.
	remap := t.tt.sortIDs()
	for i := range p.st {
		s := &p.st[i]
		t.typ[i], t.strength[i], t.src[i], t.srcOff[i] = remap[s.typ], s.strength, s.src, s.srcOff
	}
	p.st = nil
}

// headerType is the type a malloc header gives object i: its type, or
// an array of it when the object holds several.
func (p *propagator) headerType(i int, h uint64) uint32 {
	dt := p.t.b.TypeByRuntimeAddr(h)
	if dt == nil || dt.Size == 0 {
		return 0
	}
	if n := p.t.d.ObjectSize(i) / dt.Size; n >= 2 {
		return p.w.tt.array(dt, n)
	}
	return p.w.tt.value(dt)
}

// walkAll walks the objects of p.cur with their final types and offers
// what their slots point to at depth.
func (p *propagator) walkAll(depth uint32) {
	t := p.t
	var src uint32
	p.w.sink = func(pt pointee) { p.offer(p.f.Find(pt.addr), pt, depth, src) }
	defer func() { p.w.sink = nil }()
	for _, i := range p.cur {
		s := &p.st[i]
		if !s.dirty || s.typ == 0 {
			continue
		}
		s.dirty = false
		src = uint32(i)
		p.w.object(&t.tt.types[s.typ], t.d.Contents(int(i)))
	}
}

// offer proposes type pt.typ for the object at pt.addr, which is in
// object j (-1: in none).
func (p *propagator) offer(j int, pt pointee, depth uint32, src uint32) {
	t := p.t
	if j < 0 {
		p.static(pt, depth, src)
		return
	}
	if t.d.Addr(j) != pt.addr {
		return // interior pointer: says nothing about the object's own type
	}
	nt := &t.tt.types[pt.typ]
	size := t.d.ObjectSize(j)
	if nt.size > size {
		return // does not fit: not this object's type
	}
	s := &p.st[j]
	cur := s.typ
	if nt.weak {
		if cur == 0 {
			*s = objState{typ: pt.typ, strength: strengthWeak, depth: depth, src: src, srcOff: slotOff(pt.off)}
		}
		return
	}
	if cur != 0 && s.strength == strengthWeak {
		cur = 0
	}
	switch {
	case cur == pt.typ:
		return
	case cur == 0:
	case s.final:
		if !p.upgrade(s, cur, pt.typ) {
			return
		}
		// A refinement of a walked type: walk again.
		s.typ, s.src, s.srcOff, s.dirty = pt.typ, src, slotOff(pt.off), true
		p.next = append(p.next, int32(j))
		return
	case s.depth < depth:
		return
	case s.depth == depth && !p.better(pt.typ, cur):
		return
	}
	if cur == 0 || s.depth > depth {
		p.next = append(p.next, int32(j))
	}
	s.typ, s.strength, s.depth, s.src, s.srcOff = pt.typ, strengthPropagate, depth, src, slotOff(pt.off)
}

// static walks a statically allocated value (a composite literal the
// linker placed in the data or bss segment) that a typed pointer names:
// the heap objects it points to are typed as if it were a root.
func (p *propagator) static(pt pointee, depth uint32, src uint32) {
	t := p.t
	ot := &t.tt.types[pt.typ]
	if ot.shape != shapeValue || ot.elem == nil || !ot.elem.HasPointers() {
		return
	}
	mem := segmentBytes(t.d.SegmentContents(&t.d.Data), t.d.Data.Addr, pt.addr, ot.size)
	if mem == nil {
		mem = segmentBytes(t.d.SegmentContents(&t.d.BSS), t.d.BSS.Addr, pt.addr, ot.size)
	}
	if mem == nil {
		return
	}
	key := [2]uint64{pt.addr, uint64(pt.typ)}
	if p.staticSeen[key] {
		return
	}
	if p.staticSeen == nil {
		p.staticSeen = map[[2]uint64]bool{}
	}
	p.staticSeen[key] = true
	w := walker{d: t.d, b: t.b, tt: p.w.tt, ptr: p.w.ptr}
	w.object(ot, mem)
	for _, q := range w.out {
		p.offer(p.f.Find(q.addr), q, depth, src)
	}
}

// upgrade reports whether an already walked object of type cur should take
// type nt: an array whose count a slice gives exactly where the header
// only bounded it, or a type that extends cur at offset 0.
func (p *propagator) upgrade(s *objState, cur, nt uint32) bool {
	a, b := &p.t.tt.types[nt], &p.t.tt.types[cur]
	if s.strength == strengthHeader {
		// The header knows the element type; a slice knows the count.
		return a.shape == shapeValue && a.elem == b.elem && a.count > 0
	}
	return extends(a, b)
}

// better reports whether candidate a beats candidate b at the same depth:
// a type that extends the other, else the larger, else the first made.
func (p *propagator) better(a, b uint32) bool {
	ta, tb := &p.t.tt.types[a], &p.t.tt.types[b]
	if extends(ta, tb) {
		return true
	}
	if extends(tb, ta) {
		return false
	}
	if ta.size != tb.size {
		return ta.size > tb.size
	}
	// Decide by what the types are, not by when they were met.
	return typeOrder(ta, tb) < 0
}

// extends reports whether a value of type a starts with a value of type b
// and is larger: a struct whose first field is b, an array of b, a longer
// array of b's element.
func extends(a, b *objType) bool {
	if a.shape != shapeValue || b.shape != shapeValue || a.elem == nil || b.elem == nil || a.size <= b.size {
		return false
	}
	if a.count > 0 {
		if b.count == 0 && a.elem == b.elem || b.count > 0 && a.elem == b.elem {
			return true
		}
		return extends(&objType{elem: a.elem, size: a.elem.Size}, b)
	}
	if b.count > 0 {
		return false
	}
	for t := a.elem; t != nil; {
		if t == b.elem {
			return true
		}
		switch {
		case t.Kind == gobinary.KindStruct && len(t.Fields) > 0 && t.Fields[0].Offset == 0:
			t = t.Fields[0].Type
		case t.Kind == gobinary.KindArray && t.Len > 0:
			t = t.Elem
		default:
			return false
		}
	}
	return false
}

// roots offers the targets of typed roots and returns them.
func (p *propagator) roots() []int32 {
	t, b, d := p.t, p.t.b, p.t.d
	rootSrc := func(desc string) uint32 {
		t.roots = append(t.roots, rootEvidence{desc: desc})
		return uint32(len(p.st) + len(t.roots) - 1)
	}
	offerAll := func(src uint32) {
		for _, pt := range p.w.out {
			p.offer(p.f.Find(pt.addr), pt, 0, src)
		}
		p.w.out = p.w.out[:0]
	}
	// Globals.
	for gi := range b.Globals {
		g := &b.Globals[gi]
		if g.Type == nil || !g.Type.HasPointers() {
			continue
		}
		mem := segmentBytes(d.SegmentContents(&d.Data), d.Data.Addr, g.Addr, g.Type.Size)
		if mem == nil {
			mem = segmentBytes(d.SegmentContents(&d.BSS), d.BSS.Addr, g.Addr, g.Type.Size)
		}
		if mem == nil {
			continue
		}
		p.w.out = p.w.out[:0]
		p.w.value(g.Type, 0, mem)
		if len(p.w.out) > 0 {
			offerAll(rootSrc("global " + g.Name))
		}
	}
	// Stack frames: each variable in memory at the frame's pc, trusted
	// only in the words the runtime's stack maps say hold live pointers
	// (a dead variable's slot may hold a stale pointer).
	for fi := range d.Frames {
		fn, slots := t.frames.slots(fi)
		if fn == nil || len(slots) == 0 {
			continue
		}
		p.w.out = p.w.out[:0]
		for _, v := range groupPieces(slots) {
			p.frameVar(fi, v)
		}
		if len(p.w.out) > 0 {
			f := &d.Frames[fi]
			g := &d.Goroutines[f.Goroutine]
			offerAll(rootSrc(fmt.Sprintf("goroutine %d frame %s", g.ID, f.Func)))
		}
	}
	// Finalizers: the object's pointer type, and the closure.
	for _, f := range d.Finalizers {
		if pt := b.TypeByRuntimeAddr(f.ObjType); pt != nil && pt.Kind == gobinary.KindPointer && pt.Elem != nil {
			p.w.out = append(p.w.out, pointee{0, f.Obj, p.w.tt.value(pt.Elem)})
		}
		p.closureRoot(f.Fn, f.FnPC)
		offerAll(rootSrc(fmt.Sprintf("finalizer on %#x", f.Obj)))
	}
	for _, df := range d.Defers {
		p.closureRoot(df.Fn, df.FnPC)
		offerAll(rootSrc(fmt.Sprintf("defer %#x", df.Addr)))
	}
	for _, pn := range d.Panics {
		var mem [16]byte
		binary.LittleEndian.PutUint64(mem[:], pn.ArgType)
		binary.LittleEndian.PutUint64(mem[8:], pn.ArgData)
		if e := b.TypeByName("interface {}"); e != nil {
			p.w.value(e, 0, mem[:])
		}
		offerAll(rootSrc(fmt.Sprintf("panic %#x", pn.Addr)))
	}
	out := p.next
	p.next = nil
	return out
}

// frameVar walks one variable of frame fi and keeps in p.w.out what its
// live pointer words point to.
func (p *propagator) frameVar(fi int, v varPieces) {
	t := p.t
	buf := make([]byte, v.v.Type.Size)
	type placed struct {
		varOff, size uint64
		mem          frameMem
		off          uint64 // offset in mem
	}
	var where []placed
	for _, s := range v.pieces {
		fm, off, ok := t.frames.locate(fi, s.CFAOff, s.Size)
		if !ok || s.VarOff+s.Size > uint64(len(buf)) {
			continue
		}
		copy(buf[s.VarOff:], fm.mem[off:off+s.Size])
		where = append(where, placed{s.VarOff, s.Size, fm, off})
	}
	n := len(p.w.out)
	p.w.value(v.v.Type, 0, buf)
	kept := p.w.out[:n]
	for _, pt := range p.w.out[n:] {
		for _, w := range where {
			if pt.off >= w.varOff && pt.off < w.varOff+w.size && w.mem.live(w.off+pt.off-w.varOff) {
				kept = append(kept, pt)
				break
			}
		}
	}
	p.w.out = kept
}

// closureRoot offers the funcval at fn, whose code is at pc.
func (p *propagator) closureRoot(fn, pc uint64) {
	if fn == 0 {
		return
	}
	f := p.t.b.FuncAt(pc)
	p.w.out = append(p.w.out, pointee{8, fn, p.w.tt.intern(objType{shape: shapeClosure, fn: f, size: 8})})
}

// segmentBytes returns the n bytes at addr of a segment starting at base.
func segmentBytes(seg []byte, base, addr, n uint64) []byte {
	if addr < base || addr-base+n > uint64(len(seg)) {
		return nil
	}
	return seg[addr-base : addr-base+n]
}

// varPieces are the in-memory pieces of one variable.
type varPieces struct {
	v      *gobinary.Var
	pieces []gobinary.FrameSlot
}

func groupPieces(slots []gobinary.FrameSlot) []varPieces {
	var out []varPieces
	for _, s := range slots {
		if len(out) > 0 && out[len(out)-1].v == s.Var {
			out[len(out)-1].pieces = append(out[len(out)-1].pieces, s)
			continue
		}
		out = append(out, varPieces{s.Var, []gobinary.FrameSlot{s}})
	}
	return out
}

// slotOff stores a slot offset in 32 bits; offsets past 4 GiB (in a
// huge array) are kept as the largest value, which names no field.
func slotOff(off uint64) uint32 {
	return uint32(min(off, 1<<32-1))
}
