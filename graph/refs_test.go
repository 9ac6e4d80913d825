package graph

import (
	"reflect"
	"testing"
)

func TestRefs(t *testing.T) {
	// Node 0 is the start; it points to nodes 1..12 (slot i at offset
	// 8*(i-1)) and to node 1 again at 0x60. Node 1 points to node 13 twice
	// and back to node 0; node 13 points to node 14, node 14 to node 15.
	n := 16
	src := &MemSource{Sizes: make([]uint64, n), Edges: make([][]Edge, n)}
	for i := 1; i <= 12; i++ {
		src.Edges[0] = append(src.Edges[0], Edge{Off: uint64(8 * (i - 1)), To: NodeID(i)})
	}
	src.Edges[0] = append(src.Edges[0], Edge{Off: 0x60, To: 1})
	src.Edges[1] = []Edge{{Off: 0, To: 13}, {Off: 8, To: 13}, {Off: 16, To: 0}}
	src.Edges[13] = []Edge{{Off: 0, To: 14}}
	src.Edges[14] = []Edge{{Off: 0, To: 15}}
	g, err := Build(src, &RootSet{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := g.Refs([]NodeID{0}, &RefOptions{MaxDepth: 2, TooMany: 4})
	wantNodes := []BackrefNode{
		{Node: 0, Root: -1, Target: true, More: 8}, // 12 distinct pointees, 4 shown
		{Node: 1, Root: -1, Depth: 1},
		{Node: 2, Root: -1, Depth: 1},
		{Node: 3, Root: -1, Depth: 1},
		{Node: 4, Root: -1, Depth: 1},
		{Node: 13, Root: -1, Depth: 2, Unexplored: true},
	}
	wantEdges := []BackrefEdge{
		{From: 0, To: 1, Off: 0}, // also at 0x60: one edge, first slot
		{From: 0, To: 2, Off: 8},
		{From: 0, To: 3, Off: 16},
		{From: 0, To: 4, Off: 24},
		{From: 1, To: 5, Off: 0},  // two slots, one edge
		{From: 1, To: 0, Off: 16}, // back to the start: drawn, not walked again
	}
	if !reflect.DeepEqual(r.Nodes, wantNodes) {
		t.Errorf("nodes:\n got %+v\nwant %+v", r.Nodes, wantNodes)
	}
	if !reflect.DeepEqual(r.Edges, wantEdges) {
		t.Errorf("edges:\n got %+v\nwant %+v", r.Edges, wantEdges)
	}

	// Deeper, the walk ends at node 15, which points nowhere.
	r = g.Refs([]NodeID{13}, &RefOptions{MaxDepth: 5})
	last := r.Nodes[len(r.Nodes)-1]
	if len(r.Nodes) != 3 || last.Node != 15 || last.Depth != 2 || last.Unexplored {
		t.Errorf("walk to node 15: %+v", r.Nodes)
	}
	// Ignored pointees are neither drawn nor counted.
	r = g.Refs([]NodeID{0}, &RefOptions{TooMany: 4, Ignore: func(n NodeID) bool { return n >= 2 && n <= 12 }})
	if len(r.Nodes) < 2 || r.Nodes[0].More != 0 || r.Nodes[1].Node != 1 {
		t.Errorf("with ignore: %+v", r.Nodes)
	}
}
