package heapdump

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
)

// This file turns the runtime's allocation slots, as dumpobjs writes them,
// into the objects Go code sees. Three corrections are needed; each is
// derived from the runtime sources of Go 1.22 to 1.27 (runtime/mheap.go
// initSpan, runtime/mbitmap.go, runtime/malloc.go,
// runtime/mgcmark_greenteagc.go, internal/runtime/gc/malloc.go and
// sizeclasses.go), which agree on the arithmetic below.
//
// Constants (all Go versions, all architectures):
//
//	pageSize               = 8192 (gc.PageShift = 13)
//	maxSmallSize           = 32768: the largest size class
//	mallocHeaderSize       = 8 (also on 32-bit: gc.MallocHeaderSize is a
//	                         constant 8, the type pointer then padding)
//	minSizeForMallocHeader = PtrSize * 8*PtrSize: 512 on 64-bit, 128 on
//	                         32-bit; heapBitsInSpan(size) is
//	                         size <= minSizeForMallocHeader
//
// # Malloc headers (Go 1.22 and later; GOEXPERIMENT=noallocheaders in 1.22
// turns them off)
//
// mallocgc puts a pointer-holding object whose size class is above
// minSizeForMallocHeader and at most maxSmallSize in a scan span and writes
// its *_type in the first 8 bytes of the slot; the caller gets slot+8.
// dumpobj writes the slot (address and elemsize bytes), and makeheapobjbv
// reports pointer offsets from the slot address, skipping the header
// (typePointersOfUnchecked: addr += MallocHeaderSize). So for these slots
// the object is [slot+8, slot+elemsize) and no field lies at offset 0.
// Noscan objects have no header and no pointer fields; large objects
// (size class 0, one object per span) keep their type in mspan.largeType,
// which is not dumped, and have no header.
//
// The one ambiguous slot size is 32768: a small object of class 67 (a
// pointer-holding request of 32761..32768-8 bytes plus its header) or a
// 4-page large object (a pointer-holding request of 32761..32768 bytes is
// "large" because size > maxSmallSize-mallocHeaderSize). A large object
// has no header; if its first word is a pointer the field list says so
// (offset 0), otherwise its first word is data. A header word is a type
// descriptor address: non-zero, pointer aligned, outside the heap arenas,
// near the module's other static addresses (dumped types, itabs, data,
// bss). isHeaderWord applies those tests. Types made at run time by reflect
// live in the heap; a 32768-byte slot holding such a type is read as a
// large object (its Addr is then 8 bytes low): a documented limitation.
//
// # Phantom slots (Go 1.22 and later)
//
// dumpobjs walks n = npages*8192/elemsize slots per in-use span and skips
// those isFree reports free, but it only asks isFree for the first nelems
// slots. initSpan makes nelems smaller than n when the end of a 1-page span
// is reserved for metadata:
//
//   - heap bits: scan spans (span class not noscan) of classes with
//     heapBitsInSpan(elemsize) keep their pointer bitmap, 8192/PtrSize/8
//     bytes (128 on 64-bit, 256 on 32-bit), at the end of the span.
//   - Green Tea inline mark bits (GOEXPERIMENT=greenteagc: on by default
//     from Go 1.26, opt-in in 1.25, "X:nogreenteagc" turns it off):
//     spans of classes with heapBitsInSpan(elemsize) && elemsize >= 16,
//     scan or not, end with a spanInlineMarkBits of 128 bytes
//     (scans [63]uint8, owned uint8, marks [63]uint8, class uint8).
//
// With Green Tea, nelems = (8192 - reserve) / elemsize where reserve adds
// both; without it, nelems = (8192 - 8192/PtrSize/8) / elemsize for scan
// spans with heap bits, 8192/elemsize otherwise. The slots j with
// nelems <= j < n overlap the metadata, are never free, and are dumped as
// objects: they are dropped here (Dump.Dropped). For example an 8-byte scan
// span has n = 1024 and nelems = 1008: 16 phantom slots holding heap bits.
//
// The dump does not say whether a span is scan or noscan. Every object of
// a scan span has a pointer type and so at least one pointer field, while
// makeheapobjbv reports none for a noscan span: a span is taken as scan
// when any of its dumped slots has a pointer field. (A scan span whose
// real slots are all free and whose phantom slots show no pointer bits is
// taken as noscan; its phantoms then hold all-zero heap bits that are kept
// unless the noscan rule drops them too.) All classes with
// heapBitsInSpan are 1-page spans (malloc.go checks this at start-up), so
// a slot's span starts at slot &^ 8191. The parser groups the consecutive
// records of one such span (dumpobjs writes a span's slots together) and
// flags the phantoms when the group ends (markPhantoms).
//
// Not handled: user arena chunks (GOEXPERIMENT=arenas) are multi-page
// spans with heap bits; their slots are kept as dumped.
//
// # Go before 1.22
//
// No malloc headers and nelems == n: slots are objects.

const (
	pageShift        = 13
	pageSize         = 1 << pageShift
	maxSmallSize     = 32768
	mallocHeaderSize = 8
	inlineMarkBytes  = 128 // unsafe.Sizeof(spanInlineMarkBits{})
)

// layoutRules are the allocator facts of the dumping program's runtime.
type layoutRules struct {
	ptrSize      uint64
	allocHeaders bool   // malloc headers and heap bits in small scan spans
	greenTea     bool   // inline mark bits at the end of small spans
	heapBitsMax  uint64 // minSizeForMallocHeader
}

// rulesFor derives the layout rules from the params record.
func rulesFor(pr Params) layoutRules {
	v := parseGoVersion(pr.GoVersion)
	ptr := uint64(pr.PtrSize)
	rules := layoutRules{ptrSize: ptr, heapBitsMax: ptr * 8 * ptr}
	switch {
	case v.minor < 22:
	case v.minor == 22:
		// Go 1.22 had the allocheaders experiment on by default.
		rules.allocHeaders = v.experiment("allocheaders") >= 0
	default:
		rules.allocHeaders = true
	}
	switch {
	case v.minor < 25:
	case v.minor == 25:
		rules.greenTea = v.experiment("greenteagc") > 0
	default:
		rules.greenTea = v.experiment("greenteagc") >= 0
	}
	return rules
}

// nelems returns initSpan's number of real slots in a 1-page span of
// elemsize bytes, scan or noscan.
func (l layoutRules) nelems(elemsize uint64, scan bool) uint64 {
	heapBits := pageSize / l.ptrSize / 8
	inSpan := elemsize <= l.heapBitsMax
	if l.greenTea {
		var reserve uint64
		if inSpan && elemsize >= 16 {
			reserve += inlineMarkBytes
		}
		if inSpan && scan {
			reserve += heapBits
		}
		return (pageSize - reserve) / elemsize
	}
	if l.allocHeaders && inSpan && scan {
		return (pageSize - heapBits) / elemsize
	}
	return pageSize / elemsize
}

// spanGroup is the run of consecutive object records that share a 1-page
// span of a small size class, while the parser reads them.
type spanGroup struct {
	active     bool
	first      int    // index of the group's first slot
	page, size uint64 // page number (slot >> pageShift) and slot size
	scan       bool   // some slot has a pointer field
}

// markPhantoms flags the slots of a finished group that lie in its span's
// metadata tail (slot index >= nelems) and counts them in their runs. The
// runtime writes a span's slots together and in address order, so a group
// is a whole span.
func (l layoutRules) markPhantoms(slots *slotChunks, g spanGroup, runs []run) {
	// Slot j is phantom iff j >= nelems, i.e. it starts at or above the
	// end of the last real slot (no division per slot).
	end := g.page<<pageShift + l.nelems(g.size, g.scan)*g.size
	k := len(runs) - 1
	for i := slots.n - 1; i >= g.first; i-- {
		if s := slots.at(i); s.addr >= end {
			s.off |= flagPhantom
			for runs[k].first > i {
				k--
			}
			runs[k].phantoms++
		}
	}
}

// defaultParallelMin is the number of slots above which layout splits its
// work between two goroutines.
const defaultParallelMin = 1 << 16

// layout builds the object table: slots in address order (runs sorted by
// first address, see addObject), phantoms dropped, header slots turned into
// their user range, and checks that no two slots overlap. If the runs do
// not give sorted slots (only a malformed dump should get there), every
// slot is sorted one by one and overlap is an error.
//
// Each run's place in the table is known in advance (its slots minus its
// phantoms), so two goroutines fill the two halves.
func (d *Dump) layout(slots *slotChunks, runs []run, parallelMin int) error {
	// Runs are in file order: each ends where the next begins.
	for k := range runs {
		runs[k].end = slots.n
		if k+1 < len(runs) {
			runs[k].end = runs[k+1].first
		}
	}
	slices.SortStableFunc(runs, func(a, b run) int { return cmp.Compare(a.lo, b.lo) })
	n, dropped, half := 0, 0, 0
	for k := range runs {
		runs[k].out = n
		n += runs[k].end - runs[k].first - runs[k].phantoms
		dropped += runs[k].phantoms
		if n <= (slots.n-dropped)/2 {
			half = k + 1
		}
	}
	t := objectTable{addr: make([]uint64, n), size: make([]uint64, n), off: make([]uint64, n)}
	static := d.staticRange()
	var ok bool
	if slots.n < parallelMin {
		ok = d.fill(t, slots, runs, static)
	} else {
		var wg sync.WaitGroup
		var okHigh bool
		wg.Go(func() { okHigh = d.fill(t, slots, runs[half:], static) })
		ok = d.fill(t, slots, runs[:half], static)
		wg.Wait()
		ok = ok && okHigh
		// The halves meet at runs[half].out: check that boundary.
		if b := runs[min(half, len(runs)-1)].out; ok && b > 0 && b < n {
			ok = t.slotAddr(b) >= t.addr[b-1]+t.size[b-1]
		}
	}
	if !ok {
		return d.layoutSlow(slots)
	}
	d.Dropped = dropped
	d.objs = t.trimmed()
	return nil
}

// fill copies the slots of runs into their places in t, dropping phantoms
// and applying malloc headers. It reports false if two slots overlap or the
// phantom counts are off.
func (d *Dump) fill(t objectTable, slots *slotChunks, runs []run, static staticRange) bool {
	if len(runs) == 0 {
		return true
	}
	w := runs[0].out
	var prevEnd uint64
	for _, r := range runs {
		if w != r.out {
			return false
		}
		for i := r.first; i < r.end; {
			// Slots i.. of run r that are in one chunk.
			chunk := slots.chunks[i/chunkLen][i&(chunkLen-1):]
			chunk = chunk[:min(len(chunk), r.end-i)]
			i += len(chunk)
			for _, s := range chunk {
				if s.off&flagPhantom != 0 {
					continue
				}
				if s.addr < prevEnd || w >= len(t.addr) {
					return false
				}
				prevEnd = s.addr + s.size
				if d.mayHaveHeader(s.size, s.off) {
					s.addr, s.size, s.off = d.applyHeader(s.addr, s.size, s.off, static)
				}
				t.addr[w], t.size[w], t.off[w] = s.addr, s.size, s.off
				w++
			}
		}
	}
	return true
}

// slotAddr returns the slot address of object i.
func (o objectTable) slotAddr(i int) uint64 {
	if o.off[i]&flagHeader != 0 {
		return o.addr[i] - mallocHeaderSize
	}
	return o.addr[i]
}

// layoutSlow is layout for slots the runs do not sort.
func (d *Dump) layoutSlow(slots *slotChunks) error {
	var t objectTable
	dropped := 0
	for i := range slots.n {
		s := slots.at(i)
		if s.off&flagPhantom != 0 {
			dropped++
			continue
		}
		t.addr = append(t.addr, s.addr)
		t.size = append(t.size, s.size)
		t.off = append(t.off, s.off)
	}
	t.sortEach()
	for i := 1; i < len(t.addr); i++ {
		if t.addr[i] < t.addr[i-1]+t.size[i-1] {
			// Name the record written last of the two.
			a, b := t.recordOffset(i-1), t.recordOffset(i)
			return &FormatError{Offset: max(a, b), Record: "object", Msg: "overlapping object records",
				Detail: fmt.Sprintf("object at %#x (%d bytes, record at offset %d) overlaps object at %#x (%d bytes, record at offset %d)",
					t.addr[i-1], t.size[i-1], a, t.addr[i], t.size[i], b)}
		}
	}
	static := d.staticRange()
	for i := range t.addr {
		if d.mayHaveHeader(t.size[i], t.off[i]) {
			t.addr[i], t.size[i], t.off[i] = d.applyHeader(t.addr[i], t.size[i], t.off[i], static)
		}
	}
	d.Dropped = dropped
	d.objs = t.trimmed()
	return nil
}

// mayHaveHeader reports whether a slot is in a class with malloc headers
// and its field list allows one (a header object has pointers, none at
// slot offset 0).
func (d *Dump) mayHaveHeader(size, off uint64) bool {
	l := &d.rules
	return l.allocHeaders && size > l.heapBitsMax && size <= maxSmallSize &&
		off&(flagHasPtr|flagPtrAt0) == flagHasPtr
}

// applyHeader turns a slot that mayHaveHeader into its user range, except
// for a 32768-byte slot whose first word cannot be a type pointer.
func (d *Dump) applyHeader(addr, size, off uint64, static staticRange) (uint64, uint64, uint64) {
	if size == maxSmallSize {
		o := off & offMask
		if !d.isHeaderWord(d.Word(d.data[o:o+d.rules.ptrSize]), static) {
			return addr, size, off
		}
	}
	return addr + mallocHeaderSize, size - mallocHeaderSize, off | flagHeader
}

// staticRange is the span of addresses the dump shows to be in the
// executable's static data: types, itabs, data and bss.
type staticRange struct {
	lo, hi uint64 // lo > hi when nothing is known
}

// staticSlack is how far from a known static address a type descriptor
// may be: the types area of a big executable is tens of MB.
const staticSlack = 1 << 30

func (d *Dump) staticRange() staticRange {
	s := staticRange{lo: ^uint64(0)}
	add := func(a uint64) {
		if a == 0 {
			return
		}
		s.lo = min(s.lo, a)
		s.hi = max(s.hi, a)
	}
	for _, t := range d.Types {
		add(t.Addr)
	}
	for _, it := range d.Itabs {
		add(it.Addr)
	}
	add(d.Data.Addr)
	add(d.BSS.Addr)
	return s
}

// isHeaderWord reports whether w can be a malloc header: a pointer to a
// type descriptor in the executable.
func (d *Dump) isHeaderWord(w uint64, static staticRange) bool {
	if w < pageSize || w%d.rules.ptrSize != 0 {
		return false
	}
	if d.TypeByAddr(w) != nil {
		return true
	}
	if w >= d.Params.ArenaStart && w < d.Params.ArenaEnd {
		return false
	}
	if static.lo > static.hi {
		return true
	}
	return w+staticSlack >= static.lo && w <= static.hi+staticSlack
}

// sortEach sorts the slots one by one (the slow path).
func (o *objectTable) sortEach() {
	idx := make([]int32, len(o.addr))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortStableFunc(idx, func(a, b int32) int { return cmp.Compare(o.addr[a], o.addr[b]) })
	sorted := objectTable{addr: make([]uint64, len(idx)), size: make([]uint64, len(idx)), off: make([]uint64, len(idx))}
	for w, i := range idx {
		sorted.addr[w], sorted.size[w], sorted.off[w] = o.addr[i], o.size[i], o.off[i]
	}
	*o = sorted
}

// trimmed returns the table in slices without spare capacity, so that
// the index costs 24 bytes per object.
func (o objectTable) trimmed() objectTable {
	if cap(o.addr) <= len(o.addr)+len(o.addr)/16 {
		return o
	}
	return objectTable{addr: slices.Clone(o.addr), size: slices.Clone(o.size), off: slices.Clone(o.off)}
}

// recordOffset returns the file offset of object i's record: its contents
// offset minus the tag, address and length varints before it.
func (o *objectTable) recordOffset(i int) int64 {
	slot, size := o.addr[i], o.size[i]
	if o.off[i]&flagHeader != 0 {
		slot -= mallocHeaderSize
		size += mallocHeaderSize
	}
	return int64(o.off[i]&offMask) - int64(1+uvarintLen(slot)+uvarintLen(size))
}

// uvarintLen is the encoded length of v.
func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}
