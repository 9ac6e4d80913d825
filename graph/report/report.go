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

// Object is how JSON names one heap object.
type Object struct {
	Addr string `json:"addr"`
	Type string `json:"type"`
	Size uint64 `json:"size"`
}

func objectOf(g *graph.Graph, h Heap, n graph.NodeID) Object {
	return Object{Addr: label.Addr(h.Addr(int(n))), Type: g.TypeName(n), Size: g.Size(n)}
}

// typeOrUnknown is the type column of text output: the name, or "?" when
// the type is not known.
func typeOrUnknown(name string) string {
	if name == "" {
		return "?"
	}
	return name
}

// writeJSON writes v as indented JSON followed by a newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
