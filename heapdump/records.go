package heapdump

// This file declares the records of a heap dump as the rest of heapgraph sees
// them. Every field the runtime writes is here; byte contents (object bodies,
// stack frames, data/bss segments) are not copied but read from the mapped
// file on demand through the Dump.

// Params is the params record (tagParams), written once at the start of the
// dump. It fixes the pointer size and byte order of every other record.
type Params struct {
	BigEndian  bool   // byte order of pointers in object contents
	PtrSize    int    // 4 or 8
	ArenaStart uint64 // lowest heap arena address
	ArenaEnd   uint64 // end of the highest heap arena
	GOARCH     string // e.g. "amd64"
	GoVersion  string // runtime.Version() of the dumping program, e.g. "go1.26.8" or "go1.26.8 X:nogreenteagc"
	NCPU       uint64 // CPUs at startup
}

// Type is a type record (tagType). The runtime writes one only for types
// that appear in an itab (and for finalizer types), so most object types
// are absent from the dump.
type Type struct {
	Addr uint64 // address of the runtime type descriptor (*_type)
	Size uint64 // the type's size in bytes
	// Name is the name as written by the runtime, normalised: the runtime
	// writes "pkgpath." (nothing after the dot) for types whose Name() is
	// empty but which have an uncommon section (e.g. pointer types with
	// methods); such names are replaced by "" and NameBroken is set.
	Name       string
	NameBroken bool
	RawName    string // the name exactly as in the dump
	// Indirect reports whether an interface holding this type stores a
	// pointer to the value (the runtime's !isDirectIface || hasPointers).
	Indirect bool
}

// Itab is an itab record (tagItab).
type Itab struct {
	Addr     uint64 // address of the itab
	TypeAddr uint64 // address of the dynamic type's descriptor (a Type record precedes it)
}

// Object is one heap object as heapgraph understands it: the user-visible
// part of an allocation slot. See layout.go for how the runtime's slot is
// turned into an Object.
type Object struct {
	Addr uint64 // address Go pointers to the object hold (slot + malloc header)
	Size uint64 // bytes from Addr to the end of the slot

	SlotAddr uint64 // address of the allocation slot as dumped
	SlotSize uint64 // size of the slot (the span's element size)
	// HeaderType is the runtime type descriptor address read from the
	// object's malloc header, 0 if the object has none.
	HeaderType uint64
}

// Goroutine is a goroutine record (tagGoroutine).
type Goroutine struct {
	Addr         uint64 // address of the runtime g
	SP           uint64 // stack pointer (sched or syscall)
	ID           uint64 // goroutine id (goid)
	GoPC         uint64 // pc of the go statement that created it
	Status       uint64 // runtime g status (_Grunnable=1, _Gsyscall=3, _Gwaiting=4, ...)
	IsSystem     bool
	IsBackground bool // always false since Go 1.x; kept for completeness
	WaitSince    uint64
	WaitReason   string
	Ctxt         uint64 // sched.ctxt
	M            uint64 // address of the m running it, 0 if none
	Defer        uint64 // address of the top _defer, 0 if none
	Panic        uint64 // address of the top _panic, 0 if none

	// FirstFrame and NumFrames index Dump.Frames: the frames written right
	// after this goroutine, innermost (depth 0) first.
	FirstFrame, NumFrames int
}

// StackFrame is a stack frame record (tagStackFrame).
type StackFrame struct {
	SP           uint64 // lowest address of the frame
	Depth        uint64 // 0 for the innermost frame
	ChildSP      uint64 // sp of the callee, 0 for the innermost frame
	EntryPC      uint64
	PC           uint64
	ContinuePC   uint64
	Func         string // function name ("unknown function" when the runtime had none)
	Goroutine    int    // index into Dump.Goroutines
	ContentsSize uint64 // bytes of frame contents (fp - sp)

	contents span // frame bytes in the file
	fields   span // pointer field list in the file
}

// OSThread is an OS thread record (tagOSThread).
type OSThread struct {
	Addr   uint64 // address of the runtime m
	ID     uint64 // m id
	ProcID uint64 // OS thread id
}

// Segment is the data or bss segment record (tagData, tagBSS): the
// contents of the main module's segment and the offsets of its pointer
// slots.
type Segment struct {
	Addr uint64
	Size uint64

	contents span
	fields   span
}

// Finalizer is a finalizer (tagFinalizer) or queued finalizer
// (tagQueuedFinalizer) record.
type Finalizer struct {
	Obj     uint64 // the object the finalizer is set on (Object.Addr: the pointer given to SetFinalizer)
	Fn      uint64 // the *funcval of the finalizer closure
	FnPC    uint64 // fn.fn: the code pointer
	ArgType uint64 // type of the finalizer's argument (*_type)
	ObjType uint64 // type of the object (*ptrtype)
	Queued  bool   // true for tagQueuedFinalizer: ready to run, object already unreachable
}

// Defer is a defer record (tagDefer).
type Defer struct {
	Addr      uint64 // address of the _defer
	Goroutine uint64 // address of the g
	SP        uint64
	PC        uint64
	Fn        uint64 // *funcval, 0 for open-coded defers
	FnPC      uint64 // fn.fn, 0 when Fn is 0
	Link      uint64 // next _defer
}

// Panic is a panic record (tagPanic).
type Panic struct {
	Addr      uint64 // address of the _panic
	Goroutine uint64 // address of the g
	ArgType   uint64 // type word of the panic value (eface._type)
	ArgData   uint64 // data word of the panic value
	Defer     uint64 // always 0 since Go 1.x (field no longer recorded)
	Link      uint64 // next _panic
}

// OtherRoot is a tagOtherRoot record. No Go release since 1.7 writes one,
// but the format defines it.
type OtherRoot struct {
	Description string
	Addr        uint64
}

// MemStats is the memstats record (tagMemStats): runtime.MemStats at the
// time of the dump, in the order of that struct.
type MemStats struct {
	Alloc, TotalAlloc, Sys, Lookups, Mallocs, Frees                    uint64
	HeapAlloc, HeapSys, HeapIdle, HeapInuse, HeapReleased, HeapObjects uint64
	StackInuse, StackSys, MSpanInuse, MSpanSys, MCacheInuse, MCacheSys uint64
	BuckHashSys, GCSys, OtherSys, NextGC, LastGC, PauseTotalNs         uint64
	PauseNs                                                            [256]uint64
	NumGC                                                              uint64
}

// MemProfFrame is one frame of a memory-profile bucket's stack.
type MemProfFrame struct {
	Func string // function name, or "(0x...)" when the pc has no function
	File string // "?" when unknown
	Line uint64
}

// MemProfBucket is a memory-profile bucket record (tagMemProf).
type MemProfBucket struct {
	Addr   uint64 // bucket address, referenced by AllocSample.Bucket
	Size   uint64 // allocation size
	Stack  []MemProfFrame
	Allocs uint64
	Frees  uint64
}

// AllocSample is an alloc sample record (tagAllocSample): a sampled
// object and the profile bucket of its allocation site.
type AllocSample struct {
	Addr   uint64 // address of the sampled object as Go pointers hold it (Object.Addr, after any malloc header)
	Bucket uint64 // MemProfBucket.Addr
}

// span is a byte range of the mapped file.
type span struct {
	off, len uint64
}
