package typing

import (
	"fmt"
	"strings"

	"github.com/heapgraph/heapgraph/heapdump"
	"github.com/heapgraph/heapgraph/heapdump/gobinary"
)

// Evidence strengths: higher wins.
const (
	strengthNone      = 0
	strengthDescribed = 1 // malloc header naming a type DWARF lacks: a name, no layout
	strengthWeak      = 2 // a pointer to a scalar: the object may be a larger block
	strengthPropagate = 3 // typed root, or a pointer slot of a typed object
	strengthHeader    = 4 // the object's own malloc header
)

// noSource marks objects typed by their own header.
const noSource = ^uint32(0)

// Types is the result of typing a dump: one type per object (or
// unknown), with the evidence for it.
type Types struct {
	d  *heapdump.Dump
	b  *gobinary.Binary
	tt *typeTable

	typ      []uint32 // objType id per object, 0 = unknown
	strength []uint8
	src      []uint32 // object whose slot gave the type, noSource, or len(objects)+root index
	srcOff   []uint32 // offset of that slot

	roots []rootEvidence

	frames frameIndex
	sites  map[uint64]uint64 // sampled slot address -> memory profile bucket
}

// rootEvidence describes a root that typed objects.
type rootEvidence struct {
	desc string // "global main.configCache", "goroutine 7 frame main.worker"
}

// New types the objects of d using the executable b (which must match d:
// see gobinary.Binary.MatchDump). b may be nil: then only what the dump
// itself says is used (type records of itab types and finalizers).
func New(d *heapdump.Dump, b *gobinary.Binary) (*Types, error) {
	return newTypes(d, b, options{})
}

// options tune newTypes for tests.
type options struct {
	ignoreHeaders bool // leave malloc headers out of the evidence (tests check propagation against them)
}

func newTypes(d *heapdump.Dump, b *gobinary.Binary, o options) (*Types, error) {
	n := d.NumObjects()
	t := &Types{
		d: d, b: b, tt: newTypeTable(),
		typ:      make([]uint32, n),
		strength: make([]uint8, n),
		src:      make([]uint32, n),
		srcOff:   make([]uint32, n),
	}
	t.sites = make(map[uint64]uint64, len(d.AllocSamples))
	for _, s := range d.AllocSamples {
		t.sites[s.Addr] = s.Bucket
	}
	if d.Params.PtrSize != 8 {
		return nil, fmt.Errorf("typing: %d-byte pointers are not supported", d.Params.PtrSize)
	}
	if b == nil {
		t.fromDumpOnly()
		return t, nil
	}
	t.frames = newFrameIndex(d, b)
	p := &propagator{
		t: t, w: walker{d: d, b: b, tt: newTypeCache(t.tt, len(b.Types)), ptr: 8}, f: heapdump.NewPageIndex(d),
		ignoreHeaders: o.ignoreHeaders,
	}
	p.run()
	return t, nil
}

// Match checks that b is the executable that wrote d (Go version, data
// and bss segments) and relocates a position-independent b to where d
// says it was loaded. Call it before New.
func Match(b *gobinary.Binary, d *heapdump.Dump) error {
	return b.MatchDump(d.Params.GoVersion, d.Data.Addr, d.Data.Size, d.BSS.Addr, d.BSS.Size)
}

// TypeName returns the type name of object i, "" when unknown.
func (t *Types) TypeName(i int) string { return t.tt.types[t.typ[i]].name }

// Names and IDs return the type table and the per-object type ids, as
// graph.Graph.SetTypes takes them.
func (t *Types) Names() []string { return t.tt.names() }

// IDs returns the type id of every object (0 = unknown).
func (t *Types) IDs() []uint32 { return t.typ }

// Explain says why object i has its type.
func (t *Types) Explain(i int) string {
	ot := &t.tt.types[t.typ[i]]
	if t.typ[i] == 0 {
		why := "unknown: no typed pointer, root or malloc header reaches it"
		if site := t.allocSite(i); site != "" {
			why += "; allocated in " + site
		}
		return why
	}
	var why string
	switch s := t.src[i]; {
	case t.strength[i] == strengthHeader || t.strength[i] == strengthDescribed:
		why = "its malloc header names the type"
	case s == noSource:
		why = "the dump names the type"
	case int(s) < len(t.typ):
		why = fmt.Sprintf("held by %s of %#x (%s)", t.fieldName(int(s), uint64(t.srcOff[i])), t.d.Addr(int(s)), t.TypeName(int(s)))
	default:
		why = "held by " + t.roots[int(s)-len(t.typ)].desc
	}
	if ot.shape == shapeClosure && ot.fn != nil {
		why += "; its code pointer is in " + ot.fn.Name
	}
	return ot.name + ": " + why
}

// fromDumpOnly types what the dump alone can: objects whose malloc header
// names a type the dump has a record of, the data of interface values
// whose itab the dump records (a word holding a recorded itab followed by
// a pointer to an object start: a boxed value of the itab's type), and
// finalized objects whose pointer type the dump records.
func (t *Types) fromDumpOnly() {
	d := t.d
	named := func(addr uint64) uint32 {
		if rt := d.TypeByAddr(addr); rt != nil && rt.Name != "" {
			return t.tt.intern(objType{shape: shapeDescribed, name: rt.Name, size: rt.Size})
		}
		return 0
	}
	for i := range t.typ {
		if h := d.Object(i).HeaderType; h != 0 {
			if id := named(h); id != 0 {
				t.typ[i], t.strength[i], t.src[i] = id, strengthHeader, noSource
			}
		}
	}
	var offs []uint64
	for i := range t.typ {
		offs = d.PointerOffsets(i, offs[:0])
		mem := d.Contents(i)
		for k := range offs {
			if offs[k] < 8 {
				continue
			}
			tab := d.Word(mem[offs[k]-8:])
			it := d.ItabByAddr(tab)
			if it == nil {
				continue
			}
			rt := d.TypeByAddr(it.TypeAddr)
			if rt == nil || rt.Name == "" || !rt.Indirect {
				continue
			}
			j := d.Find(d.Word(mem[offs[k]:]))
			if j < 0 || d.Addr(j) != d.Word(mem[offs[k]:]) || t.typ[j] != 0 || rt.Size > d.ObjectSize(j) {
				continue
			}
			t.typ[j] = t.tt.intern(objType{shape: shapeDescribed, name: rt.Name, size: rt.Size})
			t.strength[j], t.src[j], t.srcOff[j] = strengthPropagate, uint32(i), slotOff(offs[k])
		}
	}
	for _, f := range d.Finalizers {
		j := d.Find(f.Obj)
		if j < 0 || t.typ[j] != 0 {
			continue
		}
		if rt := d.TypeByAddr(f.ObjType); rt != nil && len(rt.Name) > 1 && rt.Name[0] == '*' {
			t.typ[j] = t.tt.intern(objType{shape: shapeDescribed, name: rt.Name[1:]})
			t.strength[j], t.src[j] = strengthPropagate, noSource
		}
	}
	// The runtime's own structures that goroutine, defer and panic
	// records give the address of. (Thread records are left out: the m is
	// an mPadded in some Go versions and not in others.)
	runtimeStruct := func(addr uint64, name string) {
		j := d.Find(addr)
		if j < 0 || d.Addr(j) != addr || t.typ[j] != 0 {
			return
		}
		t.typ[j] = t.tt.intern(objType{shape: shapeDescribed, name: name})
		t.strength[j], t.src[j] = strengthPropagate, noSource
	}
	for _, g := range d.Goroutines {
		runtimeStruct(g.Addr, "runtime.g")
	}
	for _, x := range d.Defers {
		runtimeStruct(x.Addr, "runtime._defer")
	}
	for _, x := range d.Panics {
		runtimeStruct(x.Addr, "runtime._panic")
	}
}

// allocSite names the function that allocated object i when the memory
// profile sampled it, "" otherwise.
func (t *Types) allocSite(i int) string {
	// Alloc samples hold the address the allocation returned (after any
	// malloc header).
	bucket, ok := t.sites[t.d.Addr(i)]
	if !ok {
		return ""
	}
	for k := range t.d.MemProf {
		b := &t.d.MemProf[k]
		if b.Addr != bucket {
			continue
		}
		for _, f := range b.Stack {
			if !strings.HasPrefix(f.Func, "runtime.") {
				return fmt.Sprintf("%s (%s:%d)", f.Func, f.File, f.Line)
			}
		}
	}
	return ""
}
