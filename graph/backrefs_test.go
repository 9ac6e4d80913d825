package graph

import (
	"reflect"
	"testing"
)

func TestBackrefs(t *testing.T) {
	// Node 0 is the target, held by nodes 1..12 (at offset 8*i) and by
	// root 0 (global "g" at +0x18). Node 1 is held by node 13, node 13 by
	// node 14; node 14 by root 1.
	n := 15
	src := &MemSource{Sizes: make([]uint64, n), Edges: make([][]Edge, n)}
	for i := 1; i <= 12; i++ {
		src.Edges[i] = []Edge{{Off: uint64(8 * i), To: 0}}
	}
	src.Edges[13] = []Edge{{Off: 0, To: 1}, {Off: 8, To: 1}}
	src.Edges[14] = []Edge{{Off: 0, To: 13}}
	rs := &RootSet{
		Roots: []Root{{Name: "g"}, {Name: "h"}},
		Edges: []RootEdge{{Root: 0, Off: 0x18, To: 0}, {Root: 1, Off: 0, To: 14}},
	}
	g, err := Build(src, rs, nil)
	if err != nil {
		t.Fatal(err)
	}
	br := g.Backrefs([]NodeID{0}, &BackrefOptions{MaxDepth: 2, TooMany: 4})
	wantNodes := []BackrefNode{
		{Node: 0, Root: -1, Target: true, More: 9}, // 13 referrers, 4 shown: root 0, nodes 1..3
		{Node: NoNode, Root: 0, Depth: 1},
		{Node: 1, Root: -1, Depth: 1},
		{Node: 2, Root: -1, Depth: 1},
		{Node: 3, Root: -1, Depth: 1},
		{Node: 13, Root: -1, Depth: 2, Unexplored: true},
	}
	wantEdges := []BackrefEdge{
		{From: 1, To: 0, Off: 0x18},
		{From: 2, To: 0, Off: 8},
		{From: 3, To: 0, Off: 16},
		{From: 4, To: 0, Off: 24},
		{From: 5, To: 2, Off: 0}, // two slots, one edge, first slot
	}
	if !reflect.DeepEqual(br.Nodes, wantNodes) {
		t.Errorf("nodes:\n got %+v\nwant %+v", br.Nodes, wantNodes)
	}
	if !reflect.DeepEqual(br.Edges, wantEdges) {
		t.Errorf("edges:\n got %+v\nwant %+v", br.Edges, wantEdges)
	}

	// Deeper, the walk stops at root 1 above node 14.
	br = g.Backrefs([]NodeID{1}, &BackrefOptions{MaxDepth: 5})
	last := br.Nodes[len(br.Nodes)-1]
	if len(br.Nodes) != 4 || last.Root != 1 || last.Depth != 3 || last.Unexplored {
		t.Errorf("walk to root 1: %+v", br.Nodes)
	}
}
