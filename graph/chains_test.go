package graph

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// distances returns the BFS hop count from the roots to every node (0 for
// unreachable), honouring ignore.
func distances(src *MemSource, rs *RootSet, ignore func(NodeID) bool) []int {
	dist := make([]int, len(src.Sizes))
	var frontier []NodeID
	for _, e := range rs.Edges {
		if dist[e.To] == 0 && !ignore(e.To) {
			dist[e.To] = 1
			frontier = append(frontier, e.To)
		}
	}
	for d := 2; len(frontier) > 0; d++ {
		var next []NodeID
		for _, v := range frontier {
			for _, e := range src.Edges[v] {
				if dist[e.To] == 0 && !ignore(e.To) {
					dist[e.To] = d
					next = append(next, e.To)
				}
			}
		}
		frontier = next
	}
	return dist
}

// checkChain verifies that c is a real path: the root holds the first hop
// at the given offset and each node holds the next at the given offset.
func checkChain(t *testing.T, g *Graph, src *MemSource, c Chain) {
	t.Helper()
	first := c.Hops[0]
	ok := false
	for _, e := range g.RootEdgesOf(c.Root) {
		if e.To == first.Node && e.Off == first.Off {
			ok = true
		}
	}
	if !ok {
		t.Fatalf("chain to %d: root %d holds no pointer to %d at %#x", c.Target, c.Root, first.Node, first.Off)
	}
	for i := 1; i < len(c.Hops); i++ {
		prev, hop := c.Hops[i-1].Node, c.Hops[i]
		ok := false
		for _, e := range src.Edges[prev] {
			if e.To == hop.Node && e.Off == hop.Off {
				ok = true
			}
		}
		if !ok {
			t.Fatalf("chain to %d: node %d holds no pointer to %d at %#x", c.Target, prev, hop.Node, hop.Off)
		}
	}
	if c.Hops[len(c.Hops)-1].Node != c.Target {
		t.Fatalf("chain to %d ends at %d", c.Target, c.Hops[len(c.Hops)-1].Node)
	}
}

func TestChainsAreShortestRealPaths(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for range 200 {
		n := 1 + rng.IntN(80)
		g, src, rs := randomGraph(t, rng, n, 1.1, rng.IntN(4))
		var ignore func(NodeID) bool
		if rng.IntN(2) == 0 {
			bad := NodeID(rng.IntN(n))
			ignore = func(v NodeID) bool { return v == bad }
		}
		opts := &ChainOptions{Ignore: ignore}
		if ignore == nil {
			ignore = func(NodeID) bool { return false }
		}
		dist := distances(src, rs, ignore)
		var targets []NodeID
		for range 1 + rng.IntN(5) {
			targets = append(targets, NodeID(rng.IntN(n)))
		}
		chains := g.Chains(targets, opts)
		again := g.Chains(targets, opts)
		if !reflect.DeepEqual(chains, again) {
			t.Fatalf("two runs gave different chains")
		}
		for i, c := range chains {
			if c.Target != targets[i] {
				t.Fatalf("chain %d is for %d, asked %d", i, c.Target, targets[i])
			}
			want := dist[c.Target]
			if !c.Found {
				if want != 0 {
					t.Fatalf("no chain to %d, but it is %d hops from a root", c.Target, want)
				}
				continue
			}
			if len(c.Hops) != want {
				t.Fatalf("chain to %d has %d hops, shortest is %d", c.Target, len(c.Hops), want)
			}
			checkChain(t, g, src, c)
		}
	}
}

func TestChainOptions(t *testing.T) {
	// root0 -> 0 -> 1 -> 2 -> 3 ; root1 -> 4 -> 3 ; 5 -> 3 (5 unreachable)
	src := &MemSource{
		Sizes: []uint64{8, 8, 8, 8, 8, 8},
		Edges: [][]Edge{{{0, 1}}, {{8, 2}}, {{16, 3}}, nil, {{24, 3}}, {{0, 3}}},
	}
	rs := &RootSet{
		Roots: []Root{{Name: "a"}, {Name: "b"}},
		Edges: []RootEdge{{Root: 0, Off: 0x10, To: 0}, {Root: 1, Off: 0x20, To: 4}},
	}
	g, err := Build(src, rs, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := g.Chains([]NodeID{3, 5}, nil)
	want := Chain{Target: 3, Found: true, Root: 1, Hops: []Hop{{4, 0x20}, {3, 24}}}
	if !reflect.DeepEqual(c[0], want) {
		t.Errorf("chain to 3: %+v, want %+v", c[0], want)
	}
	if c[1].Found || c[1].Root != -1 {
		t.Errorf("garbage node 5 has a chain: %+v", c[1])
	}
	// Without node 4 the chain goes the long way.
	c = g.Chains([]NodeID{3}, &ChainOptions{Ignore: func(v NodeID) bool { return v == 4 }})
	want = Chain{Target: 3, Found: true, Root: 0, Hops: []Hop{{0, 0x10}, {1, 0}, {2, 8}, {3, 16}}}
	if !reflect.DeepEqual(c[0], want) {
		t.Errorf("chain to 3 avoiding 4: %+v, want %+v", c[0], want)
	}
	c = g.Chains([]NodeID{3}, &ChainOptions{IgnoreRoot: func(r int) bool { return r == 1 }, MaxDepth: 3})
	if c[0].Found {
		t.Errorf("chain longer than MaxDepth 3: %+v", c[0])
	}
	// The filter refuses 4 as an intermediate node; targets pass anyway.
	c = g.Chains([]NodeID{3, 4}, &ChainOptions{Filter: func(v NodeID) bool { return v != 4 }})
	if len(c[0].Hops) != 4 || c[0].Root != 0 || !c[1].Found || len(c[1].Hops) != 1 {
		t.Errorf("filtered chains: %+v", c)
	}
}
