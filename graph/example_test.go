package graph_test

import (
	"fmt"

	"github.com/heapgraph/heapgraph/graph"
)

// A global holds a cache (node 0) whose table (1) holds two entries (2, 3);
// entry 3 is also held by a goroutine's frame. Node 4 is garbage.
func Example() {
	src := &graph.MemSource{
		Sizes: []uint64{48, 256, 64, 64, 32},
		Edges: [][]graph.Edge{
			{{Off: 0x10, To: 1}},
			{{Off: 0x0, To: 2}, {Off: 0x8, To: 3}},
			nil,
			nil,
			{{Off: 0x0, To: 2}},
		},
	}
	roots := &graph.RootSet{
		Roots: []graph.Root{
			{Kind: graph.RootGlobal, Name: "main.cache", Object: graph.NoNode},
			{Kind: graph.RootStack, Name: "goroutine 7 main.worker (frame 1)", Object: graph.NoNode},
		},
		Edges: []graph.RootEdge{{Root: 0, Off: 0, To: 0}, {Root: 1, Off: 0x28, To: 3}},
	}
	g, err := graph.Build(src, roots, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range g.Chains([]graph.NodeID{2, 3, 4}, nil) {
		if !c.Found {
			fmt.Printf("%d: garbage\n", c.Target)
			continue
		}
		fmt.Printf("%d: %s", c.Target, g.Roots()[c.Root].Name)
		for _, h := range c.Hops {
			fmt.Printf(" -%s-> %d", g.RootSlotName(c.Root, h.Off), h.Node)
			break
		}
		for i, h := range c.Hops[1:] {
			fmt.Printf(" -%s-> %d", g.FieldName(c.Hops[i].Node, h.Off), h.Node)
		}
		fmt.Println()
	}
	d := g.Dominators()
	fmt.Println("retained by the cache:", d.Retained(0), "of", d.ReachableBytes())
	// Output:
	// 2: main.cache -+0x0-> 0 -+0x10-> 1 -+0x0-> 2
	// 3: goroutine 7 main.worker (frame 1) -+0x28-> 3
	// 4: garbage
	// retained by the cache: 368 of 432
}
