package typing

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"github.com/heapgraph/heapgraph/graph"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"github.com/heapgraph/heapgraph/heapdump"
	"github.com/heapgraph/heapgraph/heapdump/gobinary"
)

// The benchmarks type a dump made by heapdump/testdata/bigheap (nodes in a
// linked list, strings, byte slices, a map, records with malloc headers),
// built with the local toolchain and cached with its executable in
// $HEAPGRAPH_BENCH_DIR (default os.UserCacheDir()/heapgraph-bench).
// $HEAPGRAPH_BENCH_OBJECTS sets its size (default 1.1M objects).

func bigHeap(b *testing.B) (exe, dump string) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		b.Skip("no go command to build heapdump/testdata/bigheap:", err)
	}
	objects := 1_100_000
	if s := os.Getenv("HEAPGRAPH_BENCH_OBJECTS"); s != "" {
		if objects, err = strconv.Atoi(s); err != nil {
			b.Fatalf("HEAPGRAPH_BENCH_OBJECTS: %v", err)
		}
	}
	dir := os.Getenv("HEAPGRAPH_BENCH_DIR")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			b.Fatal(err)
		}
		dir = filepath.Join(cache, "heapgraph-bench")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	src, err := os.ReadFile("../../heapdump/testdata/bigheap/main.go")
	if err != nil {
		b.Fatal(err)
	}
	sum := sha256.Sum256(append(src, runtime.Version()...))
	key := hex.EncodeToString(sum[:6])
	exe = filepath.Join(dir, "typing-bigheap-"+key)
	dump = filepath.Join(dir, fmt.Sprintf("typing-bigheap-%d-%s.dump", objects, key))
	if _, err := os.Stat(dump); err == nil {
		return exe, dump
	}
	build := exec.Command(goCmd, "build", "-o", exe, "./heapdump/testdata/bigheap")
	build.Dir = "../.."
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build bigheap: %v\n%s", err, out)
	}
	if out, err := exec.Command(exe, "-objects", strconv.Itoa(objects), "-o", dump+".tmp").CombinedOutput(); err != nil {
		b.Fatalf("run bigheap: %v\n%s", err, out)
	}
	if err := os.Rename(dump+".tmp", dump); err != nil {
		b.Fatal(err)
	}
	return exe, dump
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
