package graph

import "github.com/heapgraph/heapgraph/heapdump"

// addrIndex speeds up the resolution of pointers while a graph is built:
// it narrows Dump.Find's binary search over all objects to the objects
// starting in one page of the heap. It costs at most 4 bytes per two
// objects and lives only as long as Build.
type addrIndex struct {
	d         *heapdump.Dump
	base, end uint64 // heap range covered: [base, end)
	shift     uint   // page size is 1<<shift
	// first[p] is the number of objects whose address is below the start
	// of page p.
	first []uint32
}

// newAddrIndex indexes the objects of d, or returns nil if d has none.
func newAddrIndex(d *heapdump.Dump) *addrIndex {
	n := d.NumObjects()
	if n == 0 {
		return nil
	}
	x := &addrIndex{d: d, base: d.Addr(0) &^ 4095, end: d.Addr(n-1) + d.ObjectSize(n-1), shift: 12}
	// Sparse heaps get larger pages, keeping the table at most about one
	// entry per two objects.
	for (x.end-x.base)>>x.shift > uint64(n/2+1024) {
		x.shift++
	}
	pages := int((x.end-x.base)>>x.shift) + 1
	x.first = make([]uint32, pages+1)
	i := 0
	for p := range x.first {
		lim := x.base + uint64(p)<<x.shift
		for i < n && d.Addr(i) < lim {
			i++
		}
		x.first[p] = uint32(i)
	}
	return x
}

// find is Dump.Find: the object whose range holds v, or -1.
func (x *addrIndex) find(v uint64) int {
	if v < x.base || v >= x.end {
		return -1
	}
	p := (v - x.base) >> x.shift
	// The object holding v is the last one starting at or below v: either
	// one starting in page p or the last one before it.
	lo, hi := int(x.first[p]), int(x.first[p+1])
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if x.d.Addr(m) <= v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	i := lo - 1
	if i < 0 || v-x.d.Addr(i) >= x.d.ObjectSize(i) {
		return -1
	}
	return i
}
