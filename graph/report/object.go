package report

import (
	"fmt"
	"io"

	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/graph/render/label"
)

// maxReferrers caps the referrers listed by `object`: a popular object can
// have millions.
const maxReferrers = 1000

// ObjectDetail is the JSON form of `object ADDR`.
type ObjectDetail struct {
	Addr string `json:"addr"`
	Type string `json:"type"`
	// TypeEvidence says where the type comes from ("malloc header",
	// "field lru of main.Cache at 0x..."); set by the caller, "" when not
	// known.
	TypeEvidence string `json:"type_evidence,omitempty"`
	Size         uint64 `json:"size"`
	Reachable    bool   `json:"reachable"`
	// Retained is the bytes only this object keeps alive (itself
	// included); 0 for garbage.
	Retained  uint64 `json:"retained"`
	Finalizer bool   `json:"finalizer"`
	// Roots are the GC roots that point at this object directly, with the
	// slot of the root holding it.
	Roots []HeldByRoot `json:"roots"`
	// Referrers are the objects pointing at this one, with their slot;
	// at most 1000, the rest counted in MoreReferrers.
	Referrers     []Referrer `json:"referrers"`
	MoreReferrers int        `json:"more_referrers"`
	// Refs are this object's own pointers.
	Refs []Ref `json:"refs"`

	// AllocSite is the function that allocated the object when the
	// dump's memory profile sampled it ("main.newSession
	// (main.go:42)"); set by the caller, "" when not sampled.
	AllocSite string `json:"alloc_site,omitempty"`
	// Fields are the object's fields and their values (raw words when
	// the type is not known); set by the caller. MoreFields counts those
	// left out.
	Fields     []FieldValue `json:"fields"`
	MoreFields int          `json:"more_fields"`
	// Chain is a shortest chain from a GC root to the object; set by the
	// caller, nil when not computed.
	Chain *Chain `json:"chain,omitempty"`
}

// FieldValue is one field of an object and its value as text: "42",
// "true", "0xc000012345", "nil", a quoted string, "len 3 cap 4 0x...".
type FieldValue struct {
	Offset uint64 `json:"offset"`
	Name   string `json:"name"`
	Type   string `json:"type"`
	Value  string `json:"value"`
}

// HeldByRoot is a root holding an object directly.
type HeldByRoot struct {
	Root
	Field string `json:"field"`
}

// Referrer is an object pointing at another, and the slot holding the
// pointer.
type Referrer struct {
	Addr  string `json:"addr"`
	Type  string `json:"type"`
	Field string `json:"field"`
}

// ObjectDetailOf describes node n; dom may be nil (no retained size).
func ObjectDetailOf(g *graph.Graph, h Heap, n graph.NodeID, dom *graph.Dominators) ObjectDetail {
	o := objectOf(g, h, n)
	d := ObjectDetail{
		Addr: o.Addr, Type: o.Type, Size: o.Size,
		Reachable: g.IsReachable(n),
		Finalizer: g.HasFinalizer(n),
		Roots:     []HeldByRoot{},
		Referrers: []Referrer{},
		Refs:      RefsOf(g, h, n).Refs,
		Fields:    []FieldValue{},
	}
	if dom != nil && d.Reachable {
		d.Retained = dom.Retained(n)
	}
	edges := g.RootEdges()
	for _, i := range g.RootsHolding(n) {
		e := edges[i]
		d.Roots = append(d.Roots, HeldByRoot{Root: *rootOf(g, e.Root), Field: rootField(g, e.Root, e.Off)})
	}
	in := g.In(n)
	for i := 0; i < len(in); i++ {
		from := in[i]
		if i > 0 && in[i-1] == from {
			continue // In repeats a referrer once per slot; its slots are listed below
		}
		for k, to := range g.Out(from) {
			if to != n {
				continue
			}
			if len(d.Referrers) == maxReferrers {
				d.MoreReferrers++
				continue
			}
			field := ""
			if off, ok := g.EdgeOffset(from, k); ok {
				field = g.FieldName(from, off)
			}
			d.Referrers = append(d.Referrers, Referrer{Addr: label.Addr(h.Addr(int(from))), Type: g.TypeName(from), Field: field})
		}
	}
	return d
}

// WriteObjectJSON writes d as JSON.
func WriteObjectJSON(w io.Writer, d ObjectDetail) error { return writeJSON(w, d) }

// WriteObjectText writes d as a short description and tables.
func WriteObjectText(w io.Writer, d ObjectDetail) error {
	state := "reachable"
	if !d.Reachable {
		state = "garbage (no root reaches it)"
	}
	fmt.Fprintf(w, "%s %s\n", typeOrUnknown(d.Type), d.Addr)
	if d.TypeEvidence != "" {
		fmt.Fprintf(w, "  typed by   %s\n", d.TypeEvidence)
	}
	if d.AllocSite != "" {
		fmt.Fprintf(w, "  allocated  at %s\n", d.AllocSite)
	}
	fmt.Fprintf(w, "  size       %s\n", label.Bytes(d.Size))
	fmt.Fprintf(w, "  state      %s\n", state)
	if d.Retained > 0 {
		fmt.Fprintf(w, "  retains    %s\n", label.Bytes(d.Retained))
	}
	if d.Finalizer {
		fmt.Fprintf(w, "  finalizer  set\n")
	}
	if len(d.Roots) > 0 {
		fmt.Fprintf(w, "\nheld directly by %s:\n", plural(len(d.Roots), "root"))
		t := &table{header: []string{"  ROOT", "FIELD"}}
		for _, r := range d.Roots {
			field := r.Field
			if field == "" {
				field = "-" // the root variable is the pointer itself
			}
			t.add("  "+rootText(&r.Root), field)
		}
		if err := t.write(w); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "\nreferred to by %s:\n", plural(len(d.Referrers)+d.MoreReferrers, "pointer"))
	if len(d.Referrers) > 0 {
		t := &table{header: []string{"  ADDRESS", "FIELD", "TYPE"}}
		for _, r := range d.Referrers {
			t.add("  "+r.Addr, orQuestion(r.Field), typeOrUnknown(r.Type))
		}
		if err := t.write(w); err != nil {
			return err
		}
		if d.MoreReferrers > 0 {
			fmt.Fprintf(w, "  ... %d more\n", d.MoreReferrers)
		}
	}
	if len(d.Fields) > 0 {
		fmt.Fprintf(w, "\nfields:\n")
		t := &table{header: []string{"  OFFSET", "NAME", "TYPE", "VALUE"}}
		for _, f := range d.Fields {
			t.add(fmt.Sprintf("  +%#x", f.Offset), f.Name, typeOrUnknown(f.Type), f.Value)
		}
		if err := t.write(w); err != nil {
			return err
		}
		if d.MoreFields > 0 {
			fmt.Fprintf(w, "  ... %d more\n", d.MoreFields)
		}
	}
	if _, err := fmt.Fprintf(w, "\npoints to %s:\n", plural(len(d.Refs), "object")); err != nil {
		return err
	}
	if len(d.Refs) > 0 {
		if err := refTable(d.Refs).write(w); err != nil {
			return err
		}
	}
	if d.Chain == nil {
		return nil
	}
	if _, err := fmt.Fprintf(w, "\nchain from a root:\n"); err != nil {
		return err
	}
	return WriteChainsText(w, []Chain{*d.Chain})
}

// plural writes "1 root", "2 roots".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
