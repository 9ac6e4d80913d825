package heapdump

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/heapgraph/heapgraph/heapdump/heapdumptest"
)

// The benchmarks read a dump of over a million objects made by
// testdata/bigheap through heapdumptest.BigHeap, which builds and caches
// it. To make the same kind of dump by hand:
//
//	go build -o /tmp/bigheap ./heapdump/testdata/bigheap
//	/tmp/bigheap -objects 5000000 -o /tmp/big-5M.dump

const benchObjects = 1_100_000

// bigDumpPath returns the path of the benchmark dump, making it if needed.
func bigDumpPath(b *testing.B) string {
	_, dump := heapdumptest.BigHeap(b, benchObjects)
	return dump
}

// BenchmarkOpen opens and indexes the big dump: the whole of Open.
func BenchmarkOpen(b *testing.B) {
	path := bigDumpPath(b)
	var objs, index int
	var size int64
	start := time.Now()
	for b.Loop() {
		d, err := Open(path, nil)
		if err != nil {
			b.Fatal(err)
		}
		objs, index, size = d.NumObjects(), d.IndexBytes(), d.Size
		d.Close()
	}
	b.SetBytes(size)
	b.ReportMetric(float64(objs)*float64(b.N)/time.Since(start).Seconds(), "objects/s")
	b.ReportMetric(float64(index)/float64(objs), "index-bytes/object")
	b.ReportMetric(float64(objs), "objects")
}

// BenchmarkDecodeFloor is the floor Open is measured against: map the big
// dump, decode every record once keeping nothing, unmap.
func BenchmarkDecodeFloor(b *testing.B) {
	path := bigDumpPath(b)
	var objs int
	var size int64
	start := time.Now()
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		fi, err := f.Stat()
		if err != nil {
			b.Fatal(err)
		}
		size = fi.Size()
		data, unmap, err := mapFile(f, size)
		if err != nil {
			b.Fatal(err)
		}
		objs, err = decodeFloor(data, nil)
		if err != nil {
			b.Fatal(err)
		}
		unmap()
		f.Close()
	}
	b.SetBytes(size)
	b.ReportMetric(float64(objs)*float64(b.N)/time.Since(start).Seconds(), "objects/s")
}

// decodeFloor walks every record of a dump, decoding each value, and
// counts the object records. If onRecord is not nil it is called with the
// offset of each record's tag.
func decodeFloor(b []byte, onRecord func(start int)) (objects int, err error) {
	pos := len(header)
	uv := func() uint64 {
		var v uint64
		for shift := uint(0); pos < len(b); shift += 7 {
			c := b[pos]
			pos++
			v |= uint64(c&0x7f) << shift
			if c < 0x80 {
				return v
			}
		}
		err = fmt.Errorf("truncated at %d", pos)
		return 0
	}
	skip := func() { n := uv(); pos += int(n) }
	fields := func() {
		for uv() != 0 && err == nil {
			uv()
		}
	}
	ints := func(n int) {
		for range n {
			uv()
		}
	}
	for err == nil {
		if onRecord != nil {
			onRecord(pos)
		}
		switch tag := uv(); tag {
		case tagEOF:
			return objects, err
		case tagObject:
			uv()
			skip()
			fields()
			objects++
		case tagParams:
			ints(4)
			skip()
			skip()
			uv()
		case tagType:
			ints(2)
			skip()
			uv()
		case tagItab, tagAllocSample:
			ints(2)
		case tagOtherRoot:
			skip()
			uv()
		case tagGoroutine:
			ints(8)
			skip()
			ints(4)
		case tagStackFrame:
			ints(3)
			skip()
			ints(3)
			skip()
			fields()
		case tagOSThread:
			ints(3)
		case tagData, tagBSS:
			uv()
			skip()
			fields()
		case tagFinalizer, tagQueuedFinalizer:
			ints(5)
		case tagDefer:
			ints(7)
		case tagPanic:
			ints(6)
		case tagMemStats:
			ints(24 + 256 + 1)
		case tagMemProf:
			ints(2)
			n := uv()
			for range n {
				skip()
				skip()
				uv()
			}
			ints(2)
		default:
			return objects, fmt.Errorf("tag %d at %d", tag, pos)
		}
	}
	return objects, err
}

// BenchmarkFind looks up random addresses inside random objects.
func BenchmarkFind(b *testing.B) {
	d, err := Open(bigDumpPath(b), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	r := rand.New(rand.NewPCG(1, 2))
	addrs := make([]uint64, 1<<16)
	for k := range addrs {
		i := r.IntN(d.NumObjects())
		addrs[k] = d.Addr(i) + r.Uint64N(d.ObjectSize(i))
	}
	k := 0
	for b.Loop() {
		if d.Find(addrs[k&(len(addrs)-1)]) < 0 {
			b.Fatal("not found")
		}
		k++
	}
}

// BenchmarkPointerOffsets decodes every object's pointer offsets.
func BenchmarkPointerOffsets(b *testing.B) {
	d, err := Open(bigDumpPath(b), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	var buf []uint64
	for b.Loop() {
		for i := range d.NumObjects() {
			buf = d.PointerOffsets(i, buf[:0])
		}
	}
	b.ReportMetric(float64(d.NumObjects())*float64(b.N)/b.Elapsed().Seconds(), "objects/s")
}
