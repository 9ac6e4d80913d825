package heapdump

import (
	"fmt"
	"math"
)

// Flags kept in the high bits of a slot's file offset (objectTable.off,
// slotChunk entries). Open refuses files of 2^60 bytes or more.
const (
	flagHeader = 1 << 63 // the slot starts with a malloc header
	flagHasPtr = 1 << 62 // the field list is not empty
	flagPtrAt0 = 1 << 61 // the field list has a field at slot offset 0
	// flagPhantom marks a slot in a span's metadata tail (layout.go),
	// set while parsing, dropped by layout.
	flagPhantom = 1 << 60
	offMask     = 1<<60 - 1
)

// progressStep is how many bytes are decoded between Progress calls.
const progressStep = 16 << 20

// objectTable is the per-object state: three flat slices indexed by object
// number, in address order (24 bytes per object).
type objectTable struct {
	addr []uint64 // user address (slot address + malloc header)
	size []uint64 // user size
	off  []uint64 // file offset of the slot contents | flags
}

// run is a stretch of consecutive object records whose slots ascend and
// cannot interleave with any other record's slot (see addObject).
type run struct {
	first    int    // index of the run's first object
	end      int    // index after its last object (set by layout)
	lo       uint64 // slot address of its first object
	phantoms int    // how many of its slots are phantoms
	out      int    // index of its first object in the table (set by layout)
}

// parser holds the state of one pass over the file.
type parser struct {
	r       reader
	d       *Dump
	opts    *Options
	ptrSize uint64

	slots slotChunks
	runs  []run
	rules layoutRules
	group spanGroup // the small-object span being read
	// prevEnd is the end of the previous object's slot, for run splitting.
	prevEnd uint64

	haveData, haveBSS, haveMemStats bool
}

// parse decodes every record of the file into d.
func (d *Dump) parse(opts *Options) error {
	p := &parser{
		r:    reader{b: d.data, strs: make(map[string]string)},
		d:    d,
		opts: opts,
	}
	if err := p.records(); err != nil {
		return err
	}
	// layout looks types up (malloc header words).
	d.typeIdx = addrIndex(len(d.Types), func(i int) uint64 { return d.Types[i].Addr })
	d.itabIdx = addrIndex(len(d.Itabs), func(i int) uint64 { return d.Itabs[i].Addr })
	parallelMin := defaultParallelMin
	if opts.parallelMin > 0 {
		parallelMin = opts.parallelMin
	}
	if err := d.layout(&p.slots, p.runs, parallelMin); err != nil {
		return err
	}
	d.buildFindTop()
	return nil
}

func (p *parser) records() error {
	r := &p.r
	if len(r.b) < len(header) || string(r.b[:len(header)]) != header {
		n := min(len(r.b), len(header))
		return &FormatError{Offset: 0, Record: "header", Msg: "not a heap dump: bad header",
			Detail: fmt.Sprintf("want %q, file starts with %q", header, r.b[:n])}
	}
	r.pos = len(header)
	nextProgress := math.MaxInt
	if p.opts.Progress != nil {
		nextProgress = progressStep
	}
	for first := true; ; first = false {
		// Most records are objects, often thousands in a row: they skip
		// the bookkeeping below.
		for !first && r.pos < nextProgress && r.pos < len(r.b) && r.b[r.pos] == tagObject {
			p.object(r.pos)
			if r.err != nil {
				return r.err
			}
		}
		if r.pos >= nextProgress {
			p.opts.Progress(int64(r.pos), int64(len(r.b)))
			nextProgress = r.pos + progressStep
		}
		r.recStart = r.pos
		r.rec = "record"
		if r.pos >= len(r.b) {
			return &FormatError{Offset: int64(r.pos), Record: "EOF", Msg: "truncated dump: missing EOF record",
				Detail: fmt.Sprintf("file ends at %d", len(r.b))}
		}
		tag := r.uvarint()
		if r.err != nil {
			return r.err
		}
		r.rec = recordName(tag)
		if first != (tag == tagParams) {
			if first {
				return &FormatError{Offset: int64(r.recStart), Record: r.rec,
					Msg: "params record missing: first record is " + r.rec}
			}
			return &FormatError{Offset: int64(r.recStart), Record: r.rec, Msg: "duplicate params record"}
		}
		switch tag {
		case tagEOF:
			if r.pos != len(r.b) {
				return &FormatError{Offset: int64(r.recStart), Record: r.rec, Msg: "data after EOF record",
					Detail: fmt.Sprintf("%d bytes follow", len(r.b)-r.pos)}
			}
			p.endGroup()
			if p.opts.Progress != nil {
				p.opts.Progress(int64(len(r.b)), int64(len(r.b)))
			}
			return nil
		case tagObject:
			p.object(r.recStart)
		case tagParams:
			p.params()
		case tagType:
			p.typ()
		case tagItab:
			it := Itab{Addr: r.uvarint(), TypeAddr: r.uvarint()}
			p.d.Itabs = append(p.d.Itabs, it)
		case tagOtherRoot:
			or := OtherRoot{Description: r.str(), Addr: r.uvarint()}
			p.d.OtherRoots = append(p.d.OtherRoots, or)
		case tagGoroutine:
			p.goroutine()
		case tagStackFrame:
			p.frame()
		case tagOSThread:
			t := OSThread{Addr: r.uvarint(), ID: r.uvarint(), ProcID: r.uvarint()}
			p.d.Threads = append(p.d.Threads, t)
		case tagData:
			p.segment(&p.d.Data, &p.haveData)
		case tagBSS:
			p.segment(&p.d.BSS, &p.haveBSS)
		case tagFinalizer, tagQueuedFinalizer:
			f := Finalizer{Obj: r.uvarint(), Fn: r.uvarint(), FnPC: r.uvarint(),
				ArgType: r.uvarint(), ObjType: r.uvarint(), Queued: tag == tagQueuedFinalizer}
			p.d.Finalizers = append(p.d.Finalizers, f)
		case tagDefer:
			df := Defer{Addr: r.uvarint(), Goroutine: r.uvarint(), SP: r.uvarint(), PC: r.uvarint(),
				Fn: r.uvarint(), FnPC: r.uvarint(), Link: r.uvarint()}
			p.d.Defers = append(p.d.Defers, df)
		case tagPanic:
			pn := Panic{Addr: r.uvarint(), Goroutine: r.uvarint(), ArgType: r.uvarint(),
				ArgData: r.uvarint(), Defer: r.uvarint(), Link: r.uvarint()}
			p.d.Panics = append(p.d.Panics, pn)
		case tagMemStats:
			p.memStats()
		case tagMemProf:
			p.memProf()
		case tagAllocSample:
			s := AllocSample{Addr: r.uvarint(), Bucket: r.uvarint()}
			p.d.AllocSamples = append(p.d.AllocSamples, s)
		default:
			return &FormatError{Offset: int64(r.recStart), Record: "unknown",
				Msg: fmt.Sprintf("unknown record tag %d", tag)}
		}
		if r.err != nil {
			return r.err
		}
	}
}

func (p *parser) params() {
	r := &p.r
	var pr Params
	pr.BigEndian = r.boolean()
	ptrSize := r.uvarint()
	pr.ArenaStart = r.uvarint()
	pr.ArenaEnd = r.uvarint()
	pr.GOARCH = r.str()
	pr.GoVersion = r.str()
	pr.NCPU = r.uvarint()
	if r.err != nil {
		return
	}
	if ptrSize != 4 && ptrSize != 8 {
		r.fail("bad pointer size in params record", fmt.Sprintf("pointer size %d, want 4 or 8", ptrSize))
		return
	}
	pr.PtrSize = int(ptrSize)
	p.ptrSize = ptrSize
	p.d.Params = pr
	p.rules = rulesFor(pr)
	p.d.rules = p.rules
}

func (p *parser) typ() {
	r := &p.r
	t := Type{Addr: r.uvarint(), Size: r.uvarint(), RawName: r.str(), Indirect: r.boolean()}
	t.Name, t.NameBroken = normaliseTypeName(t.RawName)
	p.d.Types = append(p.d.Types, t)
}

// object decodes the object record at start (its one-byte tag):
// address, contents, field list. It is
// the hot path (most of a dump is object records), so it decodes with
// local variables and no error bookkeeping; anything unusual (a varint
// running off the end or overflowing, an iface/eface or unknown field, a
// field outside the object, an empty object) sends it to objectChecked,
// which decodes the record again with full checks.
func (p *parser) object(start int) {
	b := p.r.b
	pos := start + 1 // after the one-byte tag
	ptrSize := p.ptrSize
	// Each varint is decoded inline when it is one byte, by uvarintAt
	// otherwise: the call costs more than the decoding.
	var addr, size uint64
	if uint(pos) < uint(len(b)) && b[pos] < 0x80 {
		addr, pos = uint64(b[pos]), pos+1
	} else {
		addr, pos = uvarintAt(b, pos)
	}
	if uint(pos) < uint(len(b)) && b[pos] < 0x80 {
		size, pos = uint64(b[pos]), pos+1
	} else {
		size, pos = uvarintAt(b, pos)
	}
	if pos < 0 || size == 0 || size > uint64(len(b)-pos) || addr+size < addr || size < ptrSize {
		p.objectChecked(start)
		return
	}
	off := uint64(pos)
	pos += int(size)
	limit := size - ptrSize // largest valid pointer field offset
	var next uint64         // smallest valid offset for the next field
	for {
		var kind, fo uint64
		if uint(pos) < uint(len(b)) && b[pos] < 0x80 {
			kind, pos = uint64(b[pos]), pos+1
		} else {
			kind, pos = uvarintAt(b, pos)
		}
		if kind != fieldKindPtr {
			if kind == fieldKindEol && pos >= 0 {
				break
			}
			p.objectChecked(start)
			return
		}
		if uint(pos) < uint(len(b)) && b[pos] < 0x80 {
			fo, pos = uint64(b[pos]), pos+1
		} else {
			fo, pos = uvarintAt(b, pos)
		}
		if pos < 0 || fo > limit || fo < next {
			p.objectChecked(start)
			return
		}
		next = fo + ptrSize
		off |= flagHasPtr
		if fo == 0 {
			off |= flagPtrAt0
		}
	}
	p.r.pos = pos
	p.addObject(addr, size, off)
}

// objectChecked decodes the object record at start with every check.
func (p *parser) objectChecked(start int) {
	r := &p.r
	r.recStart, r.rec, r.pos = start, recordName(tagObject), start+1
	addr := r.uvarint()
	contents := r.bytes()
	if r.err != nil {
		return
	}
	size := contents.len
	if size == 0 {
		r.fail("empty object record", fmt.Sprintf("object at %#x", addr))
		return
	}
	if addr+size < addr {
		r.fail("object record beyond the address space", fmt.Sprintf("object at %#x, %d bytes", addr, size))
		return
	}
	_, hasPtr, at0 := r.fields(size, p.ptrSize, "object", true)
	if r.err != nil {
		return
	}
	off := contents.off
	if hasPtr {
		off |= flagHasPtr
	}
	if at0 {
		off |= flagPtrAt0
	}
	p.addObject(addr, size, off)
}

// uvarintAt decodes a uvarint at b[i:] and returns it with the offset
// after it, or a negative offset if i is negative or the varint runs off b
// or overflows 64 bits.
func uvarintAt(b []byte, i int) (uint64, int) {
	if i < 0 {
		return 0, -1
	}
	var v uint64
	for shift := uint(0); shift < 64 && i < len(b); shift += 7 {
		c := b[i]
		i++
		if shift == 63 && c > 1 {
			return 0, -1
		}
		if c < 0x80 {
			return v | uint64(c)<<shift, i
		}
		v |= uint64(c&0x7f) << shift
	}
	return 0, -1
}

// addObject appends a slot and tracks runs. The runtime writes objects span
// by span, in address order within a span, but spans in allspans order. A
// new run starts when the address goes down, or when it jumps over a gap
// that crosses a page boundary: a gap inside one page lies inside one span,
// whose objects are all in this stretch of records, so no other record's
// slot can sit in it. Sorting the runs by their first address then sorts
// all objects, unless the dump has overlapping slots (checked in layout).
func (p *parser) addObject(addr, size, off uint64) {
	n := p.slots.n
	if n == 0 || addr < p.prevEnd || (addr != p.prevEnd && (p.prevEnd-1)>>pageShift != addr>>pageShift) {
		p.runs = append(p.runs, run{first: n, lo: addr})
	}
	p.prevEnd = addr + size
	// Group the slots of small-object spans to find their phantom slots.
	if g := &p.group; g.active && (size != g.size || addr>>pageShift != g.page) {
		p.endGroup()
	}
	if (p.rules.allocHeaders || p.rules.greenTea) && size <= p.rules.heapBitsMax {
		g := &p.group
		if !g.active {
			*g = spanGroup{active: true, first: n, page: addr >> pageShift, size: size}
		}
		g.scan = g.scan || off&flagHasPtr != 0
	}
	p.slots.add(addr, size, off)
}

// endGroup marks the phantom slots of the group being read, if any.
func (p *parser) endGroup() {
	if p.group.active {
		p.rules.markPhantoms(&p.slots, p.group, p.runs)
		p.group.active = false
	}
}

func (p *parser) goroutine() {
	r := &p.r
	g := Goroutine{
		Addr: r.uvarint(), SP: r.uvarint(), ID: r.uvarint(), GoPC: r.uvarint(),
		Status: r.uvarint(), IsSystem: r.boolean(), IsBackground: r.boolean(),
		WaitSince: r.uvarint(), WaitReason: r.str(), Ctxt: r.uvarint(),
		M: r.uvarint(), Defer: r.uvarint(), Panic: r.uvarint(),
	}
	g.FirstFrame = len(p.d.Frames)
	p.d.Goroutines = append(p.d.Goroutines, g)
}

func (p *parser) frame() {
	r := &p.r
	if len(p.d.Goroutines) == 0 {
		r.fail("stack frame record before any goroutine record", "")
		return
	}
	f := StackFrame{SP: r.uvarint(), Depth: r.uvarint(), ChildSP: r.uvarint()}
	f.contents = r.bytes()
	f.ContentsSize = f.contents.len
	f.EntryPC = r.uvarint()
	f.PC = r.uvarint()
	f.ContinuePC = r.uvarint()
	f.Func = r.str()
	f.fields, _, _ = r.fields(f.contents.len, p.ptrSize, "frame", false)
	if r.err != nil {
		return
	}
	g := &p.d.Goroutines[len(p.d.Goroutines)-1]
	f.Goroutine = len(p.d.Goroutines) - 1
	g.NumFrames++
	p.d.Frames = append(p.d.Frames, f)
}

func (p *parser) segment(s *Segment, seen *bool) {
	r := &p.r
	if *seen {
		r.fail("duplicate "+r.rec+" record", "")
		return
	}
	*seen = true
	s.Addr = r.uvarint()
	s.contents = r.bytes()
	s.Size = s.contents.len
	s.fields, _, _ = r.fields(s.Size, p.ptrSize, "segment", true)
}

func (p *parser) memStats() {
	r := &p.r
	if p.haveMemStats {
		r.fail("duplicate memstats record", "")
		return
	}
	p.haveMemStats = true
	m := new(MemStats)
	for _, f := range []*uint64{
		&m.Alloc, &m.TotalAlloc, &m.Sys, &m.Lookups, &m.Mallocs, &m.Frees,
		&m.HeapAlloc, &m.HeapSys, &m.HeapIdle, &m.HeapInuse, &m.HeapReleased, &m.HeapObjects,
		&m.StackInuse, &m.StackSys, &m.MSpanInuse, &m.MSpanSys, &m.MCacheInuse, &m.MCacheSys,
		&m.BuckHashSys, &m.GCSys, &m.OtherSys, &m.NextGC, &m.LastGC, &m.PauseTotalNs,
	} {
		*f = r.uvarint()
	}
	for i := range m.PauseNs {
		m.PauseNs[i] = r.uvarint()
	}
	m.NumGC = r.uvarint()
	p.d.MemStats = m
}

func (p *parser) memProf() {
	r := &p.r
	b := MemProfBucket{Addr: r.uvarint(), Size: r.uvarint()}
	n := r.uvarint()
	if r.err != nil {
		return
	}
	// Each frame takes at least 3 bytes (two empty strings and a line):
	// bound the allocation by what the file can hold.
	if n > uint64(len(r.b)-r.pos)/3 {
		r.fail("truncated memprof bucket record", fmt.Sprintf("%d frames cannot fit before the end of the file at %d", n, len(r.b)))
		return
	}
	b.Stack = make([]MemProfFrame, n)
	for i := range b.Stack {
		b.Stack[i] = MemProfFrame{Func: r.str(), File: r.str(), Line: r.uvarint()}
	}
	b.Allocs = r.uvarint()
	b.Frees = r.uvarint()
	p.d.MemProf = append(p.d.MemProf, b)
}
