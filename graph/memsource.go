package graph

// MemSource is a Source held in memory: for tests, benchmarks and graphs
// that do not come from a dump.
type MemSource struct {
	Sizes []uint64 // size of each node; len(Sizes) is the number of nodes
	// Edges[n] are the outgoing edges of node n in increasing offset
	// order (nil for none).
	Edges [][]Edge
}

// NumNodes implements Source.
func (m *MemSource) NumNodes() int { return len(m.Sizes) }

// NodeSize implements Source.
func (m *MemSource) NodeSize(n NodeID) uint64 { return m.Sizes[n] }

// AppendEdges implements Source. A MemSource never drops pointers.
func (m *MemSource) AppendEdges(n NodeID, buf []Edge) ([]Edge, int) {
	if int(n) >= len(m.Edges) {
		return buf, 0
	}
	return append(buf, m.Edges[n]...), 0
}

// EdgeOffset implements Source.
func (m *MemSource) EdgeOffset(from, to NodeID, nth int) (uint64, bool) {
	if int(from) >= len(m.Edges) {
		return 0, false
	}
	for _, e := range m.Edges[from] {
		if e.To == to {
			if nth == 0 {
				return e.Off, true
			}
			nth--
		}
	}
	return 0, false
}
