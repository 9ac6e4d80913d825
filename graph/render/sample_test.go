package render

// leakGraph is the back-reference graph of the leak the testdata program
// builds (a global cache whose LRU list keeps BackendManagers alive), drawn
// by hand: two targets, one global root, a fan-in cap and a finalizer.
// Depths are those of a breadth-first walk from the targets.
func leakGraph() *Graph {
	return &Graph{
		MaxDepth: 5,
		Nodes: []Node{
			{ID: 1, Type: "main.BackendManager", Addr: 0xc000100000, Size: 64, Retained: 4160, Depth: 0, Target: true, Finalizer: true},
			{ID: 2, Type: "main.BackendManager", Addr: 0xc000100040, Size: 64, Retained: 4160, Depth: 0, Target: true, MoreReferrers: 3},
			{ID: 3, Type: "main.Entry", Addr: 0xc000110000, Size: 48, Depth: 1},
			{ID: 4, Type: "main.Entry", Addr: 0xc000110030, Size: 48, Depth: 1},
			{ID: 5, Type: "main.LruList", Addr: 0xc000120000, Size: 32, Depth: 2, Highlight: true},
			{ID: 6, Type: "main.LRU", Addr: 0xc000130000, Size: 24, Depth: 3},
			{ID: 7, Type: "main.Cache", Addr: 0xc000140000, Size: 16, Retained: 8600, Depth: 4},
			{ID: 8, Type: "map[string]*github.com/example/backends.BackendManagerWithAVeryLongName", Addr: 0xc000150000, Size: 576, Depth: 1},
			{ID: 9, Size: 48, Addr: 0xc000160000, Depth: 2},
			{ID: 10, Root: true, RootKind: "global", RootName: "main.configCache", Depth: 5},
			{ID: 12, Type: "*sync.Mutex", Addr: 0xc000170000, Size: 8, Depth: 5, Unexplored: true},
			{ID: 11, Root: true, RootKind: "stack", RootName: "goroutine 1 main.main", Depth: 3},
		},
		Edges: []Edge{
			{From: 3, To: 1, Label: "Value"},
			{From: 4, To: 2, Label: "Value"},
			{From: 5, To: 3, Label: "root.next"},
			{From: 3, To: 4, Label: "next"},
			{From: 6, To: 5, Label: "evictList"},
			{From: 7, To: 6, Label: "lru"},
			{From: 10, To: 7, Label: ""},
			{From: 8, To: 2, Label: "[\"db-1\"]"},
			{From: 8, To: 2, Label: "[\"db-2\"]"},
			{From: 9, To: 8},
			{From: 11, To: 9, Label: "m"},
			{From: 12, To: 7, Label: "owner"},
		},
	}
}
