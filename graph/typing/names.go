package typing

import (
	"fmt"
	"strings"

	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/heapdump/gobinary"
)

// Apply sets the types, the edge namer and the root namer on g, which
// must have been built from the same dump (node n is object n).
func (t *Types) Apply(g *graph.Graph) error {
	if err := g.SetTypes(t.Names(), t.IDs()); err != nil {
		return err
	}
	g.SetEdgeNamer(edgeNamer{t})
	if t.b != nil {
		g.SetRootNamer(rootNamer{t})
	}
	return nil
}

// Symbolizer names global variables from the executable's symbols.
type Symbolizer struct{ B *gobinary.Binary }

// Global implements graph.Symbolizer.
func (s Symbolizer) Global(addr uint64) (string, uint64, bool) {
	g, off, ok := s.B.Global(addr)
	if !ok {
		return "", 0, false
	}
	return g.Name, off, true
}

type edgeNamer struct{ t *Types }

// FieldName implements graph.EdgeNamer.
func (n edgeNamer) FieldName(from graph.NodeID, off uint64) string {
	return n.t.fieldName(int(from), off)
}

// FieldName names the slot at offset off of object i: "lru",
// "root.next", "[3]", "map value", "" when unknown.
func (t *Types) FieldName(i int, off uint64) string { return t.fieldName(i, off) }

func (t *Types) fieldName(i int, off uint64) string {
	ot := &t.tt.types[t.typ[i]]
	switch ot.shape {
	case shapeClosure:
		if off == 0 {
			return "fn"
		}
		if ot.fn != nil {
			for _, v := range ot.fn.Vars {
				if v.InClosure && v.Type != nil && uint64(v.ClosureOffset) <= off && off < uint64(v.ClosureOffset)+v.Type.Size {
					return join(v.Name, path(v.Type, off-uint64(v.ClosureOffset)))
				}
			}
		}
		return ""
	case shapeMap, shapeChan:
		if ot.elem.Impl != nil {
			return path(ot.elem.Impl, off)
		}
		return ""
	case shapeValue:
	default:
		return ""
	}
	if ot.elem == nil {
		return ""
	}
	if ot.count > 0 {
		es := ot.elem.Size
		if es == 0 || off >= ot.count*es {
			return ""
		}
		p := fmt.Sprintf("[%d]", off/es) + dot(path(ot.elem, off%es))
		if isMapInternal(ot.elem) {
			return mapSlot(p)
		}
		return p
	}
	if isMapInternal(ot.elem) {
		return mapSlot(path(ot.elem, off))
	}
	return path(ot.elem, off)
}

// mapSlot renames the slots of map internals: a Swiss group's
// "[2].slots[3].key.next" or a classic bucket's "[2].keys[3]" become
// "map key.next" / "map value".
func mapSlot(s string) string {
	if i := strings.Index(s, "slots["); i >= 0 {
		rest := s[i+len("slots["):]
		if k := strings.IndexByte(rest, ']'); k >= 0 {
			rest = rest[k+1:]
			switch {
			case strings.HasPrefix(rest, ".key"):
				return "map key" + rest[len(".key"):]
			case strings.HasPrefix(rest, ".elem"):
				return "map value" + rest[len(".elem"):]
			}
		}
	}
	for _, kv := range [...][2]string{{"keys[", "map key"}, {"values[", "map value"}} {
		if i := strings.Index(s, kv[0]); i >= 0 {
			if k := strings.IndexByte(s[i:], ']'); k >= 0 {
				return kv[1] + s[i+k+1:]
			}
		}
	}
	return s
}

// isMapInternal reports a Swiss group or classic bucket type.
func isMapInternal(t *gobinary.Type) bool {
	n := cleanName(t.Name)
	return strings.HasPrefix(n, "map.group[") || strings.HasPrefix(n, "bucket<")
}

func dot(s string) string {
	if s == "" || s[0] == '[' {
		return s
	}
	return "." + s
}

func join(a, b string) string {
	if b == "" {
		return a
	}
	if b[0] == '[' {
		return a + b
	}
	return a + "." + b
}

// path names offset off in a value of type t: "lru.root.next", "[3]",
// "" for the value itself.
func path(t *gobinary.Type, off uint64) string {
	var sb strings.Builder
	for depth := 0; t != nil && depth < 64; depth++ {
		switch t.Kind {
		case gobinary.KindStruct:
			f := t.FieldAt(off)
			if f == nil || t.Name == "string" || strings.HasPrefix(t.Name, "[]") {
				return sb.String()
			}
			if sb.Len() > 0 {
				sb.WriteByte('.')
			}
			sb.WriteString(f.Name)
			off -= f.Offset
			t = f.Type
		case gobinary.KindArray:
			if t.Elem == nil || t.Elem.Size == 0 {
				return sb.String()
			}
			fmt.Fprintf(&sb, "[%d]", off/t.Elem.Size)
			off %= t.Elem.Size
			t = t.Elem
		default:
			return sb.String()
		}
	}
	return sb.String()
}

type rootNamer struct{ t *Types }

// RootSlotName implements graph.RootNamer: the variable path of a global
// slot ("" for a pointer variable itself: the root's name says it), the
// local variable of a stack slot.
func (n rootNamer) RootSlotName(r *graph.Root, off uint64) string {
	t := n.t
	switch r.Kind {
	case graph.RootFinalizer:
		// The finalized object's own slots (see graph.FinalizerObjChild).
		if off >= graph.FinalizerObjChild && r.Object != graph.NoNode {
			if f := t.fieldName(int(r.Object), off-graph.FinalizerObjChild); f != "" {
				return "obj." + f
			}
		}
	case graph.RootGlobal:
		g, goff, ok := t.b.Global(r.Addr + off)
		if !ok || g.Type == nil {
			return ""
		}
		return path(g.Type, goff)
	case graph.RootStack:
		if r.Depth < 0 {
			return ""
		}
		fi, ok := t.frames.byGoDep[[2]uint64{r.Goroutine, uint64(r.Depth)}]
		if !ok {
			return ""
		}
		f := &t.d.Frames[fi]
		_, slots := t.frames.slots(fi)
		for _, s := range slots {
			at := int64(f.ContentsSize) + s.CFAOff
			if int64(off) >= at && int64(off) < at+int64(s.Size) {
				return join(s.Var.Name, path(s.Var.Type, s.VarOff+off-uint64(at)))
			}
		}
		// The bottom of a frame holds the arguments of the function it
		// calls, at the callee's CFA.
		callee, ok := t.frames.byGoDep[[2]uint64{r.Goroutine, uint64(r.Depth) - 1}]
		if r.Depth == 0 || !ok {
			return ""
		}
		fn, slots := t.frames.slots(callee)
		for _, s := range slots {
			if s.CFAOff >= 0 && off >= uint64(s.CFAOff) && off < uint64(s.CFAOff)+s.Size {
				return join(s.Var.Name, path(s.Var.Type, s.VarOff+off-uint64(s.CFAOff))) + " (argument of " + fn.Name + ")"
			}
		}
	}
	return ""
}

// MapInternal reports whether object i is part of a map's inside rather
// than a value of the program: a Swiss table, its directory or group
// array, or a classic map's bucket array. A chain or picture may fold such
// objects into the map that holds them.
func (t *Types) MapInternal(i int) bool {
	ot := &t.tt.types[t.typ[i]]
	if ot.shape != shapeValue || ot.elem == nil {
		return false
	}
	n := cleanName(ot.elem.Name)
	return isMapInternal(ot.elem) || strings.HasPrefix(n, "table<") || strings.HasPrefix(n, "*table<")
}
