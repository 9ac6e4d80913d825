package report

import (
	"bufio"
	"encoding/json"
	"io"

	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/graph/render/label"
)

// ObjectLine is one line of `objects --format jsonl`.
type ObjectLine struct {
	Addr      string `json:"addr"`
	Size      uint64 `json:"size"`
	Type      string `json:"type"`
	Reachable bool   `json:"reachable"`
	// AllocSite says where an object of unknown type was allocated, when
	// the memory profile sampled it.
	AllocSite string `json:"alloc_site,omitempty"`
	// Explain says why the object has its type (or none), with --explain.
	Explain string `json:"explain,omitempty"`
}

// ObjectsOptions tune the objects listing. The zero value lists address,
// size, reachability and type.
type ObjectsOptions struct {
	// Explain, if non-nil, gives the evidence for a node's type; it is
	// added to each line.
	Explain func(graph.NodeID) string
}

func (o *ObjectsOptions) explain(n graph.NodeID) string {
	if o == nil || o.Explain == nil {
		return ""
	}
	return o.Explain(n)
}

// WriteObjectsJSONL writes one JSON object per line for each node in
// nodes. It streams: big heaps have tens of millions of objects.
func WriteObjectsJSONL(w io.Writer, g *graph.Graph, h Heap, nodes []graph.NodeID, opts *ObjectsOptions) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for _, n := range nodes {
		line := ObjectLine{
			Addr:      label.Addr(h.Addr(int(n))),
			Size:      g.Size(n),
			Type:      g.TypeName(n),
			Reachable: g.IsReachable(n),
			AllocSite: allocSiteOf(g, h, n),
			Explain:   opts.explain(n),
		}
		if err := enc.Encode(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteObjectsText writes one aligned line per node: address, size,
// reachable or garbage, type (and, with opts.Explain, " — " and why).
func WriteObjectsText(w io.Writer, g *graph.Graph, h Heap, nodes []graph.NodeID, opts *ObjectsOptions) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	// Fixed widths rather than a table: the list can be millions of lines
	// long and must stream. Addresses of one heap have the same length.
	for _, n := range nodes {
		state := "reachable"
		if !g.IsReachable(n) {
			state = "garbage  "
		}
		size := label.Bytes(g.Size(n))
		pad := "          "[:max(0, 10-len(size))]
		bw.WriteString(label.Addr(h.Addr(int(n))) + "  " + pad + size + "  " + state + "  " + typeOrSite(g.TypeName(n), allocSiteOf(g, h, n)))
		if why := opts.explain(n); why != "" {
			bw.WriteString("  — " + why)
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
