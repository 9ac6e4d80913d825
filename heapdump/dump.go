package heapdump

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"os"
	"slices"
)

// Dump is an opened heap dump. The file is mapped read-only; object bodies,
// frames and segments are slices of that mapping, valid until Close.
// Per-object state is kept in flat slices indexed by object number; objects
// are numbered in increasing address order (0..NumObjects()-1).
//
// A Dump is safe for concurrent use by multiple goroutines once Open has
// returned (all methods are read-only).
type Dump struct {
	Params Params

	Types        []Type
	Itabs        []Itab
	Goroutines   []Goroutine
	Frames       []StackFrame // grouped by goroutine, see Goroutine.FirstFrame
	Threads      []OSThread
	Data, BSS    Segment     // Size 0 when absent
	Finalizers   []Finalizer // tagFinalizer records then tagQueuedFinalizer records (Queued set)
	Defers       []Defer
	Panics       []Panic
	OtherRoots   []OtherRoot
	MemStats     *MemStats // nil when absent
	MemProf      []MemProfBucket
	AllocSamples []AllocSample

	// Dropped counts the object records the reader did not turn into
	// objects because they are not real allocations (span-tail phantom
	// slots; see layout.go).
	Dropped int

	// Path is the file the dump was read from; Size its length in bytes.
	Path string
	Size int64

	data  []byte       // the mapped file
	unmap func() error // releases data
	objs  objectTable  // per-object state, address order
	rules layoutRules

	findTop []uint64 // Find's summary: objs.addr[k*findStride]

	typeIdx []int32 // indexes of Types sorted by Addr (first record of each address)
	itabIdx []int32 // indexes of Itabs sorted by Addr
}

// Options tune Open. The zero value is the default.
type Options struct {
	// Progress, if non-nil, is called from time to time while the dump is
	// read with the number of bytes consumed so far and the file size.
	Progress func(done, total int64)

	// parallelMin overrides the number of objects above which Open
	// indexes with two goroutines (tests set it to 1).
	parallelMin int
}

// Open maps and indexes the dump at path. Errors in the file's contents
// are *FormatError values naming the byte offset and the record at fault,
// e.g. "heapdump: truncated object record at offset 123456 (file ends at
// 120000)"; I/O errors are wrapped with the path.
func Open(path string, opts *Options) (*Dump, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("heapdump: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("heapdump: %w", err)
	}
	data, unmap, err := mapFile(f, fi.Size())
	if err != nil {
		return nil, fmt.Errorf("heapdump: map %s: %w", path, err)
	}
	d, err := newDump(data, unmap, opts)
	if err != nil {
		return nil, err
	}
	d.Path = path
	return d, nil
}

// newDump indexes a dump held in data; unmap releases data (on error too).
func newDump(data []byte, unmap func() error, opts *Options) (*Dump, error) {
	if opts == nil {
		opts = &Options{}
	}
	d := &Dump{Size: int64(len(data)), data: data, unmap: unmap}
	if uint64(len(data)) > offMask {
		d.Close()
		return nil, fmt.Errorf("heapdump: file of %d bytes is too big", len(data))
	}
	if err := d.parse(opts); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// addrIndex returns the indexes 0..n-1 sorted by addr(i), keeping only the
// first index of each address (types can be dumped more than once).
func addrIndex(n int, addr func(int) uint64) []int32 {
	idx := make([]int32, n)
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortStableFunc(idx, func(a, b int32) int { return cmp.Compare(addr(int(a)), addr(int(b))) })
	return slices.CompactFunc(idx, func(a, b int32) bool { return addr(int(a)) == addr(int(b)) })
}

// lookup finds addr in an index made by addrIndex.
func lookup(idx []int32, a uint64, addr func(int) uint64) int {
	k, found := slices.BinarySearchFunc(idx, a, func(i int32, a uint64) int { return cmp.Compare(addr(int(i)), a) })
	if !found {
		return -1
	}
	return int(idx[k])
}

// Close unmaps the file. Slices returned by the Dump must not be used after.
func (d *Dump) Close() error {
	if d.unmap == nil {
		d.data = nil
		return nil
	}
	err := d.unmap()
	d.unmap = nil
	d.data = nil
	return err
}

// NumObjects returns the number of real heap objects.
func (d *Dump) NumObjects() int { return len(d.objs.addr) }

// Object returns object i (0 <= i < NumObjects()).
func (d *Dump) Object(i int) Object {
	o := Object{Addr: d.objs.addr[i], Size: d.objs.size[i]}
	o.SlotAddr, o.SlotSize = o.Addr, o.Size
	if f := d.objs.off[i]; f&flagHeader != 0 {
		o.SlotAddr -= mallocHeaderSize
		o.SlotSize += mallocHeaderSize
		off := f & offMask
		o.HeaderType = d.Word(d.data[off : off+d.rules.ptrSize])
	}
	return o
}

// Addr returns the user address of object i: cheaper than Object(i).Addr.
func (d *Dump) Addr(i int) uint64 { return d.objs.addr[i] }

// ObjectSize returns the user size of object i.
func (d *Dump) ObjectSize(i int) uint64 { return d.objs.size[i] }

// contentsOff returns the file offset of object i's user bytes.
func (d *Dump) contentsOff(i int) uint64 {
	f := d.objs.off[i]
	off := f & offMask
	if f&flagHeader != 0 {
		off += mallocHeaderSize
	}
	return off
}

// Contents returns the user bytes of object i (Object(i).Size bytes, from
// Object(i).Addr), a slice of the mapped file: never write to it.
func (d *Dump) Contents(i int) []byte {
	off := d.contentsOff(i)
	return d.data[off : off+d.objs.size[i] : off+d.objs.size[i]]
}

// PointerOffsets appends to buf the byte offsets, relative to the user
// address Object(i).Addr, of the pointer slots of object i, in increasing
// order, and returns the extended slice. The malloc header word (if any) is
// not a pointer slot. Pointer values are read from Contents(i).
func (d *Dump) PointerOffsets(i int, buf []uint64) []uint64 {
	f := d.objs.off[i]
	if f&flagHasPtr == 0 {
		return buf
	}
	slot := d.objs.size[i]
	var skip uint64
	if f&flagHeader != 0 {
		slot += mallocHeaderSize
		skip = mallocHeaderSize
	}
	// The field list follows the slot contents in the object record.
	return d.appendFields(buf, (f&offMask)+slot, skip)
}

// Find returns the index of the object whose user range [Addr, Addr+Size)
// contains addr (interior pointers included), or -1.
//
// It searches the small summary (every findStride-th address, which stays
// in cache) first and then one block of findStride addresses: a few cache
// misses instead of one per step of a plain binary search.
func (d *Dump) Find(addr uint64) int {
	top := d.findTop
	lo, hi := 0, len(top)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if top[m] <= addr {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == 0 {
		return -1
	}
	// The object, if any, is in block lo-1.
	a := d.objs.addr
	lo, hi = (lo-1)*findStride, min(lo*findStride, len(a))
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if a[m] <= addr {
			lo = m + 1
		} else {
			hi = m
		}
	}
	i := lo - 1
	if addr-a[i] >= d.objs.size[i] {
		return -1
	}
	return i
}

// findStride is the block size of Find's summary.
const findStride = 64

// buildFindTop makes Find's summary: the address of every findStride-th
// object.
func (d *Dump) buildFindTop() {
	a := d.objs.addr
	d.findTop = make([]uint64, 0, (len(a)+findStride-1)/findStride)
	for i := 0; i < len(a); i += findStride {
		d.findTop = append(d.findTop, a[i])
	}
}

// Word decodes one pointer-sized word from b using the dump's byte order
// and pointer size. b must hold at least Params.PtrSize bytes.
func (d *Dump) Word(b []byte) uint64 {
	if d.Params.PtrSize == 4 {
		if d.Params.BigEndian {
			return uint64(binary.BigEndian.Uint32(b))
		}
		return uint64(binary.LittleEndian.Uint32(b))
	}
	if d.Params.BigEndian {
		return binary.BigEndian.Uint64(b)
	}
	return binary.LittleEndian.Uint64(b)
}

// FrameContents returns the bytes of stack frame f (SP upwards).
func (d *Dump) FrameContents(f *StackFrame) []byte { return d.bytesOf(f.contents) }

// FramePointerOffsets appends the offsets (from f.SP) of the frame's
// pointer slots to buf.
func (d *Dump) FramePointerOffsets(f *StackFrame, buf []uint64) []uint64 {
	if f.fields.len == 0 {
		return buf
	}
	return d.appendFields(buf, f.fields.off, 0)
}

// SegmentContents returns the bytes of a data or bss segment.
func (d *Dump) SegmentContents(s *Segment) []byte { return d.bytesOf(s.contents) }

// SegmentPointerOffsets appends the offsets (from s.Addr) of the segment's
// pointer slots to buf, in increasing order.
func (d *Dump) SegmentPointerOffsets(s *Segment, buf []uint64) []uint64 {
	if s.fields.len == 0 {
		return buf
	}
	return d.appendFields(buf, s.fields.off, 0)
}

// TypeByAddr returns the type record for a runtime type descriptor
// address, or nil.
func (d *Dump) TypeByAddr(addr uint64) *Type {
	i := lookup(d.typeIdx, addr, func(i int) uint64 { return d.Types[i].Addr })
	if i < 0 {
		return nil
	}
	return &d.Types[i]
}

// ItabByAddr returns the itab record at addr, or nil.
func (d *Dump) ItabByAddr(addr uint64) *Itab {
	i := lookup(d.itabIdx, addr, func(i int) uint64 { return d.Itabs[i].Addr })
	if i < 0 {
		return nil
	}
	return &d.Itabs[i]
}

// IndexBytes returns the memory held by the per-object index, in bytes.
func (d *Dump) IndexBytes() int {
	return 8 * (cap(d.objs.addr) + cap(d.objs.size) + cap(d.objs.off) + cap(d.findTop))
}

// bytesOf returns a span of the mapping.
func (d *Dump) bytesOf(s span) []byte {
	return d.data[s.off : s.off+s.len : s.off+s.len]
}

// appendFields decodes a field list that Open has validated, starting at
// file offset off, and appends each pointer slot's offset minus skip.
// Iface and eface fields (not written since Go 1.5) are two pointer slots.
func (d *Dump) appendFields(buf []uint64, off, skip uint64) []uint64 {
	b := d.data[off:]
	ptr := uint64(d.Params.PtrSize)
	for {
		kind, n := binary.Uvarint(b)
		b = b[n:]
		if kind == fieldKindEol {
			return buf
		}
		o, n := binary.Uvarint(b)
		b = b[n:]
		if o < skip {
			continue
		}
		buf = append(buf, o-skip)
		if kind != fieldKindPtr {
			buf = append(buf, o-skip+ptr)
		}
	}
}
