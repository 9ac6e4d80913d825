package graph

import (
	"path/filepath"
	"testing"

	"github.com/heapgraph/heapgraph/heapdump"
)

// testDumps returns the committed dumps of ../testdata/dumps matching
// pattern, skipping the test if there are none.
func testDumps(t *testing.T, pattern string) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "testdata", "dumps", pattern))
	if err != nil {
		t.Fatal(err)
	}
	var dumps []string
	for _, p := range paths {
		if filepath.Ext(p) == ".dump" {
			dumps = append(dumps, p)
		}
	}
	if len(dumps) == 0 {
		t.Skipf("no dumps %s in ../testdata/dumps", pattern)
	}
	return dumps
}

func openGraph(t *testing.T, path string, sym Symbolizer) (*heapdump.Dump, *Graph) {
	t.Helper()
	d, err := heapdump.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	g, err := FromDump(d, &DumpOptions{Symbolizer: sym})
	if err != nil {
		t.Fatal(err)
	}
	return d, g
}

// TestDumpEdgesAreRealPointers checks every edge of every test dump
// against the dump's bytes: the word at the edge's slot offset in the
// source object resolves (Dump.Find) to the target; and every non-nil
// pointer slot is either an edge or counted as dropped.
func TestDumpEdgesAreRealPointers(t *testing.T) {
	for _, path := range testDumps(t, "*") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			d, g := openGraph(t, path, nil)
			if g.NumNodes() != d.NumObjects() {
				t.Fatalf("%d nodes for %d objects", g.NumNodes(), d.NumObjects())
			}
			ptr := d.Params.PtrSize
			var offs []uint64
			nonNil := 0
			for i := range g.NumNodes() {
				b := d.Contents(i)
				offs = d.PointerOffsets(i, offs[:0])
				for _, off := range offs {
					if d.Word(b[off:off+uint64(ptr)]) != 0 {
						nonNil++
					}
				}
				for k, to := range g.Out(NodeID(i)) {
					off, ok := g.EdgeOffset(NodeID(i), k)
					if !ok {
						t.Fatalf("object %d edge %d: no offset", i, k)
					}
					if j := d.Find(d.Word(b[off : off+uint64(ptr)])); j != int(to) {
						t.Fatalf("object %d edge %d at %#x: word resolves to %d, edge says %d", i, k, off, j, to)
					}
				}
			}
			rs := DumpRoots(d, nil)
			if got := g.NumEdges() + g.DroppedPointers() - rs.Dropped; got != nonNil {
				t.Errorf("%d edges + dropped object pointers, %d non-nil pointer slots", got, nonNil)
			}
			t.Logf("%d objects, %d edges, %d pointers into nothing, %d roots, %d reachable",
				g.NumNodes(), g.NumEdges(), g.DroppedPointers(), len(g.Roots()), g.Reachable().Count())
		})
	}
}

// verifyChain checks a chain against the dump's bytes: the root's slot
// holds a pointer into the first hop, each hop's slot a pointer into the
// next.
func verifyChain(t *testing.T, d *heapdump.Dump, g *Graph, c Chain) {
	t.Helper()
	ptr := uint64(d.Params.PtrSize)
	r := &g.Roots()[c.Root]
	first := c.Hops[0]
	var word uint64
	switch r.Kind {
	case RootGlobal:
		seg := &d.Data
		if r.Segment == "bss" {
			seg = &d.BSS
		}
		at := r.Addr + first.Off - seg.Addr
		word = d.Word(d.SegmentContents(seg)[at : at+ptr])
	case RootStack:
		if r.Depth >= 0 {
			var f *heapdump.StackFrame
			for i := range d.Frames {
				if d.Frames[i].SP == r.Addr {
					f = &d.Frames[i]
				}
			}
			if f == nil {
				t.Fatalf("root %q: no frame at SP %#x", r.Name, r.Addr)
			}
			word = d.Word(d.FrameContents(f)[first.Off : first.Off+ptr])
		}
	}
	if word != 0 && d.Find(word) != int(first.Node) {
		t.Fatalf("chain to %d: root %q slot %#x holds %#x, not a pointer into object %d", c.Target, r.Name, first.Off, word, first.Node)
	}
	for i := 1; i < len(c.Hops); i++ {
		from, hop := c.Hops[i-1].Node, c.Hops[i]
		b := d.Contents(int(from))
		if hop.Off+ptr > uint64(len(b)) {
			t.Fatalf("chain to %d: offset %#x outside object %d", c.Target, hop.Off, from)
		}
		if w := d.Word(b[hop.Off : hop.Off+ptr]); d.Find(w) != int(hop.Node) {
			t.Fatalf("chain to %d: object %d slot %#x holds %#x, not a pointer into object %d", c.Target, from, hop.Off, w, hop.Node)
		}
	}
	if c.Hops[len(c.Hops)-1].Node != c.Target {
		t.Fatalf("chain to %d ends elsewhere", c.Target)
	}
}

// TestDumpChainsAreRealPaths asks for the chain of every object and
// checks each against the dump's bytes; unreachable objects have none.
func TestDumpChainsAreRealPaths(t *testing.T) {
	for _, path := range testDumps(t, "*") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			d, g := openGraph(t, path, nil)
			targets := make([]NodeID, g.NumNodes())
			for i := range targets {
				targets[i] = NodeID(i)
			}
			for _, c := range g.Chains(targets, nil) {
				if c.Found != g.IsReachable(c.Target) {
					t.Fatalf("object %d: chain found %v, reachable %v", c.Target, c.Found, g.IsReachable(c.Target))
				}
				if c.Found {
					verifyChain(t, d, g, c)
				}
			}
		})
	}
}

// TestDumpRetainedMatchesBruteForce removes objects one at a time from the
// graph of the small dumps and checks the bytes that become unreachable.
func TestDumpRetainedMatchesBruteForce(t *testing.T) {
	for _, path := range testDumps(t, "*") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			_, g := openGraph(t, path, nil)
			dom := g.Dominators()
			n := g.NumNodes()
			reach := func(skip NodeID) (Bitset, uint64) {
				seen := NewBitset(n)
				var bytes uint64
				var stack []NodeID
				push := func(v NodeID) {
					if v != skip && !seen.Has(v) {
						seen.Set(v)
						bytes += g.Size(v)
						stack = append(stack, v)
					}
				}
				for _, e := range g.RootEdges() {
					push(e.To)
				}
				for len(stack) > 0 {
					v := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					for _, w := range g.Out(v) {
						push(w)
					}
				}
				return seen, bytes
			}
			_, total := reach(NoNode)
			if dom.ReachableBytes() != total {
				t.Fatalf("reachable bytes %d, brute force %d", dom.ReachableBytes(), total)
			}
			checked := 0
			for v := range n {
				if !g.IsReachable(NodeID(v)) {
					continue
				}
				_, left := reach(NodeID(v))
				if got, want := dom.Retained(NodeID(v)), total-left; got != want {
					t.Fatalf("object %d: retained %d, brute force %d", v, got, want)
				}
				checked++
			}
			t.Logf("%d retained sizes checked", checked)
		})
	}
}
