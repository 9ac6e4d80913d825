package graph

// SuperRoot is the idom of the nodes held directly (and only) through
// roots: the virtual node above all roots.
const SuperRoot NodeID = NoNode - 1

// Dominators is the dominator tree of the reachable nodes, rooted at a
// virtual super-root above all roots, and the retained sizes it gives.
type Dominators struct {
	idom     []NodeID // NoNode for unreachable nodes, SuperRoot for children of the super-root
	retained []uint64 // user bytes freed if the node were freed; 0 when unreachable
	total    uint64   // bytes reachable from the roots
}

// Idom returns the immediate dominator of n: SuperRoot if only the
// super-root dominates it, NoNode if n is unreachable.
func (d *Dominators) Idom(n NodeID) NodeID { return d.idom[n] }

// Retained returns the bytes that would be freed if n became unreachable:
// the sum of the sizes of the nodes n dominates, n included.
func (d *Dominators) Retained(n NodeID) uint64 { return d.retained[n] }

// ReachableBytes returns the sum of the sizes of all reachable nodes (the
// retained size of the super-root).
func (d *Dominators) ReachableBytes() uint64 { return d.total }

// Dominators computes (once) and returns the dominator tree.
func (g *Graph) Dominators() *Dominators {
	g.domOnce.Do(func() { g.dom = g.computeDominators() })
	return g.dom
}

// computeDominators runs the semi-NCA algorithm (Georgiadis; the
// Lengauer–Tarjan semidominators followed by a nearest-common-ancestor
// pass) without recursion: an explicit stack for the depth-first search
// and for path compression, so million-long linked lists are fine.
//
// Reachable nodes get preorder numbers 1..R; number 0 is the super-root,
// whose successors are the roots' targets in root-edge order. All the
// working arrays are indexed by preorder number.
func (g *Graph) computeDominators() *Dominators {
	n := g.NumNodes()
	r := g.Reachable().Count()

	pre := make([]uint32, n) // preorder number of each node, 0 if unreachable
	vertex := make([]NodeID, 1, r+1)
	vertex[0] = NoNode
	parent := make([]uint32, 1, r+1) // DFS parent; becomes the idom

	rootTarget := NewBitset(n)
	type frame struct {
		node NodeID
		next uint32 // next index into outTo
	}
	var stack []frame
	for _, e := range g.rootEdges {
		rootTarget.Set(e.To)
		if pre[e.To] != 0 {
			continue
		}
		pre[e.To] = uint32(len(vertex))
		vertex = append(vertex, e.To)
		parent = append(parent, 0)
		stack = append(stack, frame{e.To, g.outStart[e.To]})
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next == g.outStart[top.node+1] {
				stack = stack[:len(stack)-1]
				continue
			}
			w := g.outTo[top.next]
			top.next++
			if pre[w] == 0 {
				pre[w] = uint32(len(vertex))
				vertex = append(vertex, w)
				parent = append(parent, pre[top.node])
				stack = append(stack, frame{w, g.outStart[w]})
			}
		}
	}
	stack = nil
	last := len(vertex) - 1

	// Semidominators, in reverse preorder. ancestor starts as the DFS
	// parent and is compressed by eval; label[v] is the vertex of least
	// semi on the compressed path above v.
	semi := make([]uint32, last+1)
	label := make([]uint32, last+1)
	ancestor := make([]uint32, last+1)
	for i := range semi {
		semi[i] = uint32(i)
		label[i] = uint32(i)
	}
	copy(ancestor, parent)
	var path []uint32
	// eval returns the vertex of least semi on the path from v up to the
	// first ancestor not yet linked (number < lastLinked), compressing it.
	eval := func(v, lastLinked uint32) uint32 {
		if ancestor[v] < lastLinked {
			return label[v]
		}
		path = path[:0]
		for ancestor[v] >= lastLinked {
			path = append(path, v)
			v = ancestor[v]
		}
		// v is the topmost linked vertex; walk back down.
		p := v
		for k := len(path) - 1; k >= 0; k-- {
			u := path[k]
			ancestor[u] = ancestor[p]
			if semi[label[p]] < semi[label[u]] {
				label[u] = label[p]
			}
			p = u
		}
		return label[p]
	}
	for w := last; w >= 1; w-- {
		node := vertex[w]
		if rootTarget.Has(node) {
			semi[w] = 0
			continue
		}
		s := parent[w]
		for _, v := range g.inFrom[g.inStart[node]:g.inStart[node+1]] {
			pv := pre[v]
			if pv == 0 {
				continue // unreachable referrer
			}
			if u := semi[eval(pv, uint32(w)+1)]; u < s {
				s = u
			}
		}
		semi[w] = s
	}
	label, ancestor, path = nil, nil, nil

	// Immediate dominators: the nearest ancestor of the DFS parent whose
	// number is at most semi.
	idom := parent
	for w := 1; w <= last; w++ {
		c := idom[w]
		for c > semi[w] {
			c = idom[c]
		}
		idom[w] = c
	}
	semi = nil

	// Retained sizes: children have larger numbers than their idom.
	retNum := make([]uint64, last+1)
	for w := last; w >= 1; w-- {
		retNum[w] += g.size[vertex[w]]
		retNum[idom[w]] += retNum[w]
	}

	d := &Dominators{
		idom:     make([]NodeID, n),
		retained: make([]uint64, n),
		total:    retNum[0],
	}
	for i := range d.idom {
		d.idom[i] = NoNode
	}
	for w := 1; w <= last; w++ {
		v := vertex[w]
		d.retained[v] = retNum[w]
		if idom[w] == 0 {
			d.idom[v] = SuperRoot
		} else {
			d.idom[v] = vertex[idom[w]]
		}
	}
	return d
}
