package heapdump

// PageIndex resolves addresses to objects faster than Dump.Find on the
// hot paths that resolve every pointer of the heap (building the graph,
// propagating types): a table of the first object of each heap page
// narrows the binary search to the objects of one page. It costs at most
// about 4 bytes per two objects, so Open does not build one; callers keep
// it only while they need it.
type PageIndex struct {
	d         *Dump
	base, end uint64 // heap range covered: [base, end)
	shift     uint   // page size is 1<<shift
	// first[p] is the number of objects whose address is below the start
	// of page p.
	first []uint32
}

// NewPageIndex indexes the objects of d.
func NewPageIndex(d *Dump) *PageIndex {
	n := d.NumObjects()
	if n == 0 {
		return &PageIndex{d: d}
	}
	x := &PageIndex{d: d, base: d.Addr(0) &^ 4095, end: d.Addr(n-1) + d.ObjectSize(n-1), shift: 12}
	// Sparse heaps get larger pages, keeping the table at most about one
	// entry per two objects.
	for (x.end-x.base)>>x.shift > uint64(n/2+1024) {
		x.shift++
	}
	x.first = make([]uint32, (x.end-x.base)>>x.shift+2)
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

// Find is Dump.Find: the index of the object whose range holds addr, or -1.
func (x *PageIndex) Find(addr uint64) int {
	if addr < x.base || addr >= x.end {
		return -1
	}
	p := (addr - x.base) >> x.shift
	// The object holding addr is the last one starting at or below addr:
	// either one starting in page p or the last one before it.
	lo, hi := int(x.first[p]), int(x.first[p+1])
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if x.d.Addr(m) <= addr {
			lo = m + 1
		} else {
			hi = m
		}
	}
	i := lo - 1
	if i < 0 || addr-x.d.Addr(i) >= x.d.ObjectSize(i) {
		return -1
	}
	return i
}
