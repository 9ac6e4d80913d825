package main

import (
	"bytes"
	endian "encoding/binary"
	"fmt"
	"math"
	"regexp"
	"strconv"

	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/graph/report"
	"github.com/heapgraph/heapgraph/heapdump/gobinary"
)

// Bounds of the field list of `object`: a 32 KiB array would otherwise
// print thousands of lines.
const (
	maxFieldRows   = 200 // fields (or raw words) listed
	maxArrayInline = 16  // elements of an array field listed one by one
	maxFieldDepth  = 8   // nested structs and arrays walked
)

// fieldReader reads the values of one object's fields from the dump,
// following string data pointers into the heap (or the executable, for
// strings the linker placed there).
type fieldReader struct {
	h         *heap
	mem       []byte // the object's bytes
	maxString int
	order     endian.ByteOrder

	rows []report.FieldValue
	more int
}

// fields lists the fields of node n and their values: the DWARF layout of
// its type when known, else its raw words (pointer slots marked).
func (h *heap) fields(n graph.NodeID, maxString int) ([]report.FieldValue, int) {
	r := &fieldReader{h: h, mem: h.dump.Contents(int(n)), maxString: maxString, order: endian.LittleEndian}
	if h.dump.Params.BigEndian {
		r.order = endian.BigEndian
	}
	name := h.g.TypeName(n)
	t, count := h.layout(name)
	if t != nil && count == 0 && t.Kind == gobinary.KindArray && t.Elem != nil && t.Elem.Size > 0 && !isByte(t.Elem) {
		t, count = t.Elem, t.Len // an array object: its elements one by one
	}
	switch {
	case name == "string data":
		// The slot is the string's size rounded up to a size class: the
		// bytes after the string are zeros.
		b := bytes.TrimRight(r.mem, "\x00")
		r.add(0, "", "string data", r.quote(b, uint64(len(b))))
	case t != nil && count > 0:
		for k := uint64(0); k < count && (k+1)*t.Size <= uint64(len(r.mem)); k++ {
			r.walk(t, k*t.Size, fmt.Sprintf("[%d]", k), 0)
		}
	case t != nil:
		r.walk(t, 0, "", 0)
	default:
		r.rawWords(int(n))
	}
	if r.rows == nil {
		r.rows = []report.FieldValue{}
	}
	return r.rows, r.more
}

var arrayName = regexp.MustCompile(`^\[(\d+)\](.+)$`)

// layout finds the DWARF type behind an object type name: one value of
// t (count 0), or count values of t for an array the executable has no
// type of its own for. Map headers and channels are laid out as the
// runtime struct behind them.
func (h *heap) layout(name string) (*gobinary.Type, uint64) {
	if h.bin == nil || name == "" {
		return nil, 0
	}
	if t := h.bin.TypeByName(name); t != nil {
		return runtimeLayout(t), 0
	}
	if m := arrayName.FindStringSubmatch(name); m != nil {
		n, err := strconv.ParseUint(m[1], 10, 64)
		if t := h.bin.TypeByName(m[2]); err == nil && t != nil && t.Size > 0 {
			return t, n
		}
	}
	return nil, 0
}

// runtimeLayout is the layout of a heap object named after t: a map or
// channel object is the runtime's struct behind the map or channel value.
func runtimeLayout(t *gobinary.Type) *gobinary.Type {
	switch t.Kind {
	case gobinary.KindMap, gobinary.KindChan:
		return t.Impl // nil (raw words) when DWARF does not say
	case gobinary.KindFunc:
		return nil // a closure: code pointer and captures, not described
	}
	return t
}

func (r *fieldReader) add(off uint64, name, typ, value string) {
	if len(r.rows) >= maxFieldRows {
		r.more++
		return
	}
	r.rows = append(r.rows, report.FieldValue{Offset: off, Name: name, Type: typ, Value: value})
}

// walk lists the value of type t at offset off, flattening structs and
// short arrays into dotted names.
func (r *fieldReader) walk(t *gobinary.Type, off uint64, name string, depth int) {
	if off+t.Size > uint64(len(r.mem)) {
		return
	}
	switch t.Kind {
	case gobinary.KindStruct:
		if depth < maxFieldDepth && len(t.Fields) > 0 {
			for _, f := range t.Fields {
				if f.Type == nil || f.Type.Size == 0 || f.Name == "_" {
					continue
				}
				r.walk(f.Type, off+f.Offset, joinField(name, f.Name), depth+1)
			}
			return
		}
	case gobinary.KindArray:
		if t.Elem != nil && t.Elem.Size > 0 && t.Len <= maxArrayInline && depth < maxFieldDepth && !isByte(t.Elem) {
			for k := uint64(0); k < t.Len; k++ {
				r.walk(t.Elem, off+k*t.Elem.Size, fmt.Sprintf("%s[%d]", name, k), depth+1)
			}
			return
		}
	}
	r.add(off, name, t.Name, r.value(t, off))
}

func joinField(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func isByte(t *gobinary.Type) bool {
	return t.Kind == gobinary.KindUint8 || t.Kind == gobinary.KindInt8
}

// value formats the value of type t at offset off of the object.
func (r *fieldReader) value(t *gobinary.Type, off uint64) string {
	b := r.mem[off : off+t.Size]
	switch t.Kind {
	case gobinary.KindBool:
		return strconv.FormatBool(b[0] != 0)
	case gobinary.KindInt, gobinary.KindInt8, gobinary.KindInt16, gobinary.KindInt32, gobinary.KindInt64:
		return strconv.FormatInt(r.signed(b), 10)
	case gobinary.KindUint, gobinary.KindUint8, gobinary.KindUint16, gobinary.KindUint32, gobinary.KindUint64:
		return strconv.FormatUint(r.unsigned(b), 10)
	case gobinary.KindUintptr:
		return fmt.Sprintf("%#x", r.unsigned(b))
	case gobinary.KindFloat32:
		return strconv.FormatFloat(float64(math.Float32frombits(uint32(r.unsigned(b)))), 'g', -1, 32)
	case gobinary.KindFloat64:
		return strconv.FormatFloat(math.Float64frombits(r.unsigned(b)), 'g', -1, 64)
	case gobinary.KindComplex64:
		re, im := math.Float32frombits(uint32(r.unsigned(b[:4]))), math.Float32frombits(uint32(r.unsigned(b[4:8])))
		return fmt.Sprint(complex(re, im))
	case gobinary.KindComplex128:
		re, im := math.Float64frombits(r.unsigned(b[:8])), math.Float64frombits(r.unsigned(b[8:16]))
		return fmt.Sprint(complex(re, im))
	case gobinary.KindPointer, gobinary.KindUnsafePointer, gobinary.KindMap, gobinary.KindChan, gobinary.KindFunc:
		return pointerText(r.word(off))
	case gobinary.KindString:
		return r.stringValue(r.word(off), r.word(off+8))
	case gobinary.KindSlice:
		p, n, c := r.word(off), r.word(off+8), r.word(off+16)
		if p == 0 && n == 0 && c == 0 {
			return "nil"
		}
		return fmt.Sprintf("len %d cap %d %s", n, c, pointerText(p))
	case gobinary.KindInterface:
		return r.interfaceValue(t, off)
	case gobinary.KindArray:
		if t.Elem != nil && isByte(t.Elem) {
			return r.quote(b, uint64(len(b)))
		}
		return fmt.Sprintf("%d elements", t.Len)
	}
	return fmt.Sprintf("% x", b[:min(len(b), 16)])
}

func (r *fieldReader) word(off uint64) uint64 { return r.order.Uint64(r.mem[off : off+8]) }

func (r *fieldReader) unsigned(b []byte) uint64 {
	switch len(b) {
	case 1:
		return uint64(b[0])
	case 2:
		return uint64(r.order.Uint16(b))
	case 4:
		return uint64(r.order.Uint32(b))
	case 8:
		return r.order.Uint64(b)
	}
	return 0
}

func (r *fieldReader) signed(b []byte) int64 {
	v := r.unsigned(b)
	switch len(b) {
	case 1:
		return int64(int8(v))
	case 2:
		return int64(int16(v))
	case 4:
		return int64(int32(v))
	}
	return int64(v)
}

func pointerText(p uint64) string {
	if p == 0 {
		return "nil"
	}
	return fmt.Sprintf("%#x", p)
}

// interfaceValue names the dynamic type of an interface value (from the
// executable's type descriptors, or the dump's itab records) and its data
// word.
func (r *fieldReader) interfaceValue(t *gobinary.Type, off uint64) string {
	tw, data := r.word(off), r.word(off+8)
	if tw == 0 {
		return "nil"
	}
	typeAddr := tw
	if len(t.Fields) > 0 && t.Fields[0].Name == "tab" {
		typeAddr = 0
		if it := r.h.dump.ItabByAddr(tw); it != nil {
			typeAddr = it.TypeAddr
		} else if w, ok := r.h.bin.ReadWord(tw + 8); ok {
			typeAddr = w // itab.Type follows itab.Inter
		}
	}
	name := "?"
	if dt := r.h.bin.TypeByRuntimeAddr(typeAddr); dt != nil {
		name = dt.Name
	} else if rt := r.h.dump.TypeByAddr(typeAddr); rt != nil && rt.Name != "" {
		name = rt.Name
	}
	return name + " " + pointerText(data)
}

// stringValue reads a string's bytes from the heap object holding them, or
// from the executable for a string the linker placed in it, and quotes up
// to maxString of them.
func (r *fieldReader) stringValue(p, n uint64) string {
	if n == 0 {
		return `""`
	}
	want := min(n, uint64(r.maxString))
	if j := r.h.dump.Find(p); j >= 0 {
		mem := r.h.dump.Contents(j)
		start := p - r.h.dump.Addr(j)
		if start+want <= uint64(len(mem)) {
			return r.quote(mem[start:start+want], n)
		}
	}
	if r.h.bin != nil {
		var b []byte
		for k := uint64(0); k < want; k += 8 {
			w, ok := r.h.bin.ReadWord(p + k)
			if !ok {
				break
			}
			b = endian.LittleEndian.AppendUint64(b, w)
		}
		if uint64(len(b)) >= want {
			return r.quote(b[:want], n)
		}
	}
	return fmt.Sprintf("(%d bytes at %#x, not in the dump)", n, p)
}

// quote shows up to maxString bytes of b as a Go string literal, and the
// full length n when the text is cut.
func (r *fieldReader) quote(b []byte, n uint64) string {
	if uint64(len(b)) > uint64(r.maxString) {
		b = b[:r.maxString]
	}
	s := strconv.Quote(string(b))
	if uint64(len(b)) < n {
		s += fmt.Sprintf("... (%d bytes)", n)
	}
	return s
}

// rawWords lists the words of an object whose type is not known, marking
// those the GC treats as pointers.
func (r *fieldReader) rawWords(i int) {
	ptrs := map[uint64]bool{}
	for _, off := range r.h.dump.PointerOffsets(i, nil) {
		ptrs[off] = true
	}
	for off := uint64(0); off+8 <= uint64(len(r.mem)); off += 8 {
		kind := "word"
		if ptrs[off] {
			kind = "pointer"
		}
		r.add(off, "", kind, fmt.Sprintf("%#016x", r.word(off)))
	}
}
