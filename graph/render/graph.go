// Package render draws a part of the heap graph as an image in the look of
// Python's objgraph: boxes shaded by distance from the objects asked about,
// those objects in red, GC roots in green, edges labelled with the field that
// holds the pointer. It writes DOT, and SVG or PNG through a pure-Go
// Graphviz (github.com/goccy/go-graphviz).
//
// The package knows nothing about dumps or the graph package: callers fill a
// Graph view model, so an image can be made from any answer (back-references,
// a chain, references).
package render

// Graph is what gets drawn. Node IDs must be unique; Edges refer to them.
// Order does not matter: output is sorted, so the same Graph always gives
// the same bytes.
type Graph struct {
	Nodes []Node
	Edges []Edge
	// MaxDepth is the depth drawn in the darkest grey. 0 means the largest
	// Node.Depth.
	MaxDepth int
	// Caption is an optional line under the image (e.g. what was asked and
	// what was left out).
	Caption string
	// Forward says the edges point away from the targets (what the targets
	// point to, objgraph's show_refs) instead of towards them (what refers
	// to the targets, show_backrefs): the targets are drawn on top and
	// Node.MoreReferrers counts left-out references.
	Forward bool
}

// Node is one box: a heap object, or a GC root when Root is set.
type Node struct {
	ID   int
	Type string // Go type name with import path; "" when unknown
	Addr uint64 // address Go pointers hold; for a root, the variable's address (0 if none)
	Size uint64 // bytes of the object (its size class when the type is unknown)
	// Retained is the bytes kept alive only through this node (dominator
	// tree), itself included; 0 when not computed. Shown only when it
	// exceeds Size.
	Retained uint64
	// Depth is the distance from the nearest target (targets are 0).
	Depth int
	// Target marks the objects the image was asked about.
	Target bool
	// Root marks a GC root box: a global variable, a goroutine frame, a
	// finalizer. RootKind is "global", "stack", "finalizer" or "other";
	// RootName names it ("main.configCache", "goroutine 7 main.worker").
	Root     bool
	RootKind string
	RootName string
	// Highlight marks nodes the user asked to see (--highlight).
	Highlight bool
	// Finalizer marks objects with a finalizer set (dumps do not record
	// cleanups from runtime.AddCleanup).
	Finalizer bool
	// MoreReferrers counts the referrers left out because of the fan-in cap
	// (in a Forward graph: the references left out by the fan-out cap).
	MoreReferrers int
	// Unexplored marks nodes at the depth limit that have referrers (in a
	// Forward graph: references) not drawn; their border is dashed.
	Unexplored bool
	// Value is a short rendering of the object's contents, shown only when
	// the user asked for values; empty otherwise. Images must not leak
	// memory contents by default, so nothing else in a Node holds any.
	Value string
}

// Edge is a pointer from the object From to the object To, held in the slot
// named Label (a field path such as "lru.root.next", "[3]", "key"; "" when
// unknown).
type Edge struct {
	From, To int
	Label    string
}
