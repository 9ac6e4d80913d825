package report

import (
	"testing"

	"github.com/heapgraph/heapgraph/graph"
)

// fakeHeap places node n at 0xc000010000 + n*0x100.
type fakeHeap struct{}

func (fakeHeap) Addr(i int) uint64 { return 0xc000010000 + uint64(i)*0x100 }

// fieldNames names slots by offset for the fixture's edge namer.
type fieldNames map[graph.NodeID]map[uint64]string

func (f fieldNames) FieldName(from graph.NodeID, off uint64) string { return f[from][off] }

// leakFixture is a small heap shaped like the leak in testdata:
//
//	global main.configCache -> 0 main.Cache -lru-> 1 main.LRU -evictList-> 2 list.List
//	  -root.next-> 3 main.Entry -Value-> 4 main.BackendManager
//	goroutine 7 frame 1 main.worker -> 5 main.Entry -Value-> 4
//	6 main.BackendManager is garbage; 7 is an untyped 48-byte object.
func leakFixture(t *testing.T) *graph.Graph {
	t.Helper()
	src := &graph.MemSource{
		Sizes: []uint64{16, 24, 48, 48, 64, 48, 64, 48},
		Edges: [][]graph.Edge{
			0: {{Off: 0, To: 1}},
			1: {{Off: 0, To: 2}},
			2: {{Off: 8, To: 3}},
			3: {{Off: 16, To: 4}},
			5: {{Off: 16, To: 4}},
			7: {{Off: 8, To: 4}},
		},
	}
	rs := &graph.RootSet{
		Roots: []graph.Root{
			{Kind: graph.RootGlobal, Name: "main.configCache", Symbol: "main.configCache", Segment: "bss", Addr: 0x5a0000},
			{Kind: graph.RootStack, Name: "goroutine 7 main.worker (frame 1)", Goroutine: 7, Func: "main.worker", Depth: 1, Addr: 0xc000200000},
		},
		Edges: []graph.RootEdge{
			{Root: 0, Off: 0, To: 0},
			{Root: 1, Off: 24, To: 5},
			{Root: 1, Off: 32, To: 7},
		},
	}
	g, err := graph.Build(src, rs, nil)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"", "main.Cache", "main.LRU", "container/list.List", "main.Entry", "main.BackendManager"}
	typeOf := []uint32{1, 2, 3, 4, 5, 4, 5, 0}
	if err := g.SetTypes(names, typeOf); err != nil {
		t.Fatal(err)
	}
	g.SetEdgeNamer(fieldNames{
		0: {0: "lru"},
		1: {0: "evictList"},
		2: {8: "root.next"},
		3: {16: "Value"},
		5: {16: "Value"},
	})
	return g
}
