package graph

// walkLimits applies the objgraph defaults shared by Backrefs and Refs:
// 3 hops and 10 neighbours per node when a limit is not positive.
func walkLimits(maxDepth, tooMany int) (int, int) {
	if maxDepth <= 0 {
		maxDepth = 3
	}
	if tooMany <= 0 {
		tooMany = 10
	}
	return maxDepth, tooMany
}

// walkStart seeds a breadth-first picture walk: one target node per
// distinct, valid, not ignored start object, in the order given. It
// returns the nodes, the index of each object among them, and the queue
// of node indexes to walk.
func (g *Graph) walkStart(starts []NodeID, ignore func(NodeID) bool) ([]BackrefNode, map[NodeID]int, []int) {
	var nodes []BackrefNode
	index := map[NodeID]int{}
	var queue []int
	for _, s := range starts {
		if int(s) >= g.NumNodes() || (ignore != nil && ignore(s)) {
			continue
		}
		if _, ok := index[s]; ok {
			continue
		}
		index[s] = len(nodes)
		queue = append(queue, len(nodes))
		nodes = append(nodes, BackrefNode{Node: s, Root: -1, Target: true})
	}
	return nodes, index, queue
}
