package graph

import (
	"cmp"
	"slices"
)

// WideEdges is the out-degree above which a node's edge offsets are stored
// rather than recomputed from the Source.
const WideEdges = 1024

// EdgeOffset returns the byte offset in node from of the slot holding its
// kth outgoing pointer (the pointer to Out(from)[k]). It is read from the
// wide-node table or recomputed from the Source; ok is false if the Source
// cannot say.
func (g *Graph) EdgeOffset(from NodeID, k int) (off uint64, ok bool) {
	out := g.Out(from)
	if k < 0 || k >= len(out) {
		return 0, false
	}
	if i, wide := slices.BinarySearch(g.wideNodes, from); wide {
		return uint64(g.wideOff[g.wideBase[i]+uint32(k)]), true
	}
	to := out[k]
	nth := 0
	for _, t := range out[:k] {
		if t == to {
			nth++
		}
	}
	return g.src.EdgeOffset(from, to, nth)
}

// OffsetTo returns the offset of the first slot of node from that points
// to node to. For a wide node the first call sorts its edges by target
// (once; 4 bytes per edge, kept).
func (g *Graph) OffsetTo(from, to NodeID) (off uint64, ok bool) {
	i, wide := slices.BinarySearch(g.wideNodes, from)
	if !wide {
		return g.src.EdgeOffset(from, to, 0)
	}
	out := g.Out(from)
	byTarget := g.wideSorted(i)
	j, _ := slices.BinarySearchFunc(byTarget, to, func(k uint32, t NodeID) int {
		return cmp.Compare(out[k], t)
	})
	if j == len(byTarget) || out[byTarget[j]] != to {
		return 0, false
	}
	return uint64(g.wideOff[g.wideBase[i]+byTarget[j]]), true
}

// wideSorted returns the edge numbers of wide node i sorted by target,
// making them on first use: a big object's edges are searched by target
// when a picture shows one of its pointers.
func (g *Graph) wideSorted(i int) []uint32 {
	g.wideMu.Lock()
	byTarget, ok := g.wideByTarget[i]
	g.wideMu.Unlock()
	if ok {
		return byTarget
	}
	out := g.Out(g.wideNodes[i])
	byTarget = make([]uint32, len(out))
	for k := range byTarget {
		byTarget[k] = uint32(k)
	}
	slices.SortFunc(byTarget, func(a, b uint32) int {
		if c := cmp.Compare(out[a], out[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	g.wideMu.Lock()
	if g.wideByTarget == nil {
		g.wideByTarget = map[int][]uint32{}
	}
	g.wideByTarget[i] = byTarget
	g.wideMu.Unlock()
	return byTarget
}
