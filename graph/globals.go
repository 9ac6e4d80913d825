package graph

import (
	"fmt"
	"slices"

	"github.com/heapgraph/heapgraph/heapdump"
)

// A global like `var p = &T{...}` is a pointer to a T the linker placed in
// the data segment without a symbol of its own. The heap objects that T
// points to are held by data slots no Symbolizer can name, yet the program
// sees them as reached through p. To name such roots, each pointer from
// data or bss into data or bss at an address with no symbol is taken as the
// start of a static object, and an unnamed slot belongs to the nearest such
// start below it, provided no named slot lies in between. The object's root
// is named after the first (lowest-addressed) slot pointing to it:
// "(*main.p)", or "(*(*main.p)+0x10)" through another static object.

// globalSlot is one pointer slot of the data or bss segment.
type globalSlot struct {
	addr, val uint64
	seg       *heapdump.Segment
	segName   string

	name   string // from the Symbolizer; "" when unnamed
	symOff uint64 // offset in the named variable
	static int    // unnamed slot: index into staticObjects.starts of its object, or -1
}

// staticObject is a static object in data or bss found by a pointer to it.
type staticObject struct {
	addr uint64
	ref  int // index of the lowest-addressed slot pointing to addr
}

func (c *rootCollector) globals(sym Symbolizer) {
	var slots []globalSlot
	for _, s := range []struct {
		seg  *heapdump.Segment
		name string
	}{{&c.d.Data, "data"}, {&c.d.BSS, "bss"}} {
		if s.seg.Size == 0 {
			continue
		}
		c.offs = c.d.SegmentPointerOffsets(s.seg, c.offs[:0])
		for _, p := range c.memSlots(c.d.SegmentContents(s.seg), c.offs) {
			slots = append(slots, globalSlot{addr: s.seg.Addr + p.off, val: p.val, seg: s.seg, segName: s.name, static: -1})
		}
	}
	slices.SortStableFunc(slots, func(a, b globalSlot) int { return cmpUint64(a.addr, b.addr) })

	if sym == nil {
		for _, s := range slots {
			c.add(Root{Kind: RootGlobal, Name: fmt.Sprintf("%s+%#x", s.segName, s.addr-s.seg.Addr), Addr: s.addr, Segment: s.segName},
				[]ptrSlot{{0, s.val}})
		}
		return
	}
	for i := range slots {
		if name, off, ok := sym.Global(slots[i].addr); ok {
			slots[i].name, slots[i].symOff = name, off
		}
	}
	statics := c.findStatics(slots, sym)
	names := make([]string, len(statics))
	vias := make([]string, len(statics))
	for k := range statics {
		names[k], vias[k] = staticName(slots, statics, k)
	}

	for i := 0; i < len(slots); {
		s := slots[i]
		switch {
		case s.name != "":
			base := s.addr - s.symOff
			var group []ptrSlot
			for ; i < len(slots) && slots[i].name == s.name && slots[i].addr-slots[i].symOff == base; i++ {
				group = append(group, ptrSlot{slots[i].addr - base, slots[i].val})
			}
			c.add(Root{Kind: RootGlobal, Name: s.name, Addr: base, Segment: s.segName, Symbol: s.name}, group)
		case s.static >= 0:
			k := s.static
			base := statics[k].addr
			var group []ptrSlot
			for ; i < len(slots) && slots[i].name == "" && slots[i].static == k; i++ {
				group = append(group, ptrSlot{slots[i].addr - base, slots[i].val})
			}
			c.add(Root{Kind: RootGlobal, Name: names[k], Addr: base, Segment: s.segName, Via: vias[k]}, group)
		default:
			c.add(Root{Kind: RootGlobal, Name: fmt.Sprintf("%s+%#x", s.segName, s.addr-s.seg.Addr), Addr: s.addr, Segment: s.segName},
				[]ptrSlot{{0, s.val}})
			i++
		}
	}
}

// findStatics lists the static objects (pointer targets in data or bss
// with no symbol) and sets the static field of the unnamed slots inside
// one.
func (c *rootCollector) findStatics(slots []globalSlot, sym Symbolizer) []staticObject {
	inSegments := func(v uint64) bool {
		for _, seg := range []*heapdump.Segment{&c.d.Data, &c.d.BSS} {
			if seg.Size != 0 && v >= seg.Addr && v-seg.Addr < seg.Size {
				return true
			}
		}
		return false
	}
	var statics []staticObject
	for i, s := range slots {
		if s.val != 0 && inSegments(s.val) {
			if _, _, named := sym.Global(s.val); !named {
				statics = append(statics, staticObject{addr: s.val, ref: i})
			}
		}
	}
	// Slots are in address order, so after a stable sort the first of
	// each address has the lowest-addressed referrer.
	slices.SortStableFunc(statics, func(a, b staticObject) int { return cmpUint64(a.addr, b.addr) })
	statics = slices.CompactFunc(statics, func(a, b staticObject) bool { return a.addr == b.addr })

	k := 0 // statics[:k] start at or below the current slot
	lastNamed, anyNamed := uint64(0), false
	for i := range slots {
		s := &slots[i]
		for k < len(statics) && statics[k].addr <= s.addr {
			k++
		}
		if s.name != "" {
			lastNamed, anyNamed = s.addr, true
			continue
		}
		if k > 0 && (!anyNamed || statics[k-1].addr > lastNamed) && statics[k-1].addr >= s.seg.Addr {
			s.static = k - 1
		}
	}
	return statics
}

// staticName names static object k after the slot pointing to it, through
// at most a few other static objects, and returns the named global at the
// top ("" if there is none).
func staticName(slots []globalSlot, statics []staticObject, k int) (name, via string) {
	holder := ""
	seen := map[int]bool{}
	var suffix []string
	for {
		ref := slots[statics[k].ref]
		if ref.name != "" {
			holder, via = ref.name, ref.name
			if ref.symOff != 0 {
				holder = fmt.Sprintf("%s+%#x", ref.name, ref.symOff)
			}
			break
		}
		if ref.static < 0 || seen[ref.static] || len(seen) == 4 {
			holder = fmt.Sprintf("%s+%#x", ref.segName, ref.addr-ref.seg.Addr)
			break
		}
		seen[k] = true
		suffix = append(suffix, fmt.Sprintf("+%#x", ref.addr-statics[ref.static].addr))
		k = ref.static
	}
	name = "(*" + holder + ")"
	for i := len(suffix) - 1; i >= 0; i-- {
		name = "(*" + name + suffix[i] + ")"
	}
	return name, via
}

func cmpUint64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
