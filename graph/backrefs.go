package graph

// BackrefOptions tune Backrefs. The zero value (or nil) is the default.
type BackrefOptions struct {
	// MaxDepth is the number of reverse hops walked from the targets
	// (default 3, like objgraph.show_backrefs).
	MaxDepth int
	// TooMany caps the referrers shown per node (default 10); the others
	// are counted in BackrefNode.More.
	TooMany int
	// Filter, if non-nil, keeps only the referrers for which it returns
	// true (others are not shown and not counted).
	Filter func(NodeID) bool
	// Ignore, if non-nil, skips the nodes for which it returns true.
	Ignore func(NodeID) bool
	// NoRoots leaves root nodes out of the picture.
	NoRoots bool
}

// BackrefNode is a node of a back-reference subgraph: a heap object, or a
// root (Root >= 0).
type BackrefNode struct {
	Node   NodeID // the object, NoNode for a root node
	Root   int    // index into Graph.Roots() for a root node, -1 otherwise
	Depth  int    // BFS depth from the targets (targets are 0)
	Target bool
	// More counts the referrers of this node that were left out because
	// of TooMany.
	More int
	// Unexplored is set on nodes at MaxDepth whose referrers were not
	// walked (they have some).
	Unexplored bool
}

// BackrefEdge is an edge of a back-reference subgraph: From holds a
// pointer to To in its slot at offset Off. From and To index
// Backrefs.Nodes.
type BackrefEdge struct {
	From, To int
	Off      uint64
}

// Backrefs is the subgraph drawn in an objgraph-style back-reference
// picture.
type Backrefs struct {
	Nodes []BackrefNode
	Edges []BackrefEdge
}

// Backrefs walks reverse edges breadth-first from targets up to MaxDepth,
// keeping at most TooMany referrers per node, and stops at roots, which
// appear as nodes of their own. Output order is deterministic: nodes in
// discovery order; the referrers of a node are its roots first (in root
// index order: they answer "why is it alive"), then objects in increasing
// node id, and TooMany counts both. A referrer holding several pointers to
// a node gives one edge, at its lowest slot offset.
func (g *Graph) Backrefs(targets []NodeID, opts *BackrefOptions) *Backrefs {
	return g.backrefs(targets, opts)
}

func (g *Graph) backrefs(targets []NodeID, opts *BackrefOptions) *Backrefs {
	var o BackrefOptions
	if opts != nil {
		o = *opts
	}
	o.MaxDepth, o.TooMany = walkLimits(o.MaxDepth, o.TooMany)
	br := &Backrefs{}
	var nodeIndex map[NodeID]int
	var queue []int
	br.Nodes, nodeIndex, queue = g.walkStart(targets, o.Ignore)
	rootIndex := map[int]int{}

	for head := 0; head < len(queue); head++ {
		bi := queue[head]
		node, depth := br.Nodes[bi].Node, br.Nodes[bi].Depth
		shown, more := 0, 0
		atLimit := depth >= o.MaxDepth

		// Roots first: they answer the question.
		if !o.NoRoots {
			lastRoot := -1
			for _, ei := range g.RootsHolding(node) {
				e := g.rootEdges[ei]
				if e.Root == lastRoot {
					continue
				}
				lastRoot = e.Root
				if atLimit {
					br.Nodes[bi].Unexplored = true
					break
				}
				if shown == o.TooMany {
					more++
					continue
				}
				ri, ok := rootIndex[e.Root]
				if !ok {
					ri = len(br.Nodes)
					rootIndex[e.Root] = ri
					br.Nodes = append(br.Nodes, BackrefNode{Node: NoNode, Root: e.Root, Depth: depth + 1})
				}
				br.Edges = append(br.Edges, BackrefEdge{From: ri, To: bi, Off: e.Off})
				shown++
			}
		}
		in := g.In(node)
		for k, ref := range in {
			if k > 0 && in[k-1] == ref {
				continue // several slots of ref point to node: one edge
			}
			if (o.Ignore != nil && o.Ignore(ref)) || (o.Filter != nil && !o.Filter(ref)) {
				continue
			}
			if atLimit {
				br.Nodes[bi].Unexplored = true
				break
			}
			if shown == o.TooMany {
				more++
				continue
			}
			ni, ok := nodeIndex[ref]
			if !ok {
				ni = len(br.Nodes)
				nodeIndex[ref] = ni
				br.Nodes = append(br.Nodes, BackrefNode{Node: ref, Root: -1, Depth: depth + 1})
				queue = append(queue, ni)
			}
			off, _ := g.OffsetTo(ref, node)
			br.Edges = append(br.Edges, BackrefEdge{From: ni, To: bi, Off: off})
			shown++
		}
		br.Nodes[bi].More = more
	}
	return br
}
