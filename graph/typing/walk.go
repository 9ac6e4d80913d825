package typing

import (
	"encoding/binary"
	"strings"

	"github.com/heapgraph/heapgraph/heapdump"
	"github.com/heapgraph/heapgraph/heapdump/gobinary"
)

// pointee is what one pointer slot says about the object it points to.
type pointee struct {
	off  uint64 // offset of the slot in the walked memory
	addr uint64 // the pointer value
	typ  uint32 // the type of the object it points to (at its start)
}

// walker turns typed memory into pointees.
type walker struct {
	d   *heapdump.Dump
	b   *gobinary.Binary
	tt  *typeCache
	ptr uint64
	out []pointee
	// sink, if set, receives pointees as they are found instead of out
	// (a huge pointer array needs no huge buffer).
	sink      func(pointee)
	buffering bool // collect in out even with a sink
}

func (w *walker) word(mem []byte, off uint64) (uint64, bool) {
	if off+w.ptr > uint64(len(mem)) {
		return 0, false
	}
	return binary.LittleEndian.Uint64(mem[off:]), true
}

func (w *walker) emit(off, addr uint64, typ uint32) {
	if addr == 0 || typ == 0 {
		return
	}
	if w.sink != nil && !w.buffering {
		w.sink(pointee{off, addr, typ})
		return
	}
	w.out = append(w.out, pointee{off, addr, typ})
}

// object walks an object of type ot whose contents are mem.
func (w *walker) object(ot *objType, mem []byte) {
	switch ot.shape {
	case shapeStringData, shapeDescribed:
		return
	case shapeClosure:
		if ot.fn == nil {
			return
		}
		for i := range ot.fn.Vars {
			v := &ot.fn.Vars[i]
			if v.InClosure && v.Type != nil && v.ClosureOffset > 0 {
				w.value(v.Type, uint64(v.ClosureOffset), mem)
			}
		}
		return
	case shapeMap:
		w.mapHeader(ot.elem, mem)
		return
	case shapeChan:
		w.chanHeader(ot.elem, mem)
		return
	}
	t := ot.elem
	if t == nil || !t.HasPointers() {
		return
	}
	if ot.count == 0 {
		w.value(t, 0, mem)
		return
	}
	for i := uint64(0); i < ot.count && (i+1)*t.Size <= uint64(len(mem)); i++ {
		w.value(t, i*t.Size, mem)
	}
}

// value walks a value of type t at offset off of mem.
func (w *walker) value(t *gobinary.Type, off uint64, mem []byte) {
	if t == nil || off+t.Size > uint64(len(mem)) {
		return
	}
	switch t.Kind {
	case gobinary.KindPointer:
		if p, ok := w.word(mem, off); ok && p != 0 && t.Elem != nil && t.Elem.Size > 0 {
			w.emit(off, p, w.pointerTarget(t.Elem, p))
		}
	case gobinary.KindString:
		p, _ := w.word(mem, off)
		n, _ := w.word(mem, off+w.ptr)
		if p != 0 && n > 0 {
			w.emit(off, p, w.tt.intern(objType{shape: shapeStringData}))
		}
	case gobinary.KindSlice:
		p, _ := w.word(mem, off)
		c, _ := w.word(mem, off+2*w.ptr)
		if p != 0 && c > 0 && t.Elem != nil && t.Elem.Size > 0 && c < 1<<40 {
			w.emit(off, p, w.tt.array(t.Elem, c))
		}
	case gobinary.KindInterface:
		w.iface(t, off, mem)
	case gobinary.KindMap:
		if p, ok := w.word(mem, off); ok && p != 0 && t.Impl != nil {
			w.emit(off, p, w.tt.intern(objType{elem: t, shape: shapeMap, size: t.Impl.Size}))
		}
	case gobinary.KindChan:
		if p, ok := w.word(mem, off); ok && p != 0 && t.Impl != nil {
			w.emit(off, p, w.tt.intern(objType{elem: t, shape: shapeChan, size: t.Impl.Size}))
		}
	case gobinary.KindFunc:
		if p, ok := w.word(mem, off); ok && p != 0 {
			w.emit(off, p, w.closure(t, p))
		}
	case gobinary.KindStruct:
		if strings.HasPrefix(t.Name, "groupReference<") {
			w.groups(t, off, mem)
			return
		}
		if pt, vOff, ok := w.atomicPointer(t); ok {
			w.value(pt, off+vOff, mem)
			return
		}
		for _, f := range t.Fields {
			if f.Type.HasPointers() {
				w.value(f.Type, off+f.Offset, mem)
			}
		}
	case gobinary.KindArray:
		e := t.Elem
		if e == nil || e.Size == 0 || !e.HasPointers() {
			return
		}
		for i := uint64(0); i < t.Len; i++ {
			w.value(e, off+i*e.Size, mem)
		}
	}
}

// pointerTarget is the type of what a *t at p points to.
func (w *walker) pointerTarget(t *gobinary.Type, p uint64) uint32 {
	if isTrieNode(t) {
		return w.trieNode(t, p)
	}
	return w.tt.value(t)
}

// trieNode is the node of sync.Map's hash-trie (Go 1.24+): an entry or an
// indirect node, told apart by its first byte (isEntry). DWARF may name
// it by its generic shape ("go.shape.struct { internal/sync.isEntry bool }").
const trieNode = "internal/sync.node["

func isTrieNode(t *gobinary.Type) bool {
	return strings.HasPrefix(t.Name, trieNode) ||
		strings.HasPrefix(t.Name, "go.shape.struct { internal/sync.isEntry bool }") ||
		strings.HasPrefix(t.Name, "go.shape.struct { internal/sync.node = "+trieNode)
}

func (w *walker) trieNode(t *gobinary.Type, p uint64) uint32 {
	j := w.d.Find(p)
	if j < 0 || w.d.Addr(j) != p || w.d.ObjectSize(j) == 0 {
		return 0
	}
	kind := "internal/sync.indirect"
	if w.d.Contents(j)[0] != 0 {
		kind = "internal/sync.entry"
	}
	var args []string
	if i := strings.Index(t.Name, trieNode); i >= 0 {
		rest := t.Name[i+len(trieNode)-1:]
		if k := strings.Index(rest, "]"); k >= 0 {
			args = append(args, rest[:k+1])
		}
	}
	args = append(args, "[interface {},interface {}]", "[go.shape.interface {},go.shape.interface {}]")
	for _, a := range args {
		if nt := w.b.TypeByName(kind + a); nt != nil {
			return w.tt.value(nt)
		}
	}
	return 0
}

// atomicPointer recognizes the generic atomic pointers (sync/atomic and
// the runtime's internal/runtime/atomic or runtime/internal/atomic):
// a struct with a [0]*T field (or T in its name) and one unsafe.Pointer word, which holds the
// *T. It returns *T and the word's offset.
func (w *walker) atomicPointer(t *gobinary.Type) (*gobinary.Type, uint64, bool) {
	if !strings.HasPrefix(t.Name, "sync/atomic.Pointer[") && !strings.HasPrefix(t.Name, "internal/runtime/atomic.Pointer[") &&
		!strings.HasPrefix(t.Name, "runtime/internal/atomic.Pointer[") {
		return nil, 0, false
	}
	var pt *gobinary.Type
	for _, f := range t.Fields {
		if f.Type.Kind == gobinary.KindArray && f.Type.Len == 0 && f.Type.Elem != nil && f.Type.Elem.Kind == gobinary.KindPointer {
			pt = f.Type.Elem
		}
	}
	if pt == nil {
		// DWARF may leave out the blank [0]*T: T is in the name.
		if i, j := strings.IndexByte(t.Name, '['), strings.LastIndexByte(t.Name, ']'); i > 0 && j > i {
			pt = w.b.TypeByName("*" + t.Name[i+1:j])
		}
	}
	off, ok := unsafeWord(t, 0)
	return pt, off, pt != nil && ok
}

// unsafeWord finds the unsafe.Pointer word of t (nested structs
// included).
func unsafeWord(t *gobinary.Type, depth int) (uint64, bool) {
	if depth > 4 {
		return 0, false
	}
	for _, f := range t.Fields {
		switch f.Type.Kind {
		case gobinary.KindUnsafePointer:
			return f.Offset, true
		case gobinary.KindStruct:
			if off, ok := unsafeWord(f.Type, depth+1); ok {
				return f.Offset + off, true
			}
		}
	}
	return 0, false
}

// closure types the funcval at p, held in a slot of func type t.
func (w *walker) closure(t *gobinary.Type, p uint64) uint32 {
	var fn *gobinary.Func
	if j := w.d.Find(p); j >= 0 && w.d.Addr(j) == p && w.d.ObjectSize(j) >= w.ptr {
		if pc, ok := w.word(w.d.Contents(j), 0); ok {
			fn = w.b.FuncAt(pc)
		}
	}
	name := ""
	if t != nil {
		name = t.Name
	}
	return w.tt.intern(objType{elem: t, shape: shapeClosure, fn: fn, name: name, size: w.ptr})
}

// iface walks an interface value: the type word (or the itab's type)
// names the dynamic type of the data word.
func (w *walker) iface(t *gobinary.Type, off uint64, mem []byte) {
	tw, _ := w.word(mem, off)
	data, _ := w.word(mem, off+w.ptr)
	if tw == 0 || data == 0 {
		return
	}
	typeAddr := tw
	if len(t.Fields) > 0 && t.Fields[0].Name == "tab" {
		typeAddr = w.itabType(tw)
	}
	dt := w.dynType(typeAddr)
	if dt == nil {
		w.described(typeAddr, off+w.ptr, data)
		return
	}
	if directIface(dt, w.ptr) {
		// The data word is the value itself.
		var buf [8]byte
		binary.LittleEndian.PutUint64(buf[:], data)
		n, buffering := len(w.out), w.buffering
		w.buffering = true
		w.value(dt, 0, buf[:])
		w.buffering = buffering
		for i := n; i < len(w.out); i++ {
			w.out[i].off = off + w.ptr
		}
		if w.sink != nil && !w.buffering {
			for _, pt := range w.out[n:] {
				w.sink(pt)
			}
			w.out = w.out[:n]
		}
		return
	}
	w.emit(off+w.ptr, data, w.tt.value(dt))
}

// described types the data word of an interface whose dynamic type
// DWARF lacks, from the runtime type descriptor: a name and a size.
func (w *walker) described(typeAddr, off, data uint64) {
	desc, ok := w.b.DescribeRuntimeType(typeAddr)
	if !ok {
		return
	}
	switch desc.Kind {
	case gobinary.KindPointer:
		// Direct: the data word points to the element.
		if e, ok := w.b.DescribeRuntimeType(desc.Elem); ok && desc.Elem != 0 && e.Size > 0 {
			if dt := w.dynType(desc.Elem); dt != nil {
				w.emit(off, data, w.tt.value(dt))
				return
			}
			w.emit(off, data, w.tt.intern(objType{shape: shapeDescribed, name: e.Name, size: e.Size}))
		}
	case gobinary.KindUnsafePointer, gobinary.KindMap, gobinary.KindChan, gobinary.KindFunc:
	default:
		if desc.Size == w.ptr && desc.PtrBytes == w.ptr {
			return // pointer-shaped struct or array: direct, layout unknown
		}
		w.emit(off, data, w.tt.intern(objType{shape: shapeDescribed, name: desc.Name, size: desc.Size}))
	}
}

// itabType returns the dynamic type address of the itab at addr.
func (w *walker) itabType(addr uint64) uint64 {
	if it := w.d.ItabByAddr(addr); it != nil {
		return it.TypeAddr
	}
	if v, ok := w.b.ReadWord(addr + w.ptr); ok {
		return v
	}
	return 0
}

// dynType returns the DWARF type of a runtime type descriptor address.
func (w *walker) dynType(addr uint64) *gobinary.Type {
	if addr == 0 {
		return nil
	}
	return w.b.TypeByRuntimeAddr(addr)
}

// directIface reports whether an interface holds a value of type t in its
// data word (pointer-shaped types) rather than a pointer to a copy.
func directIface(t *gobinary.Type, ptr uint64) bool {
	for t != nil {
		switch t.Kind {
		case gobinary.KindPointer, gobinary.KindUnsafePointer, gobinary.KindMap, gobinary.KindChan, gobinary.KindFunc:
			return true
		case gobinary.KindStruct:
			if t.Size != ptr || len(t.Fields) != 1 {
				return false
			}
			t = t.Fields[0].Type
		case gobinary.KindArray:
			if t.Len != 1 {
				return false
			}
			t = t.Elem
		default:
			return false
		}
	}
	return false
}

// groups walks a Swiss table's groupReference<K,V>: data points to
// lengthMask+1 groups.
func (w *walker) groups(t *gobinary.Type, off uint64, mem []byte) {
	var data, mask uint64
	var g *gobinary.Type
	for _, f := range t.Fields {
		switch f.Name {
		case "data":
			data, _ = w.word(mem, off+f.Offset)
			if f.Type.Elem != nil {
				g = f.Type.Elem
			}
		case "lengthMask":
			mask, _ = w.word(mem, off+f.Offset)
		}
	}
	if data != 0 && g != nil && g.Size > 0 && mask < 1<<32 {
		w.emit(off, data, w.countOf(g, mask+1))
	}
}

// countOf is [n]t, or t itself when n is 1.
func (w *walker) countOf(t *gobinary.Type, n uint64) uint32 {
	if n == 1 {
		return w.tt.value(t)
	}
	return w.tt.array(t, n)
}

// mapHeader walks a map's header: the hash<K,V> of classic maps or the
// map<K,V> of Swiss tables (Go 1.24+).
func (w *walker) mapHeader(mt *gobinary.Type, mem []byte) {
	h := mt.Impl
	fields := map[string]gobinary.Field{}
	for _, f := range h.Fields {
		fields[f.Name] = f
	}
	if dir, ok := fields["dirPtr"]; ok {
		// Swiss: dirLen 0 means dirPtr is one group; else a directory
		// of dirLen *table<K,V>.
		p, _ := w.word(mem, dir.Offset)
		n, _ := w.word(mem, fields["dirLen"].Offset)
		tablePtr := dir.Type.Elem // *table<K,V>
		if p == 0 || tablePtr == nil || tablePtr.Elem == nil {
			return
		}
		if n == 0 {
			if g := groupOf(tablePtr.Elem); g != nil {
				w.emit(dir.Offset, p, w.tt.value(g))
			}
			return
		}
		if n < 1<<32 {
			w.emit(dir.Offset, p, w.tt.array(tablePtr, n))
		}
		return
	}
	bf, ok1 := fields["buckets"]
	B, ok2 := fields["B"]
	if !ok1 || !ok2 || bf.Type.Elem == nil || int(B.Offset) >= len(mem) {
		return
	}
	b := uint64(mem[B.Offset])
	if b > 40 {
		return
	}
	if p, _ := w.word(mem, bf.Offset); p != 0 {
		w.emit(bf.Offset, p, w.countOf(bf.Type.Elem, 1<<b))
	}
	if ob, ok := fields["oldbuckets"]; ok && b > 0 {
		if p, _ := w.word(mem, ob.Offset); p != 0 {
			w.emit(ob.Offset, p, w.countOf(bf.Type.Elem, 1<<(b-1)))
		}
	}
}

// groupOf returns the group type of a table<K,V>.
func groupOf(table *gobinary.Type) *gobinary.Type {
	for _, f := range table.Fields {
		if f.Name == "groups" {
			for _, g := range f.Type.Fields {
				if g.Name == "data" && g.Type.Elem != nil {
					return g.Type.Elem
				}
			}
		}
	}
	return nil
}

// chanHeader walks an hchan<T>: buf holds dataqsiz elements, in a
// separate object when they hold pointers.
func (w *walker) chanHeader(ct *gobinary.Type, mem []byte) {
	h := ct.Impl
	var n, buf uint64
	for _, f := range h.Fields {
		switch f.Name {
		case "dataqsiz":
			n, _ = w.word(mem, f.Offset)
		case "buf":
			buf, _ = w.word(mem, f.Offset)
			if buf != 0 && n > 0 && ct.Elem != nil && ct.Elem.Size > 0 && n < 1<<32 {
				w.emit(f.Offset, buf, w.tt.array(ct.Elem, n))
			}
		case "recvq", "sendq":
			w.value(f.Type, f.Offset, mem)
		}
	}
}
