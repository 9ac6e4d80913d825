// Command bigheap builds a heap of about -objects live objects of mixed
// shapes and writes a heap dump of it, for benchmarks of heapgraph's
// readers. It records no ground truth: tests use the programs of the
// top-level testdata directory for that.
//
// Usage:
//
//	go build -o /tmp/bigheap ./heapdump/testdata/bigheap
//	/tmp/bigheap -objects 5000000 -o /tmp/big-5M.dump
//
// The heapdump benchmarks build and run it themselves (cached under
// os.UserCacheDir()/heapgraph-bench, or $HEAPGRAPH_BENCH_DIR); other
// packages' benchmarks can do the same with a larger -objects.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
)

// node is a small pointer-holding object (48 bytes: a 48-byte size class).
type node struct {
	next, prev *node
	name       string
	value      int64
	payload    []byte
}

// record holds pointers beyond 512 bytes: it gets a malloc header.
type record struct {
	id    int64
	refs  [80]*node
	label string
}

// keep holds everything the dump must see alive.
type keep struct {
	nodes   []*node
	records []*record
	index   map[string]*node
	blobs   [][]byte
}

func main() {
	objects := flag.Int("objects", 1_000_000, "approximate number of live objects to build")
	out := flag.String("o", "bigheap.dump", "heap dump file to write")
	flag.Parse()

	k := build(*objects)
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	runtime.GC()
	debug.WriteHeapDump(f.Fd())
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	runtime.KeepAlive(k)
	fmt.Printf("wrote %s: about %d objects\n", *out, *objects)
}

// build allocates roughly n objects: per step a node, its name string and
// payload (3 objects), with a map entry every 8 steps and a record every 64.
func build(n int) *keep {
	steps := n / 3
	k := &keep{index: make(map[string]*node)}
	var prev *node
	for i := 0; i < steps; i++ {
		nd := &node{prev: prev, name: "node-" + strconv.Itoa(i), value: int64(i), payload: make([]byte, 8+i%120)}
		if prev != nil {
			prev.next = nd
		}
		prev = nd
		k.nodes = append(k.nodes, nd)
		if i%8 == 0 {
			k.index[nd.name] = nd
		}
		if i%64 == 0 {
			r := &record{id: int64(i), label: nd.name}
			for j := range r.refs {
				r.refs[j] = k.nodes[(i*7+j)%len(k.nodes)]
			}
			k.records = append(k.records, r)
		}
		if i%4096 == 0 {
			k.blobs = append(k.blobs, make([]byte, 40000+i%9000))
		}
	}
	return k
}
