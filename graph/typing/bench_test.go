package typing

import (
	"os"
	"strconv"
	"testing"

	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/heapdump"
	"github.com/heapgraph/heapgraph/heapdump/gobinary"
	"github.com/heapgraph/heapgraph/heapdump/heapdumptest"
)

// The benchmarks type a dump made by heapdump/testdata/bigheap (nodes in a
// linked list, strings, byte slices, a map, records with malloc headers),
// built and cached with its executable by heapdumptest.BigHeap.
// $HEAPGRAPH_BENCH_OBJECTS sets its size (default 1.1M objects).

func bigHeap(b *testing.B) (exe, dump string) {
	objects := 1_100_000
	if s := os.Getenv("HEAPGRAPH_BENCH_OBJECTS"); s != "" {
		var err error
		if objects, err = strconv.Atoi(s); err != nil {
			b.Fatalf("HEAPGRAPH_BENCH_OBJECTS: %v", err)
		}
	}
	return heapdumptest.BigHeap(b, objects)
}

// BenchmarkNew types every object of the big dump.
func BenchmarkNew(b *testing.B) {
	exePath, dumpPath := bigHeap(b)
	d, err := heapdump.Open(dumpPath, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	bin, err := gobinary.Open(exePath)
	if err != nil {
		b.Fatal(err)
	}
	if err := bin.MatchDump(d.Params.GoVersion, d.Data.Addr, d.Data.Size, d.BSS.Addr, d.BSS.Size); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var ty *Types
	for b.Loop() {
		if ty, err = New(d, bin); err != nil {
			b.Fatal(err)
		}
	}
	typed := 0
	for i := range d.NumObjects() {
		if ty.typ[i] != 0 {
			typed++
		}
	}
	b.ReportMetric(float64(d.NumObjects()), "objects")
	b.ReportMetric(100*float64(typed)/float64(d.NumObjects()), "%typed")
}

// BenchmarkContext measures, on the same dump, the steps typing comes
// after (reading the dump, building the graph), to put its time in
// proportion.
func BenchmarkContext(b *testing.B) {
	_, dumpPath := bigHeap(b)
	b.Run("heapdump.Open", func(b *testing.B) {
		for b.Loop() {
			d, err := heapdump.Open(dumpPath, nil)
			if err != nil {
				b.Fatal(err)
			}
			d.Close()
		}
	})
	d, err := heapdump.Open(dumpPath, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	b.Run("graph.FromDump", func(b *testing.B) {
		for b.Loop() {
			if _, err := graph.FromDump(d, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
