// Package report writes heapgraph's answers for people and for programs:
// aligned text tables with human sizes, and JSON whose shape is a contract
// (documented in README.md and pinned by tests). It also turns graph
// answers into the image view model of package render.
//
// Conventions of the JSON output: addresses are strings "0x..." holding the
// address Go pointers to the object hold (after any malloc header); type
// names are Go syntax with the full import path ("main.BackendManager",
// "map[string]*net/http.Client"), "" when unknown; sizes are bytes.
package report

import (
	"encoding/json"
	"io"

	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/graph/render/label"
)

// Heap is what the reports need besides the graph: where each object is.
// *heapdump.Dump implements it (node n of the graph is object n).
type Heap interface {
	Addr(i int) uint64
}

// AllocSiter is implemented by a Heap that knows where sampled objects
// were allocated (the dump's memory profile): reports then say it of
// objects whose type is not known.
type AllocSiter interface {
	// AllocSite names the function that allocated object i ("" when the
	// profile did not sample it).
	AllocSite(i int) string
}

// allocSiteOf is the allocation site of node n when its type is unknown
// and h knows it, else "".
func allocSiteOf(g *graph.Graph, h Heap, n graph.NodeID) string {
	if s, ok := h.(AllocSiter); ok && g.TypeName(n) == "" {
		return s.AllocSite(int(n))
	}
	return ""
}

// Object is how JSON names one heap object.
type Object struct {
	Addr string `json:"addr"`
	Type string `json:"type"`
	Size uint64 `json:"size"`
	// AllocSite says where an object of unknown type was allocated, when
	// the memory profile sampled it.
	AllocSite string `json:"alloc_site,omitempty"`
}

func objectOf(g *graph.Graph, h Heap, n graph.NodeID) Object {
	return Object{Addr: label.Addr(h.Addr(int(n))), Type: g.TypeName(n), Size: g.Size(n), AllocSite: allocSiteOf(g, h, n)}
}

// typeOrUnknown is the type column of text output: the name, or "?" when
// the type is not known.
func typeOrUnknown(name string) string {
	if name == "" {
		return "?"
	}
	return name
}

// typeOrSite is typeOrUnknown, saying where an object of unknown type was
// allocated when that is known: "? allocated at main.newSession (main.go:42)".
func typeOrSite(name, site string) string {
	if name == "" && site != "" {
		return "? allocated at " + site
	}
	return typeOrUnknown(name)
}

// writeJSON writes v as indented JSON followed by a newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
