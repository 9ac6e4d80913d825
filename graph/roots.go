package graph

import (
	"fmt"

	"github.com/heapgraph/heapgraph/heapdump"
)

// DumpRoots collects the GC roots of a dump and the objects they hold.
//
//   - Globals: the pointer slots of the data and bss segments. With a
//     Symbolizer, one root per variable (Off is the slot's offset in the
//     variable), and one per static object the linker placed in data
//     without a symbol, named after the global pointing to it (see
//     globals.go); without one, or for slots it cannot place, one root per
//     slot named "data+0x1f0" / "bss+0x88" (Off 0).
//   - Stacks: one root per goroutine stack frame (Off is the slot's offset
//     from the frame's SP), plus one for a goroutine's scheduler context
//     (Depth -1) when it points into the heap.
//   - Finalizers: as the runtime's GC does (gcScanFinalizer), a finalizer
//     keeps its closure (Off RootFieldFn) and everything its object points
//     to (Off FinalizerObjChild + slot offset), but not the object itself.
//     Build drops the latter edges when the object is reachable anyway (see
//     Build), so a finalizer root may end up with no edges; it stays in the
//     list, as the record that the object has a finalizer (HasFinalizer).
//     A queued finalizer keeps its object (Off RootFieldObj) and closure.
//   - Defers keep their closure (RootFieldFn), panics their value
//     (RootFieldObj), other roots (tagOtherRoot) their address.
//
// Only roots holding at least one object are returned; a root slot whose
// non-nil value points into no object is counted in Dropped.
func DumpRoots(d *heapdump.Dump, sym Symbolizer) *RootSet {
	c := rootCollector{d: d, rs: &RootSet{}}
	c.globals(sym)
	c.stacks()
	c.finalizers()
	c.defersAndPanics()
	for _, o := range d.OtherRoots {
		c.add(Root{Kind: RootOther, Name: o.Description, Addr: o.Addr}, []ptrSlot{{RootFieldObj, o.Addr}})
	}
	return c.rs
}

// ptrSlot is one candidate root pointer: a slot offset and the value in it.
type ptrSlot struct {
	off, val uint64
}

type rootCollector struct {
	d     *heapdump.Dump
	rs    *RootSet
	offs  []uint64
	slots []ptrSlot
}

// add appends root r if at least one of its slots points into an object.
func (c *rootCollector) add(r Root, slots []ptrSlot) {
	if r.Kind != RootFinalizer {
		r.Object = NoNode
	}
	idx := len(c.rs.Roots)
	found := false
	for _, s := range slots {
		if s.val == 0 {
			continue
		}
		j := c.d.Find(s.val)
		if j < 0 {
			c.rs.Dropped++
			continue
		}
		found = true
		c.rs.Edges = append(c.rs.Edges, RootEdge{Root: idx, Off: s.off, To: NodeID(j)})
	}
	if found {
		c.rs.Roots = append(c.rs.Roots, r)
	}
}

// memSlots reads the pointer slots at offs of b.
func (c *rootCollector) memSlots(b []byte, offs []uint64) []ptrSlot {
	ptr := uint64(c.d.Params.PtrSize)
	c.slots = c.slots[:0]
	for _, off := range offs {
		if off+ptr <= uint64(len(b)) {
			c.slots = append(c.slots, ptrSlot{off, c.d.Word(b[off:])})
		}
	}
	return c.slots
}

func (c *rootCollector) stacks() {
	d := c.d
	for gi := range d.Goroutines {
		gr := &d.Goroutines[gi]
		prefix := fmt.Sprintf("goroutine %d", gr.ID)
		if gr.WaitReason != "" {
			prefix += " [" + gr.WaitReason + "]"
		}
		for fi := gr.FirstFrame; fi < gr.FirstFrame+gr.NumFrames && fi < len(d.Frames); fi++ {
			f := &d.Frames[fi]
			c.offs = d.FramePointerOffsets(f, c.offs[:0])
			slots := c.memSlots(d.FrameContents(f), c.offs)
			c.add(Root{
				Kind: RootStack, Name: fmt.Sprintf("%s %s (frame %d)", prefix, f.Func, f.Depth),
				Addr: f.SP, Goroutine: gr.ID, WaitReason: gr.WaitReason, Func: f.Func, Depth: int(f.Depth),
			}, slots)
		}
		if gr.Ctxt != 0 {
			c.add(Root{
				Kind: RootStack, Name: prefix + " scheduler context", Addr: gr.Addr,
				Goroutine: gr.ID, WaitReason: gr.WaitReason, Depth: -1,
			}, []ptrSlot{{0, gr.Ctxt}})
		}
	}
}

func (c *rootCollector) finalizers() {
	d := c.d
	for _, f := range d.Finalizers {
		obj := NodeID(NoNode)
		if j := d.Find(f.Obj); j >= 0 {
			obj = NodeID(j)
		}
		r := Root{Kind: RootFinalizer, Addr: f.Obj, Object: obj, Queued: f.Queued}
		var slots []ptrSlot
		if f.Queued {
			r.Name = fmt.Sprintf("queued finalizer on %#x", f.Obj)
			slots = append(slots, ptrSlot{RootFieldObj, f.Obj})
		} else {
			r.Name = fmt.Sprintf("finalizer on %#x", f.Obj)
			if obj != NoNode {
				c.offs = d.PointerOffsets(int(obj), c.offs[:0])
				for _, s := range c.memSlots(d.Contents(int(obj)), c.offs) {
					slots = append(slots, ptrSlot{FinalizerObjChild + s.off, s.val})
				}
			}
		}
		slots = append(slots, ptrSlot{RootFieldFn, f.Fn})
		c.add(r, slots)
	}
}

func (c *rootCollector) defersAndPanics() {
	d := c.d
	goid := make(map[uint64]uint64, len(d.Goroutines))
	for _, g := range d.Goroutines {
		goid[g.Addr] = g.ID
	}
	for _, df := range d.Defers {
		id := goid[df.Goroutine]
		c.add(Root{Kind: RootDefer, Name: fmt.Sprintf("defer in goroutine %d", id), Addr: df.Addr, Goroutine: id},
			[]ptrSlot{{RootFieldFn, df.Fn}})
	}
	for _, p := range d.Panics {
		id := goid[p.Goroutine]
		c.add(Root{Kind: RootPanic, Name: fmt.Sprintf("panic in goroutine %d", id), Addr: p.Addr, Goroutine: id},
			[]ptrSlot{{RootFieldObj, p.ArgData}})
	}
}
