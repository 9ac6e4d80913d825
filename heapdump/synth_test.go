package heapdump

import (
	"bytes"
	"slices"
	"testing"
)

// A hand-built 32-bit big-endian dump (GOARCH mips, Go 1.26 rules) with one
// record of every kind, checking every field the reader exposes and the
// 32-bit layout arithmetic: minSizeForMallocHeader = 4*32 = 128, heap bits
// 8192/4/8 = 256 bytes, inline mark bits 128 bytes, malloc header 8 bytes.
const (
	arenaLo = 0x10000000
	arenaHi = 0x14000000
	typeA   = 0x08100000 // a type descriptor in the executable
	typeB   = 0x08100040
	itabA   = 0x08200000
	dataLo  = 0x08300000
	bssLo   = 0x08400000
)

func synth32(t *testing.T) []byte { return synth32Sized(true) }

// synth32Sized makes the synthetic dump, with or without its three
// 32768-byte objects (the fuzzer wants small seeds).
func synth32Sized(withBig bool) []byte {
	w := newDumpWriter(4, true)
	w.params(arenaLo, arenaHi, "mips", "go1.26.8")
	w.typ(typeA, 136, "main.T", true)
	w.uvarint(tagItab, itabA, typeA)
	w.typ(typeB, 4, "internal/poll.", false)

	// 8-byte scan span at arenaLo: e < 16, so no inline mark bits; heap
	// bits reserve 256 bytes: nelems = (8192-256)/8 = 992 of 1024 slots.
	span8 := uint64(arenaLo)
	w.object(span8, w.words(8, span8+8), 0)          // slot 0, points at slot 1
	w.object(span8+8, w.words(8, 0), 0)              // slot 1
	w.object(span8+991*8, w.words(8, 0), 0)          // slot 991: last real one
	w.object(span8+992*8, w.words(8, ^uint64(0)), 0) // phantom: heap bits
	w.object(span8+1023*8, w.words(8, 0), 0)         // phantom

	// 16-byte noscan span: inline mark bits only: (8192-128)/16 = 504.
	span16 := uint64(arenaLo + pageSize)
	w.object(span16, make([]byte, 16))
	w.object(span16+503*16, make([]byte, 16))
	w.object(span16+504*16, bytes.Repeat([]byte{0x55}, 16)) // phantom

	// 144-byte scan objects (above 128: malloc header) and a noscan one.
	span144 := uint64(arenaLo + 2*pageSize)
	w.object(span144, w.words(144, typeA, 0, span8), 8)
	w.object(span144+144, make([]byte, 144))

	// 32768-byte slots: large (pointer at 0), small with a header (type
	// word), large whose first word is a heap address (not a header).
	big := uint64(arenaLo + 4*pageSize)
	if withBig {
		w.object(big, w.words(32768, span8), 0, 8)
		w.object(big+32768, w.words(32768, typeB, 0, span8), 8)
		w.object(big+2*32768, w.words(32768, span8, span8), 4)
	}

	// Goroutine 1 with two frames, a defer and a panic; goroutine 2 bare.
	w.uvarint(tagGoroutine, 0x11000000, 0x12000f00, 1, 0x08001000, 4).boolean(false).boolean(false)
	w.uvarint(77).str("chan receive").uvarint(0, 0x11100000, 0x11200000, 0x11300000)
	w.uvarint(tagStackFrame, 0x12000f00, 0, 0).bytes(w.words(16, span16, 0))
	w.uvarint(0x08002000, 0x08002010, 0x08002010).str("main.leaf").ptrFields(0)
	w.uvarint(tagStackFrame, 0x12000f10, 1, 0x12000f00).bytes(w.words(8))
	w.uvarint(0x08003000, 0x08003020, 0x08003024).str("main.main").ptrFields()
	w.uvarint(tagDefer, 0x11200000, 0x11000000, 0x12000f10, 0x08003030, 0x08500000, 0x08003100, 0)
	w.uvarint(tagPanic, 0x11300000, 0x11000000, typeB, span8, 0, 0)
	w.uvarint(tagGoroutine, 0x11000100, 0x12001f00, 2, 0x08001000, 1).boolean(true).boolean(false)
	w.uvarint(0).str("").uvarint(0, 0, 0, 0)

	w.uvarint(tagOSThread, 0x11400000, 0, 1234)
	w.uvarint(tagData, dataLo).bytes(w.words(16, 0, span144+8)).ptrFields(4)
	w.uvarint(tagBSS, bssLo).bytes(w.words(8, big)).ptrFields(0)
	w.uvarint(tagFinalizer, span144+8, 0x08500010, 0x08004000, typeA, typeB)
	w.uvarint(tagQueuedFinalizer, span16, 0x08500020, 0x08004100, typeB, typeA)
	w.uvarint(tagOtherRoot).str("other").uvarint(span8)
	w.uvarint(tagMemStats)
	for i := range 24 + 256 + 1 {
		w.uvarint(uint64(i))
	}
	w.uvarint(tagMemProf, 0x11500000, 144, 2).str("main.alloc").str("main.go").uvarint(12)
	w.str("(0x1234)").str("?").uvarint(0).uvarint(10, 3)
	w.uvarint(tagAllocSample, span144, 0x11500000)
	return w.eof()
}

func TestSynthetic32BitBigEndian(t *testing.T) {
	d, err := Open(writeTemp(t, synth32(t)), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()

	if p := d.Params; !p.BigEndian || p.PtrSize != 4 || p.ArenaStart != arenaLo || p.ArenaEnd != arenaHi ||
		p.GOARCH != "mips" || p.GoVersion != "go1.26.8" || p.NCPU != 4 {
		t.Errorf("params = %+v", p)
	}
	if d.Dropped != 3 {
		t.Errorf("Dropped = %d, want 3 (two 8-byte and one 16-byte phantom slots)", d.Dropped)
	}
	span8, span16, span144, big := uint64(arenaLo), uint64(arenaLo+pageSize), uint64(arenaLo+2*pageSize), uint64(arenaLo+4*pageSize)
	want := []Object{
		{Addr: span8, Size: 8, SlotAddr: span8, SlotSize: 8},
		{Addr: span8 + 8, Size: 8, SlotAddr: span8 + 8, SlotSize: 8},
		{Addr: span8 + 991*8, Size: 8, SlotAddr: span8 + 991*8, SlotSize: 8},
		{Addr: span16, Size: 16, SlotAddr: span16, SlotSize: 16},
		{Addr: span16 + 503*16, Size: 16, SlotAddr: span16 + 503*16, SlotSize: 16},
		{Addr: span144 + 8, Size: 136, SlotAddr: span144, SlotSize: 144, HeaderType: typeA},
		{Addr: span144 + 144, Size: 144, SlotAddr: span144 + 144, SlotSize: 144},
		{Addr: big, Size: 32768, SlotAddr: big, SlotSize: 32768},
		{Addr: big + 32768 + 8, Size: 32760, SlotAddr: big + 32768, SlotSize: 32768, HeaderType: typeB},
		{Addr: big + 2*32768, Size: 32768, SlotAddr: big + 2*32768, SlotSize: 32768},
	}
	if d.NumObjects() != len(want) {
		t.Fatalf("NumObjects = %d, want %d", d.NumObjects(), len(want))
	}
	wantPtrs := [][]uint64{{0}, {0}, {0}, nil, nil, {0}, nil, {0, 8}, {0}, {4}}
	for i, w := range want {
		if got := d.Object(i); got != w {
			t.Errorf("Object(%d) = %+v, want %+v", i, got, w)
		}
		if d.Addr(i) != w.Addr || d.ObjectSize(i) != w.Size || uint64(len(d.Contents(i))) != w.Size {
			t.Errorf("object %d: Addr %#x ObjectSize %d len(Contents) %d", i, d.Addr(i), d.ObjectSize(i), len(d.Contents(i)))
		}
		if got := d.PointerOffsets(i, nil); !slices.Equal(got, wantPtrs[i]) {
			t.Errorf("PointerOffsets(%d) = %v, want %v", i, got, wantPtrs[i])
		}
		if d.Find(w.Addr) != i || d.Find(w.Addr+w.Size-1) != i {
			t.Errorf("Find(%#x) = %d, Find(last byte) = %d, want %d", w.Addr, d.Find(w.Addr), d.Find(w.Addr+w.Size-1), i)
		}
	}
	// Big-endian words: object 0 points at object 1; the header object's
	// first user word (slot offset 8, after the type word and 4 bytes of
	// padding) points at span8.
	if v := d.Word(d.Contents(0)); v != span8+8 {
		t.Errorf("object 0 word = %#x, want %#x", v, span8+8)
	}
	if v := d.Word(d.Contents(5)); v != span8 {
		t.Errorf("header object word 0 = %#x, want %#x", v, span8)
	}
	for _, a := range []uint64{span8 + 16, span144, span144 + 4, span16 + 504*16, arenaLo - 1, arenaHi} {
		if i := d.Find(a); i != -1 {
			t.Errorf("Find(%#x) = %d (%+v), want -1", a, i, d.Object(i))
		}
	}

	if len(d.Types) != 2 || d.Types[0] != (Type{Addr: typeA, Size: 136, Name: "main.T", RawName: "main.T", Indirect: true}) ||
		d.Types[1] != (Type{Addr: typeB, Size: 4, Name: "", NameBroken: true, RawName: "internal/poll."}) {
		t.Errorf("Types = %+v", d.Types)
	}
	if tp := d.TypeByAddr(typeB); tp == nil || tp.Addr != typeB {
		t.Errorf("TypeByAddr(typeB) = %+v", tp)
	}
	if d.TypeByAddr(typeB+1) != nil || d.ItabByAddr(itabA+1) != nil {
		t.Error("lookup of unknown address found something")
	}
	if it := d.ItabByAddr(itabA); it == nil || *it != (Itab{Addr: itabA, TypeAddr: typeA}) {
		t.Errorf("ItabByAddr = %+v", it)
	}

	wantG := []Goroutine{
		{Addr: 0x11000000, SP: 0x12000f00, ID: 1, GoPC: 0x08001000, Status: 4, WaitSince: 77, WaitReason: "chan receive",
			M: 0x11100000, Defer: 0x11200000, Panic: 0x11300000, FirstFrame: 0, NumFrames: 2},
		{Addr: 0x11000100, SP: 0x12001f00, ID: 2, GoPC: 0x08001000, Status: 1, IsSystem: true, FirstFrame: 2},
	}
	if !slices.Equal(d.Goroutines, wantG) {
		t.Errorf("Goroutines = %+v\nwant %+v", d.Goroutines, wantG)
	}
	if len(d.Frames) != 2 {
		t.Fatalf("%d frames, want 2", len(d.Frames))
	}
	f0, f1 := &d.Frames[0], &d.Frames[1]
	if f0.SP != 0x12000f00 || f0.Depth != 0 || f0.ChildSP != 0 || f0.EntryPC != 0x08002000 || f0.PC != 0x08002010 ||
		f0.ContinuePC != 0x08002010 || f0.Func != "main.leaf" || f0.Goroutine != 0 || f0.ContentsSize != 16 {
		t.Errorf("frame 0 = %+v", f0)
	}
	if f1.Depth != 1 || f1.ChildSP != 0x12000f00 || f1.Func != "main.main" || f1.ContentsSize != 8 {
		t.Errorf("frame 1 = %+v", f1)
	}
	if got := d.FramePointerOffsets(f0, nil); !slices.Equal(got, []uint64{0}) {
		t.Errorf("frame 0 pointer offsets %v", got)
	}
	if got := d.FramePointerOffsets(f1, nil); len(got) != 0 {
		t.Errorf("frame 1 pointer offsets %v", got)
	}
	if v := d.Word(d.FrameContents(f0)); v != span16 {
		t.Errorf("frame 0 word 0 = %#x", v)
	}
	if !slices.Equal(d.Defers, []Defer{{Addr: 0x11200000, Goroutine: 0x11000000, SP: 0x12000f10, PC: 0x08003030, Fn: 0x08500000, FnPC: 0x08003100}}) {
		t.Errorf("Defers = %+v", d.Defers)
	}
	if !slices.Equal(d.Panics, []Panic{{Addr: 0x11300000, Goroutine: 0x11000000, ArgType: typeB, ArgData: span8}}) {
		t.Errorf("Panics = %+v", d.Panics)
	}
	if !slices.Equal(d.Threads, []OSThread{{Addr: 0x11400000, ID: 0, ProcID: 1234}}) {
		t.Errorf("Threads = %+v", d.Threads)
	}
	if d.Data.Addr != dataLo || d.Data.Size != 16 || !slices.Equal(d.SegmentPointerOffsets(&d.Data, nil), []uint64{4}) ||
		d.Word(d.SegmentContents(&d.Data)[4:]) != span144+8 {
		t.Errorf("Data = %+v", d.Data)
	}
	if d.BSS.Addr != bssLo || d.BSS.Size != 8 || !slices.Equal(d.SegmentPointerOffsets(&d.BSS, nil), []uint64{0}) {
		t.Errorf("BSS = %+v", d.BSS)
	}
	wantF := []Finalizer{
		{Obj: span144 + 8, Fn: 0x08500010, FnPC: 0x08004000, ArgType: typeA, ObjType: typeB},
		{Obj: span16, Fn: 0x08500020, FnPC: 0x08004100, ArgType: typeB, ObjType: typeA, Queued: true},
	}
	if !slices.Equal(d.Finalizers, wantF) {
		t.Errorf("Finalizers = %+v", d.Finalizers)
	}
	if !slices.Equal(d.OtherRoots, []OtherRoot{{Description: "other", Addr: span8}}) {
		t.Errorf("OtherRoots = %+v", d.OtherRoots)
	}
	m := d.MemStats
	if m == nil || m.Alloc != 0 || m.HeapObjects != 11 || m.PauseTotalNs != 23 || m.PauseNs[0] != 24 || m.PauseNs[255] != 279 || m.NumGC != 280 {
		t.Errorf("MemStats = %+v", m)
	}
	if len(d.MemProf) != 1 {
		t.Fatalf("MemProf = %+v", d.MemProf)
	}
	b := d.MemProf[0]
	if b.Addr != 0x11500000 || b.Size != 144 || b.Allocs != 10 || b.Frees != 3 ||
		!slices.Equal(b.Stack, []MemProfFrame{{Func: "main.alloc", File: "main.go", Line: 12}, {Func: "(0x1234)", File: "?"}}) {
		t.Errorf("MemProf[0] = %+v", b)
	}
	if !slices.Equal(d.AllocSamples, []AllocSample{{Addr: span144, Bucket: 0x11500000}}) {
		t.Errorf("AllocSamples = %+v", d.AllocSamples)
	}
}

func TestProgress(t *testing.T) {
	b := synth32(t)
	var calls, last, total int64
	d, err := Open(writeTemp(t, b), &Options{Progress: func(done, all int64) {
		if done < last || done > all {
			t.Errorf("Progress(%d, %d) after %d", done, all, last)
		}
		calls++
		last, total = done, all
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if calls == 0 || last != int64(len(b)) || total != int64(len(b)) || d.Size != int64(len(b)) {
		t.Errorf("%d Progress calls, last (%d, %d), want (%d, %d)", calls, last, total, len(b), len(b))
	}
}

func TestParseGoVersion(t *testing.T) {
	for _, c := range []struct {
		in    string
		minor int
		known bool
		exps  []string
	}{
		{"go1.26.8", 26, true, nil},
		{"go1.22", 22, true, nil},
		{"go1.27rc1", 27, true, nil},
		{"go1.25beta2", 25, true, nil},
		{"go1.25.9 X:greenteagc,jsonv2", 25, true, []string{"greenteagc", "jsonv2"}},
		{"go1.26.8-X:nogreenteagc", 26, true, []string{"nogreenteagc"}},
		{"devel go1.27-1a2b3c4 Tue Jan 1 00:00:00 2026 +0000 X:nogreenteagc", 27, true, []string{"nogreenteagc"}},
		{"devel +1a2b3c4 Tue Jan 1 00:00:00 2026 +0000", newestMinor, false, nil},
		{"", newestMinor, false, nil},
		{"weird", newestMinor, false, nil},
		{"go2.0", newestMinor, false, nil},
	} {
		v := parseGoVersion(c.in)
		if v.minor != c.minor || v.known != c.known || !slices.Equal(v.exps, c.exps) {
			t.Errorf("parseGoVersion(%q) = %+v, want minor %d known %v exps %q", c.in, v, c.minor, c.known, c.exps)
		}
	}
}

// TestRules checks the layout rules per version against the arithmetic of
// each runtime's initSpan (see layout.go), for 64-bit: an 8-byte scan
// span loses 128/8 = 16 slots to heap bits; a 16-byte noscan span loses
// 128/16 = 8 slots to Green Tea mark bits; a 512-byte scan span with both
// loses 256 bytes: one slot.
func TestRules(t *testing.T) {
	for _, c := range []struct {
		version                  string
		headers, greenTea        bool
		scan8, noscan16, scan512 uint64 // nelems
	}{
		{"go1.21.13", false, false, 1024, 512, 16},
		{"go1.22.12", true, false, 1008, 512, 15},
		{"go1.22.12 X:noallocheaders", false, false, 1024, 512, 16},
		{"go1.24.13", true, false, 1008, 512, 15},
		{"go1.25.9", true, false, 1008, 512, 15},
		{"go1.25.9 X:greenteagc", true, true, 1008, 504, 15},
		{"go1.26.8", true, true, 1008, 504, 15},
		{"go1.26.8-X:nogreenteagc", true, false, 1008, 512, 15},
		{"go1.27.3", true, true, 1008, 504, 15},
		{"devel +abc", true, true, 1008, 504, 15},
	} {
		l := rulesFor(Params{PtrSize: 8, GoVersion: c.version})
		got := []uint64{l.nelems(8, true), l.nelems(16, false), l.nelems(512, true)}
		if l.allocHeaders != c.headers || l.greenTea != c.greenTea || !slices.Equal(got, []uint64{c.scan8, c.noscan16, c.scan512}) {
			t.Errorf("%s: headers %v greenTea %v nelems %v, want %v %v %v", c.version, l.allocHeaders, l.greenTea, got,
				c.headers, c.greenTea, []uint64{c.scan8, c.noscan16, c.scan512})
		}
	}
}
