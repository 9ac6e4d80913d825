package typing

import "github.com/heapgraph/heapgraph/heapdump"

// finder resolves pointers to objects faster than Dump.Find on the hot
// path of propagation: a table of the first object of each heap page
// narrows the binary search to the objects of one page. It costs about 4
// bytes per two objects and lives as long as New.
//
// graph keeps a similar index while it builds; heapdump.Dump.Find could
// adopt one for everyone.
type finder struct {
	d         *heapdump.Dump
	base, end uint64 // heap range covered
	shift     uint   // page size 1<<shift
	first     []uint32
}

func newFinder(d *heapdump.Dump) *finder {
	n := d.NumObjects()
	if n == 0 {
		return &finder{d: d}
	}
	f := &finder{d: d, base: d.Addr(0) &^ 4095, end: d.Addr(n-1) + d.ObjectSize(n-1), shift: 12}
	for (f.end-f.base)>>f.shift > uint64(n/2+1024) {
		f.shift++ // sparse heap: bigger pages, a table of at most ~n/2 entries
	}
	f.first = make([]uint32, (f.end-f.base)>>f.shift+2)
	i := 0
	for p := range f.first {
		lim := f.base + uint64(p)<<f.shift
		for i < n && d.Addr(i) < lim {
			i++
		}
		f.first[p] = uint32(i)
	}
	return f
}

// find returns the object whose range holds addr, or -1.
func (f *finder) find(addr uint64) int {
	if addr < f.base || addr >= f.end {
		return -1
	}
	p := (addr - f.base) >> f.shift
	// The last object starting at or below addr starts in page p or is the
	// last one before it.
	lo, hi := int(f.first[p]), int(f.first[p+1])
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if f.d.Addr(m) <= addr {
			lo = m + 1
		} else {
			hi = m
		}
	}
	i := lo - 1
	if i < 0 || addr-f.d.Addr(i) >= f.d.ObjectSize(i) {
		return -1
	}
	return i
}
