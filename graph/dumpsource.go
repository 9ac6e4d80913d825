package graph

import (
	"sync"

	"github.com/heapgraph/heapgraph/heapdump"
)

// DumpOptions tune FromDump. The zero value (or nil) is the default.
type DumpOptions struct {
	// Symbolizer names global variables; nil names global roots by
	// segment offset ("data+0x1f0").
	Symbolizer Symbolizer
	// Workers is the number of goroutines resolving pointers (default
	// GOMAXPROCS).
	Workers int
}

// FromDump builds the graph of a heap dump: node n is object n of the dump.
func FromDump(d *heapdump.Dump, opts *DumpOptions) (*Graph, error) {
	var o DumpOptions
	if opts != nil {
		o = *opts
	}
	src := NewDumpSource(d)
	rs := DumpRoots(d, o.Symbolizer)
	src.index = heapdump.NewPageIndex(d)
	defer func() { src.index = nil }()
	return Build(src, rs, &BuildOptions{Workers: o.Workers})
}

// DumpSource is the Source of a heap dump: nodes are the dump's objects and
// edges the pointer slots whose value Dump.Find resolves to an object.
type DumpSource struct {
	d     *heapdump.Dump
	offs  sync.Pool           // *[]uint64 scratch for PointerOffsets
	index *heapdump.PageIndex // set by FromDump while it builds
}

// NewDumpSource returns the Source of d.
func NewDumpSource(d *heapdump.Dump) *DumpSource {
	return &DumpSource{d: d}
}

// NumNodes implements Source.
func (s *DumpSource) NumNodes() int { return s.d.NumObjects() }

// NodeSize implements Source.
func (s *DumpSource) NodeSize(n NodeID) uint64 { return s.d.ObjectSize(int(n)) }

func (s *DumpSource) scratch() *[]uint64 {
	if p, ok := s.offs.Get().(*[]uint64); ok {
		return p
	}
	return new([]uint64)
}

// AppendEdges implements Source.
func (s *DumpSource) AppendEdges(n NodeID, buf []Edge) ([]Edge, int) {
	p := s.scratch()
	offs := s.d.PointerOffsets(int(n), (*p)[:0])
	buf, dropped := s.appendResolved(s.d.Contents(int(n)), offs, buf)
	*p = offs
	s.offs.Put(p)
	return buf, dropped
}

// appendResolved appends the edges of the pointer slots at offs of b.
func (s *DumpSource) appendResolved(b []byte, offs []uint64, buf []Edge) ([]Edge, int) {
	d, x := s.d, s.index
	ptr := uint64(d.Params.PtrSize)
	dropped := 0
	for _, off := range offs {
		if off+ptr > uint64(len(b)) {
			continue
		}
		v := d.Word(b[off:])
		if v == 0 {
			continue
		}
		var j int
		if x != nil {
			j = x.Find(v)
		} else {
			j = d.Find(v)
		}
		if j < 0 {
			dropped++
			continue
		}
		buf = append(buf, Edge{Off: off, To: NodeID(j)})
	}
	return buf, dropped
}

// EdgeOffset implements Source. It compares each pointer of from with the
// address range of to, without resolving any.
func (s *DumpSource) EdgeOffset(from, to NodeID, nth int) (uint64, bool) {
	d := s.d
	lo := d.Addr(int(to))
	hi := lo + d.ObjectSize(int(to))
	b := d.Contents(int(from))
	ptr := uint64(d.Params.PtrSize)
	p := s.scratch()
	defer s.offs.Put(p)
	*p = d.PointerOffsets(int(from), (*p)[:0])
	for _, off := range *p {
		if off+ptr > uint64(len(b)) {
			continue
		}
		if v := d.Word(b[off:]); v >= lo && v < hi {
			if nth == 0 {
				return off, true
			}
			nth--
		}
	}
	return 0, false
}
