package report

import (
	"fmt"
	"io"

	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/graph/render/label"
)

// Ref is one pointer of an object in JSON: the field that holds it and
// the object it points to.
type Ref struct {
	Field string `json:"field"`
	Addr  string `json:"addr"`
	Type  string `json:"type"`
	Size  uint64 `json:"size"`
}

// Refs is the JSON form of `refs`: what one object points to.
type Refs struct {
	Object Object `json:"object"`
	Refs   []Ref  `json:"refs"`
}

// RefsOf lists the pointers of node n in slot order.
func RefsOf(g *graph.Graph, h Heap, n graph.NodeID) Refs {
	r := Refs{Object: objectOf(g, h, n), Refs: []Ref{}}
	for k, to := range g.Out(n) {
		field := ""
		if off, ok := g.EdgeOffset(n, k); ok {
			field = g.FieldName(n, off)
		}
		o := objectOf(g, h, to)
		r.Refs = append(r.Refs, Ref{Field: field, Addr: o.Addr, Type: o.Type, Size: o.Size})
	}
	return r
}

// WriteRefsJSON writes r as JSON.
func WriteRefsJSON(w io.Writer, r Refs) error { return writeJSON(w, r) }

// WriteRefsText writes r as a heading and a table.
func WriteRefsText(w io.Writer, r Refs) error {
	if _, err := fmt.Fprintf(w, "%s %s (%s) points to %s\n",
		typeOrUnknown(r.Object.Type), r.Object.Addr, label.Bytes(r.Object.Size), plural(len(r.Refs), "object")); err != nil {
		return err
	}
	if len(r.Refs) == 0 {
		return nil
	}
	return refTable(r.Refs).write(w)
}

func refTable(refs []Ref) *table {
	t := &table{header: []string{"  FIELD", "ADDRESS", "SIZE", "TYPE"}, right: []bool{false, false, true}}
	for _, ref := range refs {
		t.add("  "+orQuestion(ref.Field), ref.Addr, label.Bytes(ref.Size), typeOrUnknown(ref.Type))
	}
	return t
}

func orQuestion(s string) string {
	if s == "" {
		return "?"
	}
	return s
}
