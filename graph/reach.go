package graph

// Reachable returns the set of nodes reachable from the roots. Nodes not in
// it are garbage awaiting collection. Computed on first use and cached; the
// returned set is shared: do not modify it.
func (g *Graph) Reachable() Bitset {
	g.reachOnce.Do(func() { g.reach = g.computeReachable() })
	return g.reach
}

// IsReachable reports whether node n is reachable from the roots.
func (g *Graph) IsReachable(n NodeID) bool { return g.Reachable().Has(n) }

// computeReachable marks from every root edge with an explicit stack
// (depth-first; order does not matter for a set).
func (g *Graph) computeReachable() Bitset {
	seen := NewBitset(g.NumNodes())
	var stack []NodeID
	for _, e := range g.rootEdges {
		if !seen.Has(e.To) {
			seen.Set(e.To)
			stack = append(stack, e.To)
		}
	}
	g.markFrom(seen, stack)
	return seen
}

// markFrom adds to seen everything reachable from the nodes on stack
// (which must already be in seen).
func (g *Graph) markFrom(seen Bitset, stack []NodeID) {
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, m := range g.outTo[g.outStart[n]:g.outStart[n+1]] {
			if seen[m>>6]&(1<<(m&63)) == 0 {
				seen[m>>6] |= 1 << (m & 63)
				stack = append(stack, m)
			}
		}
	}
}
