// Package graph turns a heap into a pointer graph and answers questions about
// it: which objects the GC roots keep alive, the shortest chain from a root
// to an object, the back-reference subgraph around a set of objects (the
// objgraph picture), the dominator tree and retained sizes, and a per-type
// histogram.
//
// Nodes are the heap objects, numbered 0..NumNodes()-1 (for a dump, node n
// is heapdump object n). Edges are the pointer slots whose value points into
// an object, interior pointers included, resolved to that object; pointers
// into nothing are dropped and counted. Adjacency is kept twice, forward and
// reverse, as CSR flat arrays of uint32 node ids: 8 bytes per edge. The byte
// offset of an edge's slot is stored only for "wide" nodes (more than
// WideEdges outgoing edges: big pointer arrays, map tables), where finding
// it again would mean scanning a large object; for the others it is
// recomputed on demand from the Source (EdgeOffset), which is cheap for the
// handful of edges a chain or a picture shows.
//
// Roots (globals, goroutine stack frames, finalizers, defers, panics, other
// roots) are kept apart from the nodes; each root holds one or more nodes
// through its slots (RootEdge).
//
// A Graph is built once by Build or FromDump and is read-only afterwards,
// except for SetTypes, SetEdgeNamer and SetRootNamer, which must be called
// before the graph is shared between goroutines. The lazily computed parts
// (reachability, dominators) are computed once and are safe to request from
// several goroutines.
package graph

import (
	"fmt"
	"sync"
)

// NodeID identifies a node: the index of the object in the heap (for a
// dump, the heapdump object index).
type NodeID uint32

// NoNode is the NodeID that stands for "no node".
const NoNode NodeID = ^NodeID(0)

// Edge is one outgoing pointer of a node as a Source reports it: the byte
// offset of the slot in the source object and the node it points into.
type Edge struct {
	Off uint64
	To  NodeID
}

// Source supplies the nodes and edges of a graph to Build. The heap dump
// adapter (FromDump) is one Source; tests and benchmarks use in-memory ones.
//
// AppendEdges and EdgeOffset may be called from several goroutines at once.
type Source interface {
	// NumNodes returns the number of nodes.
	NumNodes() int
	// NodeSize returns the size in bytes of node n (the object's user size).
	NodeSize(n NodeID) uint64
	// AppendEdges appends to buf the outgoing edges of node n, in
	// increasing slot offset order, and returns the extended slice and the
	// number of non-nil pointer slots of n that point into no node.
	AppendEdges(n NodeID, buf []Edge) (edges []Edge, dropped int)
	// EdgeOffset returns the offset of the slot of node from that holds
	// the nth (0-based) of from's pointers to node to, counted in slot
	// order; ok is false if there is no such slot.
	EdgeOffset(from, to NodeID, nth int) (off uint64, ok bool)
}

// RootKind says what kind of GC root a Root is.
type RootKind uint8

// Root kinds. Their String forms are stable and used in JSON output.
const (
	RootGlobal    RootKind = iota // "global": pointer slots of the data or bss segment
	RootStack                     // "stack": pointer slots of a goroutine stack frame (or its scheduler context)
	RootFinalizer                 // "finalizer": a finalizer, queued or not
	RootDefer                     // "defer": the closure of a deferred call
	RootPanic                     // "panic": the value of an active panic
	RootOther                     // "other": a tagOtherRoot record, or anything else
)

var rootKindNames = [...]string{
	RootGlobal:    "global",
	RootStack:     "stack",
	RootFinalizer: "finalizer",
	RootDefer:     "defer",
	RootPanic:     "panic",
	RootOther:     "other",
}

// String returns the kind's stable name: "global", "stack", "finalizer",
// "defer", "panic" or "other".
func (k RootKind) String() string {
	if int(k) < len(rootKindNames) {
		return rootKindNames[k]
	}
	return fmt.Sprintf("RootKind(%d)", k)
}

// MarshalText makes a RootKind appear as its name in JSON.
func (k RootKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Root is one GC root. Which fields are set depends on Kind.
type Root struct {
	Kind RootKind
	// Name is a short human-readable description, e.g. "main.cache",
	// "bss+0x88", "goroutine 1 [chan receive] main.main (frame 2)",
	// "finalizer on 0xc000012345 (queued)".
	Name string
	// Addr is the address of the root's memory: the global variable (or
	// slot), the frame's SP, the _defer or _panic record, or for a
	// finalizer the object it is set on.
	Addr uint64

	// Global roots.
	Segment string // "data" or "bss"
	Symbol  string // variable name from the Symbolizer, "" when unknown
	// Via is set on a root that is a static object with no symbol of its
	// own (e.g. the composite literal of `var p = &T{...}`, which the
	// linker places in data): the named global whose pointer leads to it.
	// Its Name is then "(*main.p)".
	Via string

	// Stack roots (also defers and panics: Goroutine only).
	Goroutine  uint64 // goroutine id
	WaitReason string // "" when running or runnable
	Func       string // function of the frame
	Depth      int    // frame depth, 0 for the innermost; -1 for the scheduler context

	// Finalizer roots.
	Object NodeID // the object the finalizer is set on, NoNode if not a heap object
	Queued bool   // the finalizer is queued to run (its object is already unreachable)
}

// Offsets used by the edges of finalizer, defer, panic and other roots,
// which have no slots of their own: they say which field of the runtime's
// record holds the pointer. Children of a finalized object are reached
// through the object's own slots (see DumpRoots) and use those offsets plus
// FinalizerObjChild.
const (
	RootFieldObj = 0 // queued finalizer: the object to finalize; panic: the value; other root: its address
	RootFieldFn  = 8 // finalizer, defer: the *funcval of the closure

	// FinalizerObjChild is added to the slot offset of the finalized
	// object's own pointers when they are reported as edges of the
	// finalizer root (the runtime scans the object's referents, but not the
	// object, while its finalizer is set).
	FinalizerObjChild = 1 << 32
)

// RootEdge is one pointer from a root to a node.
type RootEdge struct {
	Root int    // index into Graph.Roots()
	Off  uint64 // byte offset of the slot in the root's memory (see RootFieldObj for non-memory roots)
	To   NodeID
}

// Symbolizer names the global variable at an address of the data or bss
// segment. The type layer implements it from the executable's symbols.
type Symbolizer interface {
	// Global returns the name of the variable containing addr and the
	// offset of addr in it.
	Global(addr uint64) (name string, off uint64, ok bool)
}

// EdgeNamer names the field of a node that holds a pointer, e.g.
// "cache.lru.root.next" or "[3]". The type layer implements it.
type EdgeNamer interface {
	// FieldName returns the name of the slot at byte offset off of node
	// from, or "" when unknown.
	FieldName(from NodeID, off uint64) string
}

// RootNamer names the slot of a root that holds a pointer, e.g. a local
// variable of a stack frame. The type layer implements it.
type RootNamer interface {
	// RootSlotName returns the name of the slot at byte offset off of
	// root, or "" when unknown.
	RootSlotName(root *Root, off uint64) string
}

// Graph is the pointer graph of a heap. See the package documentation.
type Graph struct {
	src Source

	size []uint64 // user size per node

	// Forward adjacency: the targets of node n are outTo[outStart[n]:outStart[n+1]],
	// in slot order.
	outStart []uint32
	outTo    []NodeID
	// Reverse adjacency: the nodes pointing to n are inFrom[inStart[n]:inStart[n+1]],
	// in increasing node order (a node holding several pointers to n appears
	// several times).
	inStart []uint32
	inFrom  []NodeID

	dropped int // pointer slots that point into no node

	// Slot offsets of the edges of wide nodes: the kth edge of
	// wideNodes[i] has offset wideOff[wideBase[i]+k]. wideNodes is sorted.
	wideNodes []NodeID
	wideBase  []uint32
	wideOff   []uint32
	// wideByTarget[i], made on first use by OffsetTo, lists the edge
	// numbers k of wideNodes[i] sorted by target, then k.
	wideMu       sync.Mutex
	wideByTarget map[int][]uint32

	roots     []Root
	rootEdges []RootEdge // sorted by Root, then Off, then To
	rootStart []uint32   // edges of root r are rootEdges[rootStart[r]:rootStart[r+1]]
	// byTarget lists indexes into rootEdges sorted by To, then index: the
	// roots that hold each node.
	byTarget []uint32
	// finalized lists the nodes with a finalizer set, sorted.
	finalized []NodeID

	// Optional naming, set by the type layer.
	typeNames []string
	typeOf    []uint32
	edgeNamer EdgeNamer
	rootNamer RootNamer

	reachOnce sync.Once
	reach     Bitset

	domOnce sync.Once
	dom     *Dominators
}

// NumNodes returns the number of nodes.
func (g *Graph) NumNodes() int { return len(g.size) }

// NumEdges returns the number of node-to-node edges.
func (g *Graph) NumEdges() int { return len(g.outTo) }

// DroppedPointers returns the number of pointer slots (of nodes and roots)
// whose value points into no node.
func (g *Graph) DroppedPointers() int { return g.dropped }

// Size returns the size in bytes of node n.
func (g *Graph) Size(n NodeID) uint64 { return g.size[n] }

// Out returns the nodes n points to, one entry per pointer slot, in slot
// order. The slice is shared: do not modify it.
func (g *Graph) Out(n NodeID) []NodeID { return g.outTo[g.outStart[n]:g.outStart[n+1]] }

// In returns the nodes that point to n, one entry per pointer slot, in
// increasing node order. The slice is shared: do not modify it.
func (g *Graph) In(n NodeID) []NodeID { return g.inFrom[g.inStart[n]:g.inStart[n+1]] }

// Roots returns the roots. The slice is shared: do not modify it.
func (g *Graph) Roots() []Root { return g.roots }

// RootEdges returns all root edges, sorted by root, then offset, then
// target. The slice is shared: do not modify it.
func (g *Graph) RootEdges() []RootEdge { return g.rootEdges }

// RootEdgesOf returns the edges of root r.
func (g *Graph) RootEdgesOf(r int) []RootEdge {
	return g.rootEdges[g.rootStart[r]:g.rootStart[r+1]]
}

// HasFinalizer reports whether node n has a finalizer set (queued or not).
func (g *Graph) HasFinalizer(n NodeID) bool {
	lo, hi := 0, len(g.finalized)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if g.finalized[m] < n {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(g.finalized) && g.finalized[lo] == n
}

// Source returns the Source the graph was built from.
func (g *Graph) Source() Source { return g.src }
