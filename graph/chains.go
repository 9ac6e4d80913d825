package graph

// ChainOptions tune Chains. The zero value (or nil) is the default.
type ChainOptions struct {
	// MaxDepth bounds the number of hops of a chain (0: no bound).
	MaxDepth int
	// Filter, if non-nil, restricts the intermediate nodes of a chain to
	// those for which it returns true (targets are always allowed).
	Filter func(NodeID) bool
	// Ignore, if non-nil, removes the nodes for which it returns true from
	// the graph for this search (targets included).
	Ignore func(NodeID) bool
	// IgnoreRoot, if non-nil, removes the roots (index into Roots) for
	// which it returns true.
	IgnoreRoot func(r int) bool
}

// Hop is one step of a chain: the node reached and the byte offset of the
// slot, in the previous hop's node (or in the root for the first hop), that
// holds the pointer to it.
type Hop struct {
	Node NodeID
	Off  uint64
}

// Chain is the shortest path from a root to a target.
type Chain struct {
	Target NodeID
	// Found is false when no root reaches Target under the options (the
	// object is garbage, or every path is filtered out or too long).
	Found bool
	Root  int   // index into Graph.Roots(), -1 when not found
	Hops  []Hop // first node held by the root ... Target
}

// Chains returns, for each target, a shortest retention chain from a root.
//
// It runs one breadth-first search from all roots at once over forward
// edges, stopping as soon as every target has been reached, so the cost is
// at most one pass over the graph however many targets are asked for. The
// tie-break is deterministic: root edges are visited in (root index, slot
// offset, node id) order and the out edges of a node in slot order, and
// the first discovery of a node fixes its parent. Among equally short
// chains the one found first wins.
func (g *Graph) Chains(targets []NodeID, opts *ChainOptions) []Chain {
	return g.chains(targets, opts)
}

// parentNone marks an unvisited node in the chains search. Other parent
// values are the index into outTo of the edge that reached the node, or,
// from NumEdges on, NumEdges plus the index of the root edge.
const parentNone = ^uint32(0)

func (g *Graph) chains(targets []NodeID, opts *ChainOptions) []Chain {
	var o ChainOptions
	if opts != nil {
		o = *opts
	}
	n := g.NumNodes()
	res := make([]Chain, len(targets))
	want := NewBitset(n)
	remaining := 0
	for i, t := range targets {
		res[i] = Chain{Target: t, Root: -1}
		if int(t) >= n || want.Has(t) || (o.Ignore != nil && o.Ignore(t)) {
			continue
		}
		want.Set(t)
		remaining++
	}
	if remaining == 0 {
		return res
	}

	parent := make([]uint32, n)
	for i := range parent {
		parent[i] = parentNone
	}
	// The queue holds at most the reachable nodes; sizing it up front
	// avoids copying it as it grows.
	queue := make([]NodeID, 0, g.Reachable().Count())
	// visit records the first discovery of m and reports whether the
	// search may go on from it.
	visit := func(m NodeID, from uint32) bool {
		if parent[m] != parentNone || (o.Ignore != nil && o.Ignore(m)) {
			return false
		}
		pass := o.Filter == nil || o.Filter(m)
		isTarget := want.Has(m)
		if !pass && !isTarget {
			return false
		}
		parent[m] = from
		if isTarget {
			remaining--
		}
		if pass {
			queue = append(queue, m)
		}
		return true
	}
	ne := uint32(len(g.outTo))
	for i, e := range g.rootEdges {
		if o.IgnoreRoot != nil && o.IgnoreRoot(e.Root) {
			continue
		}
		visit(e.To, ne+uint32(i))
	}
	depth := 1
	for head := 0; head < len(queue) && remaining > 0; depth++ {
		if o.MaxDepth > 0 && depth >= o.MaxDepth {
			break
		}
		end := len(queue)
		for ; head < end && remaining > 0; head++ {
			p := queue[head]
			for e := g.outStart[p]; e < g.outStart[p+1]; e++ {
				visit(g.outTo[e], e)
			}
		}
	}

	for i := range res {
		t := res[i].Target
		if int(t) >= n || parent[t] == parentNone {
			continue
		}
		var hops []Hop
		cur := t
		for {
			e := parent[cur]
			if e >= ne {
				re := g.rootEdges[e-ne]
				hops = append(hops, Hop{Node: cur, Off: re.Off})
				res[i].Root = re.Root
				break
			}
			p := g.edgeSource(e)
			off, _ := g.EdgeOffset(p, int(e-g.outStart[p]))
			hops = append(hops, Hop{Node: cur, Off: off})
			cur = p
		}
		for a, b := 0, len(hops)-1; a < b; a, b = a+1, b-1 {
			hops[a], hops[b] = hops[b], hops[a]
		}
		res[i].Hops = hops
		res[i].Found = true
	}
	return res
}

// edgeSource returns the node whose out edges include outTo[e].
func (g *Graph) edgeSource(e uint32) NodeID {
	// The last node whose first edge is at or before e and which has edges.
	lo, hi := 0, g.NumNodes()
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if g.outStart[m+1] <= e {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return NodeID(lo)
}
