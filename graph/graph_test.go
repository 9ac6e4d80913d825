package graph

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// randomGraph builds a random graph of n nodes with about deg edges per
// node and a few roots; edges sit at offsets 8, 16, ... in each node.
func randomGraph(t testing.TB, rng *rand.Rand, n int, deg float64, nroots int) (*Graph, *MemSource, *RootSet) {
	t.Helper()
	src := &MemSource{Sizes: make([]uint64, n), Edges: make([][]Edge, n)}
	for i := range n {
		src.Sizes[i] = uint64(8 * (1 + rng.IntN(8)))
		k := rng.IntN(int(2*deg) + 1)
		for j := range k {
			src.Edges[i] = append(src.Edges[i], Edge{Off: uint64(8 * j), To: NodeID(rng.IntN(n))})
		}
	}
	rs := &RootSet{}
	for r := range nroots {
		rs.Roots = append(rs.Roots, Root{Kind: RootGlobal, Name: "g", Object: NoNode})
		for j := range 1 + rng.IntN(2) {
			rs.Edges = append(rs.Edges, RootEdge{Root: r, Off: uint64(8 * j), To: NodeID(rng.IntN(n))})
		}
	}
	g, err := Build(src, rs, &BuildOptions{Workers: 1 + rng.IntN(3)})
	if err != nil {
		t.Fatal(err)
	}
	return g, src, rs
}

// reachWithout returns the nodes reachable from the roots when node skip
// (NoNode for none) is removed, by a plain search over the MemSource.
func reachWithout(src *MemSource, rs *RootSet, skip NodeID) []bool {
	seen := make([]bool, len(src.Sizes))
	var stack []NodeID
	push := func(v NodeID) {
		if v != skip && !seen[v] {
			seen[v] = true
			stack = append(stack, v)
		}
	}
	for _, e := range rs.Edges {
		push(e.To)
	}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, e := range src.Edges[v] {
			push(e.To)
		}
	}
	return seen
}

func TestAdjacencyMatchesSource(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		g, src, _ := randomGraph(t, rng, 1+rng.IntN(60), 2, 3)
		edges := 0
		var wantIn = make([][]NodeID, g.NumNodes())
		for v := range g.NumNodes() {
			out := g.Out(NodeID(v))
			if len(out) != len(src.Edges[v]) {
				t.Fatalf("node %d: %d out edges, source has %d", v, len(out), len(src.Edges[v]))
			}
			for k, e := range src.Edges[v] {
				if out[k] != e.To {
					t.Fatalf("node %d edge %d: to %d, source says %d", v, k, out[k], e.To)
				}
				off, ok := g.EdgeOffset(NodeID(v), k)
				// With duplicate targets EdgeOffset gives the kth slot's own offset.
				if !ok || off != e.Off {
					t.Fatalf("node %d edge %d: offset %d %v, want %d", v, k, off, ok, e.Off)
				}
				wantIn[e.To] = append(wantIn[e.To], NodeID(v))
			}
			edges += len(out)
		}
		if edges != g.NumEdges() {
			t.Fatalf("NumEdges %d, counted %d", g.NumEdges(), edges)
		}
		for v := range g.NumNodes() {
			if !slices.Equal(g.In(NodeID(v)), wantIn[v]) {
				t.Fatalf("node %d: In %v, want %v", v, g.In(NodeID(v)), wantIn[v])
			}
		}
	}
}

// TestWideNodeOffsets checks the stored offsets of a node with more than
// WideEdges edges, duplicates included, and chains through it.
func TestWideNodeOffsets(t *testing.T) {
	const n = 3000
	src := &MemSource{Sizes: make([]uint64, n), Edges: make([][]Edge, n)}
	for i := range n {
		src.Sizes[i] = 8
	}
	// Node 1 points to 2..n-1 from offset 16 on, and again to 5 at the end.
	for i := 2; i < n; i++ {
		src.Edges[1] = append(src.Edges[1], Edge{Off: uint64(8 * (i + 2)), To: NodeID(i)})
	}
	src.Edges[1] = append(src.Edges[1], Edge{Off: 8 * (n + 10), To: 5})
	rs := &RootSet{Roots: []Root{{Name: "g"}}, Edges: []RootEdge{{Root: 0, Off: 8, To: 1}}}
	g, err := Build(src, rs, &BuildOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.wideNodes) != 1 || g.wideNodes[0] != 1 {
		t.Fatalf("wide nodes %v, want [1]", g.wideNodes)
	}
	for k, e := range src.Edges[1] {
		if off, ok := g.EdgeOffset(1, k); !ok || off != e.Off {
			t.Fatalf("edge %d: offset %d %v, want %d", k, off, ok, e.Off)
		}
	}
	if off, ok := g.OffsetTo(1, 5); !ok || off != 8*7 {
		t.Fatalf("OffsetTo(1, 5) = %d %v, want %d", off, ok, 8*7)
	}
	c := g.Chains([]NodeID{n - 1}, nil)[0]
	want := []Hop{{1, 8}, {n - 1, 8 * (n + 1)}}
	if !slices.Equal(c.Hops, want) {
		t.Fatalf("chain %+v, want hops %v", c, want)
	}
}

func TestReachableMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		g, src, rs := randomGraph(t, rng, 1+rng.IntN(80), 1.2, rng.IntN(4))
		want := reachWithout(src, rs, NoNode)
		for v := range g.NumNodes() {
			if g.IsReachable(NodeID(v)) != want[v] {
				t.Fatalf("node %d: reachable %v, want %v", v, g.IsReachable(NodeID(v)), want[v])
			}
		}
	}
}

// TestRetainedMatchesBruteForce removes each node in turn and checks that
// the bytes that become unreachable are its retained size, and that its
// immediate dominator is the deepest of the nodes whose removal cuts it off.
func TestRetainedMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for iter := range 400 {
		n := 1 + rng.IntN(50)
		g, src, rs := randomGraph(t, rng, n, 0.6+rng.Float64()*1.5, rng.IntN(4))
		d := g.Dominators()
		base := reachWithout(src, rs, NoNode)
		var total uint64
		for v := range n {
			if base[v] {
				total += src.Sizes[v]
			}
		}
		if d.ReachableBytes() != total {
			t.Fatalf("graph %d: ReachableBytes %d, want %d", iter, d.ReachableBytes(), total)
		}
		// doms[v] lists the strict dominators of v.
		doms := make([][]NodeID, n)
		for v := range n {
			if !base[v] {
				if d.Retained(NodeID(v)) != 0 || d.Idom(NodeID(v)) != NoNode {
					t.Fatalf("graph %d: unreachable node %d has retained %d idom %d", iter, v, d.Retained(NodeID(v)), d.Idom(NodeID(v)))
				}
				continue
			}
			after := reachWithout(src, rs, NodeID(v))
			var lost uint64
			for u := range n {
				if base[u] && !after[u] {
					lost += src.Sizes[u]
					if u != v {
						doms[u] = append(doms[u], NodeID(v))
					}
				}
			}
			if got := d.Retained(NodeID(v)); got != lost {
				t.Fatalf("graph %d node %d: retained %d, brute force %d", iter, v, got, lost)
			}
		}
		for v := range n {
			if !base[v] {
				continue
			}
			want := SuperRoot
			// The idom is the strict dominator dominated by all the others:
			// the one with the most strict dominators of its own.
			best := -1
			for _, u := range doms[v] {
				if len(doms[u]) > best {
					best, want = len(doms[u]), u
				}
			}
			if got := d.Idom(NodeID(v)); got != want {
				t.Fatalf("graph %d node %d: idom %d, brute force %d", iter, v, got, want)
			}
		}
	}
}

// TestDeepList checks that nothing recurses: a list of a million nodes.
func TestDeepList(t *testing.T) {
	const n = 1 << 20
	src := &MemSource{Sizes: make([]uint64, n), Edges: make([][]Edge, n)}
	for i := range n {
		src.Sizes[i] = 16
		if i+1 < n {
			src.Edges[i] = []Edge{{Off: 8, To: NodeID(i + 1)}}
		}
	}
	rs := &RootSet{Roots: []Root{{Kind: RootGlobal, Name: "head", Object: NoNode}}, Edges: []RootEdge{{Root: 0, To: 0}}}
	g, err := Build(src, rs, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := g.Dominators()
	if d.Retained(0) != 16*n || d.Retained(n-1) != 16 || d.Idom(n-1) != n-2 || d.Idom(0) != SuperRoot {
		t.Fatalf("retained head %d tail %d, idom tail %d head %d", d.Retained(0), d.Retained(n-1), d.Idom(n-1), d.Idom(0))
	}
	c := g.Chains([]NodeID{n - 1}, nil)[0]
	if !c.Found || len(c.Hops) != n || c.Hops[0].Off != 0 || c.Hops[1].Off != 8 {
		t.Fatalf("chain to the tail: found %v, %d hops", c.Found, len(c.Hops))
	}
}

// TestFinalizerChildEdges checks that a finalizer's edges to its object's
// referents are kept only while the object is unreachable otherwise.
func TestFinalizerChildEdges(t *testing.T) {
	// 0 -> 1 (finalized) -> 2; 3 (finalized, unreachable) -> 4.
	src := &MemSource{
		Sizes: []uint64{8, 16, 32, 64, 128},
		Edges: [][]Edge{{{0, 1}}, {{8, 2}}, nil, {{0, 4}}, nil},
	}
	rs := &RootSet{
		Roots: []Root{
			{Kind: RootGlobal, Name: "g", Object: NoNode},
			{Kind: RootFinalizer, Name: "finalizer on 1", Object: 1},
			{Kind: RootFinalizer, Name: "finalizer on 3", Object: 3},
		},
		Edges: []RootEdge{
			{Root: 0, Off: 0, To: 0},
			{Root: 1, Off: FinalizerObjChild + 8, To: 2},
			{Root: 2, Off: FinalizerObjChild + 0, To: 4},
		},
	}
	g, err := Build(src, rs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.RootEdgesOf(1)) != 0 {
		t.Errorf("finalizer on reachable object 1 keeps edges %v", g.RootEdgesOf(1))
	}
	if want := []RootEdge{{Root: 2, Off: FinalizerObjChild, To: 4}}; !slices.Equal(g.RootEdgesOf(2), want) {
		t.Errorf("finalizer on unreachable object 3: edges %v, want %v", g.RootEdgesOf(2), want)
	}
	if !g.HasFinalizer(1) || !g.HasFinalizer(3) || g.HasFinalizer(2) {
		t.Errorf("HasFinalizer(1, 3, 2) = %v %v %v", g.HasFinalizer(1), g.HasFinalizer(3), g.HasFinalizer(2))
	}
	if g.IsReachable(3) || !g.IsReachable(4) {
		t.Errorf("reachable(3, 4) = %v %v, want false true", g.IsReachable(3), g.IsReachable(4))
	}
	d := g.Dominators()
	if d.Retained(0) != 56 || d.Idom(2) != 1 || d.Idom(4) != SuperRoot {
		t.Errorf("retained(0) %d idom(2) %d idom(4) %d", d.Retained(0), d.Idom(2), d.Idom(4))
	}
	if got := g.RootSlotName(2, FinalizerObjChild); got != "obj+0x0" {
		t.Errorf("slot name %q", got)
	}
}
