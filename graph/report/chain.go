package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/graph/render/label"
)

// Chain is the JSON form of one retention chain (`chain --format json`
// writes an array of them, one per target).
type Chain struct {
	Target Object `json:"target"`
	// Root is null when no root reaches the target (it is garbage, or
	// every path was filtered out).
	Root *Root `json:"root"`
	// Path runs from the first object the root points at down to the
	// target (target last); empty when Root is null.
	Path []Hop `json:"path"`
}

// Root is the JSON form of a GC root.
type Root struct {
	// Kind is "global", "stack", "finalizer", "defer", "panic" or "other".
	Kind string `json:"kind"`
	// Name is the variable for a global ("main.configCache"), the frame's
	// function for a stack root, a description otherwise.
	Name string `json:"name"`
	// Goroutine and Frame (depth, 0 innermost; -1 for the scheduler
	// context) are set for stack roots only; Goroutine also for defers and
	// panics.
	Goroutine *uint64 `json:"goroutine,omitempty"`
	Frame     *int    `json:"frame,omitempty"`
}

// Hop is one object of a chain and the field that holds it.
type Hop struct {
	Addr string `json:"addr"`
	Type string `json:"type"`
	// Field names the slot of the previous hop (or of the root, for the
	// first hop) that holds the pointer to this object.
	Field string `json:"field"`
	// AllocSite says where an object of unknown type was allocated, when
	// the memory profile sampled it.
	AllocSite string `json:"alloc_site,omitempty"`
}

// Chains converts graph chains to their JSON form.
func Chains(g *graph.Graph, h Heap, chains []graph.Chain) []Chain {
	out := make([]Chain, 0, len(chains))
	for _, c := range chains {
		jc := Chain{Target: objectOf(g, h, c.Target), Path: []Hop{}}
		if c.Found {
			jc.Root = rootOf(g, c.Root)
			for i, hop := range c.Hops {
				jc.Path = append(jc.Path, Hop{
					Addr:      label.Addr(h.Addr(int(hop.Node))),
					Type:      g.TypeName(hop.Node),
					Field:     hopField(g, c, i),
					AllocSite: allocSiteOf(g, h, hop.Node),
				})
			}
		}
		out = append(out, jc)
	}
	return out
}

// hopField names the slot holding hop i of c.
func hopField(g *graph.Graph, c graph.Chain, i int) string {
	if i == 0 {
		return rootField(g, c.Root, c.Hops[0].Off)
	}
	return g.FieldName(c.Hops[i-1].Node, c.Hops[i].Off)
}

func rootOf(g *graph.Graph, r int) *Root {
	root := &g.Roots()[r]
	jr := &Root{Kind: root.Kind.String(), Name: root.Name}
	switch root.Kind {
	case graph.RootGlobal:
		if root.Symbol != "" {
			jr.Name = root.Symbol
		}
	case graph.RootStack:
		jr.Name = root.Func
		gid, depth := root.Goroutine, root.Depth
		jr.Goroutine, jr.Frame = &gid, &depth
	case graph.RootDefer, graph.RootPanic:
		gid := root.Goroutine
		jr.Goroutine = &gid
	}
	return jr
}

// WriteChainsJSON writes chains as a JSON array.
func WriteChainsJSON(w io.Writer, chains []Chain) error {
	return writeJSON(w, chains)
}

// WriteChainsText writes each chain as a table read top-down: the root,
// then each object with the field of the line above that holds it.
func WriteChainsText(w io.Writer, chains []Chain) error {
	for i, c := range chains {
		if i > 0 {
			if _, err := fmt.Fprintln(w); err != nil {
				return err
			}
		}
		target := fmt.Sprintf("%s %s (%s)", typeOrUnknown(c.Target.Type), c.Target.Addr, label.Bytes(c.Target.Size))
		if c.Target.Type == "" && c.Target.AllocSite != "" {
			target += " allocated at " + c.Target.AllocSite
		}
		if c.Root == nil {
			if _, err := fmt.Fprintf(w, "%s: no root reaches it (garbage, or every path is filtered out)\n", target); err != nil {
				return err
			}
			continue
		}
		if _, err := fmt.Fprintf(w, "%s is held by %s, %s:\n", target, rootText(c.Root), plural(len(c.Path), "hop")); err != nil {
			return err
		}
		// The VIA column reads like a Go expression: the root, then the
		// field of the line above that holds each object.
		t := &table{header: []string{"  VIA", "ADDRESS", "TYPE"}}
		for i, hop := range c.Path {
			t.add("  "+viaText(c.Root, i, hop.Field), hop.Addr, typeOrSite(hop.Type, hop.AllocSite))
		}
		if err := t.write(w); err != nil {
			return err
		}
	}
	return nil
}

// viaText is the VIA cell of hop i: "main.configCache", "main.cfg.items",
// ".lru", "[3]", "+0x18".
func viaText(r *Root, i int, field string) string {
	if i == 0 {
		name := r.Name
		if r.Kind != "global" && r.Kind != "stack" {
			name = r.Kind
		}
		switch {
		case field == "":
			return name
		case strings.HasPrefix(field, "[") || strings.HasPrefix(field, "+"):
			return name + field
		}
		return name + "." + field
	}
	switch {
	case field == "":
		return "?"
	case strings.HasPrefix(field, "[") || strings.HasPrefix(field, "+"):
		return field
	case strings.Contains(field, " "):
		return "(" + field + ")" // a description such as "map key", not a field
	}
	return "." + field
}

// rootText describes a root in one phrase: "global main.configCache",
// "goroutine 7 frame 2 main.worker".
func rootText(r *Root) string {
	switch {
	case r.Kind == "stack" && r.Goroutine != nil && r.Frame != nil:
		return "goroutine " + strconv.FormatUint(*r.Goroutine, 10) + " frame " + strconv.Itoa(*r.Frame) + " " + r.Name
	case r.Kind == "global":
		return "global " + r.Name
	}
	return r.Kind + " " + r.Name
}

// rootField names the slot of root r at offset off. A global's own first
// word is the variable itself, named by the root: no field to show.
func rootField(g *graph.Graph, r int, off uint64) string {
	name := g.RootSlotName(r, off)
	if off == 0 && g.Roots()[r].Kind == graph.RootGlobal && name == "+0x0" {
		return ""
	}
	return name
}
