package graph

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
)

// RootSet is the roots of a graph and the pointers they hold.
type RootSet struct {
	Roots []Root
	Edges []RootEdge // any order; Build sorts a copy
	// Dropped counts the non-nil root slots that point into no node.
	Dropped int
}

// BuildOptions tune Build. The zero value (or nil) is the default.
type BuildOptions struct {
	// Workers is the number of goroutines resolving edges (default
	// GOMAXPROCS). The node range is split into that many parts.
	Workers int
}

// Build reads every node's edges from src once and builds the forward and
// reverse adjacency.
//
// Each worker resolves a contiguous range of nodes, recording the out-degree
// of each node and appending the targets to a list of its own (4 bytes per
// edge, no offsets); the lists are then copied into one flat array and the
// reverse adjacency is made from it by counting and filling. Peak memory is
// about 12 bytes per edge (worker lists + forward + reverse), settling to 8.
//
// The edges of a finalizer root to the referents of its object (Off at or
// above FinalizerObjChild) are dropped when the object is reachable from
// the other roots: the object holds those referents itself, so nothing
// becomes unreachable, and chains and dominators then go through the
// object, which is why they are alive. When the object is unreachable its
// finalizer is what keeps them, and the edges stay.
func Build(src Source, rs *RootSet, opts *BuildOptions) (*Graph, error) {
	n := src.NumNodes()
	if n < 0 || uint64(n) >= uint64(SuperRoot) {
		return nil, fmt.Errorf("graph: %d nodes is more than the %d a graph can hold", n, SuperRoot)
	}
	if rs == nil {
		rs = &RootSet{}
	}
	workers := runtime.GOMAXPROCS(0)
	if opts != nil && opts.Workers > 0 {
		workers = opts.Workers
	}
	if workers > n {
		workers = max(n, 1)
	}

	g := &Graph{
		src:      src,
		size:     make([]uint64, n),
		outStart: make([]uint32, n+1),
		inStart:  make([]uint32, n+1),
	}

	// Pass 1: resolve the edges of each range into the worker's own list;
	// outStart[i+1] temporarily holds the out-degree of node i.
	type part struct {
		to        chunkList
		wideNodes []NodeID
		wideOff   []uint32
		dropped   int
		bad       error
	}
	parts := make([]part, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := &parts[w]
			var buf []Edge
			for i := lo; i < hi; i++ {
				id := NodeID(i)
				g.size[i] = src.NodeSize(id)
				var d int
				buf, d = src.AppendEdges(id, buf[:0])
				p.dropped += d
				for _, e := range buf {
					if int(e.To) >= n {
						if p.bad == nil {
							p.bad = fmt.Errorf("graph: node %d: edge at offset %#x to node %d, only %d nodes", i, e.Off, e.To, n)
						}
						continue
					}
					p.to.add(e.To)
				}
				g.outStart[i+1] = uint32(len(buf))
				if len(buf) > WideEdges && buf[len(buf)-1].Off <= math.MaxUint32 {
					p.wideNodes = append(p.wideNodes, id)
					for _, e := range buf {
						p.wideOff = append(p.wideOff, uint32(e.Off))
					}
				}
			}
		}()
	}
	wg.Wait()

	total := 0
	for w := range parts {
		if parts[w].bad != nil {
			return nil, parts[w].bad
		}
		total += parts[w].to.len()
		g.dropped += parts[w].dropped
	}
	if uint64(total) > math.MaxUint32 {
		return nil, fmt.Errorf("graph: %d edges is more than the %d a graph can hold", total, uint64(math.MaxUint32))
	}
	for i := range n {
		g.outStart[i+1] += g.outStart[i]
	}

	// Pass 2: one flat forward array, then the reverse one.
	g.outTo = make([]NodeID, 0, total)
	for w := range parts {
		p := &parts[w]
		g.outTo = p.to.appendTo(g.outTo)
		for _, v := range p.wideNodes {
			g.wideBase = append(g.wideBase, uint32(len(g.wideOff)))
			g.wideNodes = append(g.wideNodes, v)
			n := g.outStart[v+1] - g.outStart[v]
			g.wideOff = append(g.wideOff, p.wideOff[:n]...)
			p.wideOff = p.wideOff[n:]
		}
		*p = part{}
	}
	g.buildReverse()

	if err := g.setRoots(rs); err != nil {
		return nil, err
	}
	g.pruneFinalizerChildren()
	return g, nil
}

// pruneFinalizerChildren drops the finalizer root edges to the referents of
// a finalized object when that object is reachable from the other roots
// (see Build).
func (g *Graph) pruneFinalizerChildren() {
	isChild := func(e RootEdge) bool {
		return e.Off >= FinalizerObjChild && g.roots[e.Root].Kind == RootFinalizer
	}
	if !slices.ContainsFunc(g.rootEdges, isChild) {
		return
	}
	strong := NewBitset(g.NumNodes())
	var stack []NodeID
	for _, e := range g.rootEdges {
		if !isChild(e) && !strong.Has(e.To) {
			strong.Set(e.To)
			stack = append(stack, e.To)
		}
	}
	g.markFrom(strong, stack)
	kept := g.rootEdges[:0]
	for _, e := range g.rootEdges {
		if isChild(e) {
			if obj := g.roots[e.Root].Object; obj != NoNode && int(obj) < g.NumNodes() && strong.Has(obj) {
				continue
			}
		}
		kept = append(kept, e)
	}
	g.indexRoots(kept)
}

// chunkList is a list of node ids that grows by whole chunks, so that
// growing never copies what is already there.
type chunkList struct {
	full [][]NodeID
	cur  []NodeID
}

const chunkLen = 1 << 20

func (c *chunkList) add(v NodeID) {
	if len(c.cur) == cap(c.cur) {
		if c.cur != nil {
			c.full = append(c.full, c.cur)
		}
		c.cur = make([]NodeID, 0, chunkLen)
	}
	c.cur = append(c.cur, v)
}

func (c *chunkList) len() int { return len(c.full)*chunkLen + len(c.cur) }

// appendTo appends the list to dst, releasing the chunks as it goes.
func (c *chunkList) appendTo(dst []NodeID) []NodeID {
	for i, ch := range c.full {
		dst = append(dst, ch...)
		c.full[i] = nil
	}
	dst = append(dst, c.cur...)
	*c = chunkList{}
	return dst
}

// buildReverse fills inStart and inFrom from the forward adjacency. Walking
// sources in increasing order leaves each node's referrers sorted.
func (g *Graph) buildReverse() {
	n := g.NumNodes()
	for _, t := range g.outTo {
		g.inStart[t+1]++
	}
	for i := range n {
		g.inStart[i+1] += g.inStart[i]
	}
	g.inFrom = make([]NodeID, len(g.outTo))
	// inStart[t] serves as the fill cursor of t; afterwards it holds the
	// end of t's list, i.e. the start of t+1's: shift back by one.
	for from := range n {
		for _, t := range g.outTo[g.outStart[from]:g.outStart[from+1]] {
			g.inFrom[g.inStart[t]] = NodeID(from)
			g.inStart[t]++
		}
	}
	copy(g.inStart[1:], g.inStart[:n])
	g.inStart[0] = 0
}

// setRoots checks and indexes the roots.
func (g *Graph) setRoots(rs *RootSet) error {
	n := g.NumNodes()
	g.roots = rs.Roots
	g.dropped += rs.Dropped
	if uint64(len(g.outTo))+uint64(len(rs.Edges)) >= math.MaxUint32 {
		return fmt.Errorf("graph: %d edges and %d root edges is more than a graph can hold", len(g.outTo), len(rs.Edges))
	}
	for _, e := range rs.Edges {
		if e.Root < 0 || e.Root >= len(g.roots) {
			return fmt.Errorf("graph: root edge to node %d names root %d, only %d roots", e.To, e.Root, len(g.roots))
		}
		if int(e.To) >= n {
			return fmt.Errorf("graph: root %d (%s): edge at offset %#x to node %d, only %d nodes", e.Root, g.roots[e.Root].Name, e.Off, e.To, n)
		}
	}
	g.indexRoots(slices.Clone(rs.Edges))
	g.finalized = nil
	for _, r := range g.roots {
		if r.Kind == RootFinalizer && r.Object != NoNode && int(r.Object) < n {
			g.finalized = append(g.finalized, r.Object)
		}
	}
	slices.Sort(g.finalized)
	g.finalized = slices.Compact(g.finalized)
	return nil
}

// indexRoots sorts edges (checked) and makes them the root edges.
func (g *Graph) indexRoots(edges []RootEdge) {
	g.rootEdges = edges
	slices.SortFunc(g.rootEdges, func(a, b RootEdge) int {
		if a.Root != b.Root {
			return a.Root - b.Root
		}
		if a.Off != b.Off {
			if a.Off < b.Off {
				return -1
			}
			return 1
		}
		return int(a.To) - int(b.To)
	})
	g.rootStart = make([]uint32, len(g.roots)+1)
	for _, e := range g.rootEdges {
		g.rootStart[e.Root+1]++
	}
	for r := range g.roots {
		g.rootStart[r+1] += g.rootStart[r]
	}
	g.byTarget = make([]uint32, len(g.rootEdges))
	for i := range g.byTarget {
		g.byTarget[i] = uint32(i)
	}
	slices.SortStableFunc(g.byTarget, func(a, b uint32) int {
		return int(g.rootEdges[a].To) - int(g.rootEdges[b].To)
	})
}

// RootsHolding returns the indexes into RootEdges() of the root edges that
// point to n, in increasing order.
func (g *Graph) RootsHolding(n NodeID) []uint32 {
	lo, _ := slices.BinarySearchFunc(g.byTarget, n, func(i uint32, t NodeID) int {
		return int(g.rootEdges[i].To) - int(t)
	})
	hi := lo
	for hi < len(g.byTarget) && g.rootEdges[g.byTarget[hi]].To == n {
		hi++
	}
	return g.byTarget[lo:hi]
}
