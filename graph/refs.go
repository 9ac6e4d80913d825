package graph

// RefOptions tune Refs. The zero value (or nil) is the default.
type RefOptions struct {
	// MaxDepth is the number of forward hops walked from the start objects
	// (default 3, like objgraph.show_refs).
	MaxDepth int
	// TooMany caps the objects shown per node among those it points to
	// (default 10); the others are counted in BackrefNode.More.
	TooMany int
	// Ignore, if non-nil, skips the nodes for which it returns true.
	Ignore func(NodeID) bool
}

// Refs is the subgraph drawn in an objgraph-style references picture
// (show_refs). It has the shape of Backrefs so both are drawn by the same
// code, with edges pointing away from the start objects instead of towards
// the targets: Depth is the distance from the nearest start object (which
// has Target set), More counts the pointees left out, Unexplored marks
// nodes at MaxDepth that point to objects not walked, and Root is always
// -1 (roots hold objects; no object points to a root).
type Refs struct {
	Nodes []BackrefNode
	Edges []BackrefEdge
}

// Refs walks forward edges breadth-first from starts up to MaxDepth,
// keeping at most TooMany pointees per node. Output order is
// deterministic: nodes in discovery order; the pointees of a node in the
// order of the slots holding them, and an object holding several pointers
// to the same pointee gives one edge, at its lowest slot offset.
func (g *Graph) Refs(starts []NodeID, opts *RefOptions) *Refs {
	var o RefOptions
	if opts != nil {
		o = *opts
	}
	o.MaxDepth, o.TooMany = walkLimits(o.MaxDepth, o.TooMany)
	r := &Refs{}
	var nodeIndex map[NodeID]int
	var queue []int
	r.Nodes, nodeIndex, queue = g.walkStart(starts, o.Ignore)

	seen := map[NodeID]bool{} // pointees of the node being walked
	for head := 0; head < len(queue); head++ {
		ri := queue[head]
		node, depth := r.Nodes[ri].Node, r.Nodes[ri].Depth
		atLimit := depth >= o.MaxDepth
		shown, more := 0, 0
		clear(seen)
		for _, to := range g.Out(node) {
			if seen[to] {
				continue // several slots point to the same object: one edge
			}
			seen[to] = true
			if o.Ignore != nil && o.Ignore(to) {
				continue
			}
			if atLimit {
				r.Nodes[ri].Unexplored = true
				break
			}
			if shown == o.TooMany {
				more++
				continue
			}
			ni, ok := nodeIndex[to]
			if !ok {
				ni = len(r.Nodes)
				nodeIndex[to] = ni
				r.Nodes = append(r.Nodes, BackrefNode{Node: to, Root: -1, Depth: depth + 1})
				queue = append(queue, ni)
			}
			off, _ := g.OffsetTo(node, to)
			r.Edges = append(r.Edges, BackrefEdge{From: ri, To: ni, Off: off})
			shown++
		}
		r.Nodes[ri].More = more
	}
	return r
}
