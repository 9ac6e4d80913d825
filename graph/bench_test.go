package graph

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/heapgraph/heapgraph/heapdump"
	"github.com/heapgraph/heapgraph/heapdump/heapdumptest"
)

// The benchmarks read a dump of over five million objects made by
// heapdump/testdata/bigheap through heapdumptest.BigHeap, which builds and
// caches it.

const benchObjects = 5_500_000

var bench struct {
	graphOnce sync.Once
	dump      *heapdump.Dump
	graph     *Graph
	graphErr  error
}

func benchDumpPath(b *testing.B) string {
	_, dump := heapdumptest.BigHeap(b, benchObjects)
	return dump
}

// benchGraph opens the dump and builds its graph once for the benchmarks
// that measure what comes after Build.
func benchGraph(b *testing.B) (*heapdump.Dump, *Graph) {
	path := benchDumpPath(b)
	bench.graphOnce.Do(func() {
		bench.dump, bench.graphErr = heapdump.Open(path, nil)
		if bench.graphErr == nil {
			bench.graph, bench.graphErr = FromDump(bench.dump, nil)
		}
	})
	if bench.graphErr != nil {
		b.Fatal(bench.graphErr)
	}
	return bench.dump, bench.graph
}

// heapDelta measures the Go heap kept by what f returns (live after GC).
func heapDelta(f func() any) (any, uint64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := f()
	// Twice: sync.Pool scratch buffers survive one collection.
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	if after.HeapAlloc < before.HeapAlloc {
		return v, 0
	}
	return v, after.HeapAlloc - before.HeapAlloc
}

func reportPerObject(b *testing.B, start time.Time, objects int) {
	b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N)/float64(objects), "ns/object")
}

// BenchmarkBuild resolves every pointer of the dump and builds the forward
// and reverse adjacency and the roots (Open not included).
func BenchmarkBuild(b *testing.B) {
	path := benchDumpPath(b)
	d, err := heapdump.Open(path, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	// Heap kept by one graph, measured outside the timed loop.
	v, heap := heapDelta(func() any {
		g, err := FromDump(d, nil)
		if err != nil {
			b.Fatal(err)
		}
		return g
	})
	g := v.(*Graph)
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		if _, err := FromDump(d, nil); err != nil {
			b.Fatal(err)
		}
	}
	reportPerObject(b, start, g.NumNodes())
	b.ReportMetric(float64(heap)/float64(g.NumNodes()), "heap-bytes/object")
	b.ReportMetric(float64(g.NumEdges())/float64(g.NumNodes()), "edges/object")
	b.ReportMetric(float64(g.NumNodes()), "objects")
	// size (8) + outStart (4) + inStart (4) per node; the rest is edges and roots.
	b.ReportMetric(float64(heap-uint64(16*g.NumNodes()))/float64(g.NumEdges()), "heap-bytes/edge")
}

// BenchmarkReachable marks everything reachable from the roots.
func BenchmarkReachable(b *testing.B) {
	_, g := benchGraph(b)
	b.ReportAllocs()
	start := time.Now()
	var live int
	for b.Loop() {
		live = g.computeReachable().Count()
	}
	reportPerObject(b, start, g.NumNodes())
	b.ReportMetric(float64(live), "reachable")
}

// BenchmarkChains1000 finds the retention chains of 1,000 objects spread
// over the heap.
func BenchmarkChains1000(b *testing.B) {
	_, g := benchGraph(b)
	targets := make([]NodeID, 1000)
	for i := range targets {
		targets[i] = NodeID(uint64(i) * uint64(g.NumNodes()) / uint64(len(targets)))
	}
	b.ReportAllocs()
	start := time.Now()
	var found int
	for b.Loop() {
		found = 0
		for _, c := range g.Chains(targets, nil) {
			if c.Found {
				found++
			}
		}
	}
	reportPerObject(b, start, g.NumNodes())
	b.ReportMetric(float64(found), "found")
}

// BenchmarkDominators computes the dominator tree and retained sizes.
func BenchmarkDominators(b *testing.B) {
	_, g := benchGraph(b)
	g.Reachable()
	_, heap := heapDelta(func() any { return g.computeDominators() })
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		g.computeDominators()
	}
	reportPerObject(b, start, g.NumNodes())
	b.ReportMetric(float64(heap)/float64(g.NumNodes()), "result-heap-bytes/object")
}

// BenchmarkHistogramRetained builds the per-type histogram with retained
// sizes (dominators already computed).
func BenchmarkHistogramRetained(b *testing.B) {
	_, g := benchGraph(b)
	g.Dominators()
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		g.Histogram(&HistogramOptions{Retained: true})
	}
	reportPerObject(b, start, g.NumNodes())
}

// BenchmarkOpenBuildReachable is the whole path from file to "what is
// garbage": Open, FromDump, Reachable.
func BenchmarkOpenBuildReachable(b *testing.B) {
	path := benchDumpPath(b)
	b.ReportAllocs()
	start := time.Now()
	var n int
	for b.Loop() {
		d, err := heapdump.Open(path, nil)
		if err != nil {
			b.Fatal(err)
		}
		g, err := FromDump(d, nil)
		if err != nil {
			b.Fatal(err)
		}
		g.Reachable()
		n = g.NumNodes()
		d.Close()
	}
	reportPerObject(b, start, n)
}

// BenchmarkBackrefs draws the back-reference subgraph (depth 10) of 100
// objects spread over the heap.
func BenchmarkBackrefs(b *testing.B) {
	_, g := benchGraph(b)
	targets := make([]NodeID, 100)
	for i := range targets {
		targets[i] = NodeID(uint64(i) * uint64(g.NumNodes()) / uint64(len(targets)))
	}
	b.ReportAllocs()
	var nodes int
	for b.Loop() {
		nodes = len(g.Backrefs(targets, &BackrefOptions{MaxDepth: 10}).Nodes)
	}
	b.ReportMetric(float64(nodes), "subgraph-nodes")
}
