package graph

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// HistogramRow is one line of a per-type histogram.
type HistogramRow struct {
	// Type is the type name, or "unknown (48 B)" for untyped objects of
	// that size.
	Type   string
	TypeID uint32 // 0 for unknown
	Count  int
	Bytes  uint64 // shallow size
	// Retained is the bytes the objects of this type retain together:
	// the sum of the retained sizes of those objects not dominated by
	// another object of the same row (so nothing is counted twice). Zero
	// unless HistogramOptions.Retained.
	Retained uint64
}

// HistogramOptions tune Histogram. The zero value (or nil) is the default.
type HistogramOptions struct {
	// Reachable limits the histogram to reachable objects.
	Reachable bool
	// Garbage limits the histogram to unreachable objects.
	Garbage bool
	// Retained computes the retained bytes per row (needs dominators).
	Retained bool
	// SortBy orders the rows: "bytes" (default), "count", "retained",
	// "type". Ties are broken by type name.
	SortBy string
}

// Histogram returns per-type counts and sizes.
func (g *Graph) Histogram(opts *HistogramOptions) []HistogramRow {
	return g.histogram(opts)
}

// rowKey identifies a histogram row: a type id, or for unknown types
// (type 0) the object size.
type rowKey struct {
	typ  uint32
	size uint64
}

func (g *Graph) histogram(opts *HistogramOptions) []HistogramRow {
	var o HistogramOptions
	if opts != nil {
		o = *opts
	}
	n := g.NumNodes()
	var reach Bitset
	if o.Reachable || o.Garbage {
		reach = g.Reachable()
	}
	index := map[rowKey]int32{}
	var rows []HistogramRow
	rowOf := make([]int32, n) // -1: not counted
	for i := range n {
		id := NodeID(i)
		if (o.Reachable && !reach.Has(id)) || (o.Garbage && reach.Has(id)) {
			rowOf[i] = -1
			continue
		}
		k := rowKey{typ: g.TypeID(id)}
		if k.typ == 0 {
			k.size = g.size[i]
		}
		ri, ok := index[k]
		if !ok {
			ri = int32(len(rows))
			index[k] = ri
			name := ""
			if k.typ != 0 {
				name = g.typeNames[k.typ]
			} else {
				name = fmt.Sprintf("unknown (%d B)", k.size)
			}
			rows = append(rows, HistogramRow{Type: name, TypeID: k.typ})
		}
		rowOf[i] = ri
		rows[ri].Count++
		rows[ri].Bytes += g.size[i]
	}
	if o.Retained {
		g.addRetained(rows, rowOf)
	}

	less := func(a, b *HistogramRow) int {
		switch o.SortBy {
		case "count":
			if a.Count != b.Count {
				return b.Count - a.Count
			}
		case "retained":
			if a.Retained != b.Retained {
				return cmp.Compare(b.Retained, a.Retained)
			}
		case "type":
		default:
			if a.Bytes != b.Bytes {
				return cmp.Compare(b.Bytes, a.Bytes)
			}
		}
		return strings.Compare(a.Type, b.Type)
	}
	slices.SortFunc(rows, func(a, b HistogramRow) int { return less(&a, &b) })
	return rows
}

// addRetained adds to each row the retained sizes of its objects that have
// no dominator of the same row, walking the dominator tree depth-first
// (iteratively) with a count per row of the ancestors on the current path.
func (g *Graph) addRetained(rows []HistogramRow, rowOf []int32) {
	d := g.Dominators()
	n := g.NumNodes()
	// Children lists of the dominator tree, CSR; the super-root's are
	// kept at index n.
	start := make([]uint32, n+2)
	for _, p := range d.idom {
		switch p {
		case NoNode:
		case SuperRoot:
			start[n+1]++
		default:
			start[p+1]++
		}
	}
	for i := range n + 1 {
		start[i+1] += start[i]
	}
	child := make([]NodeID, start[n+1])
	fill := slices.Clone(start[:n+1])
	for v, p := range d.idom {
		switch p {
		case NoNode:
			continue
		case SuperRoot:
			p = NodeID(n)
		}
		child[fill[p]] = NodeID(v)
		fill[p]++
	}
	fill = nil

	onPath := make([]int32, len(rows))
	type frame struct {
		node NodeID
		next uint32
	}
	stack := []frame{{NodeID(n), start[n]}}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.next == start[top.node+1] {
			if v := top.node; int(v) < n && rowOf[v] >= 0 {
				onPath[rowOf[v]]--
			}
			stack = stack[:len(stack)-1]
			continue
		}
		v := child[top.next]
		top.next++
		if r := rowOf[v]; r >= 0 {
			if onPath[r] == 0 {
				rows[r].Retained += d.retained[v]
			}
			onPath[r]++
		}
		stack = append(stack, frame{v, start[v]})
	}
}
