package heapdump

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// realDumps returns the dumps made by the programs of the top-level
// testdata directory.
func realDumps(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "testdata", "dumps", "*.dump"))
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

// recordStarts returns the offset of every record of a valid dump, the
// EOF record included.
func recordStarts(t testing.TB, b []byte) []int {
	t.Helper()
	var starts []int
	if _, err := decodeFloor(b, func(start int) { starts = append(starts, start) }); err != nil {
		t.Fatal(err)
	}
	return starts
}

// TestTruncated cuts dumps at record boundaries and inside records: Open
// must fail with a *FormatError, never panic or succeed.
func TestTruncated(t *testing.T) {
	type input struct {
		name string
		b    []byte
	}
	inputs := []input{{"synthetic 32-bit", synth32(t)}}
	for _, p := range realDumps(t) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, input{filepath.Base(p), b})
	}
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			t.Parallel()
			starts := recordStarts(t, in.b)
			// Every record boundary; inside records, a sample of the
			// records (all of them in small dumps) and every record whose
			// kind differs from the one before: each cut parses its
			// prefix. -short samples the boundaries too.
			step := max(1, len(starts)/400)
			if testing.Short() {
				step = max(1, len(starts)/100)
			}
			cuts := []int{0, 1, len(header) - 1, len(header), len(in.b) - 1}
			for k, s := range starts {
				sampled := k%step == 0 || k == 0 || in.b[s] != in.b[starts[k-1]]
				if !sampled {
					if !testing.Short() {
						cuts = append(cuts, s)
					}
					continue
				}
				end := len(in.b)
				if k+1 < len(starts) {
					end = starts[k+1]
				}
				// At the boundary, one byte in, in the middle, one byte
				// before the next record.
				cuts = append(cuts, s, s+1, s+(end-s)/2, end-1)
			}
			for _, n := range cuts {
				if n < 0 || n >= len(in.b) {
					continue
				}
				d, err := newDump(in.b[:n:n], nil, nil)
				if err == nil {
					d.Close()
					t.Fatalf("dump cut to %d of %d bytes opened without error", n, len(in.b))
				}
				var fe *FormatError
				if !errors.As(err, &fe) {
					t.Fatalf("cut at %d: error %v is not a *FormatError", n, err)
				}
				if fe.Offset < 0 || fe.Offset > int64(n) {
					t.Fatalf("cut at %d: error offset %d outside the file: %v", n, fe.Offset, err)
				}
			}
		})
	}
}

// seedMax is the largest fuzz seed.
const seedMax = 16 << 10

// FuzzOpen feeds arbitrary bytes to the reader: it must return a
// *FormatError or a Dump whose accessors all work.
func FuzzOpen(f *testing.F) {
	f.Add(synth32Sized(false))
	f.Add([]byte(header))
	paths := realDumps(f)
	if extra := os.Getenv("HEAPDUMP_FUZZ_SEED"); extra != "" {
		paths = append(paths, extra)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		// The fuzzer's mutator crawls on inputs of more than a few tens
		// of KB: seed with the head of each dump (params, itabs and the
		// first objects).
		if len(b) > seedMax {
			b = b[:seedMax]
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := newDump(b, nil, nil)
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *FormatError", err)
			}
			return
		}
		defer d.Close()
		checkInvariants(t, d)
	})
}

// checkInvariants exercises every accessor of d and checks what holds for
// any dump Open accepts.
func checkInvariants(t *testing.T, d *Dump) {
	t.Helper()
	ptr := uint64(d.Params.PtrSize)
	var buf []uint64
	var prevEnd uint64
	for i := range d.NumObjects() {
		o := d.Object(i)
		if o.Size == 0 || o.Addr < prevEnd || o.Addr != d.Addr(i) || o.Size != d.ObjectSize(i) ||
			o.SlotAddr+o.SlotSize != o.Addr+o.Size || uint64(len(d.Contents(i))) != o.Size {
			t.Fatalf("object %d: %+v (previous ends at %#x)", i, o, prevEnd)
		}
		prevEnd = o.Addr + o.Size
		if d.Find(o.Addr) != i || d.Find(o.Addr+o.Size-1) != i {
			t.Fatalf("Find does not find object %d %+v", i, o)
		}
		if j := d.Find(o.Addr - 1); j != -1 && (j != i-1 || d.Addr(j)+d.ObjectSize(j) != o.Addr) {
			t.Fatalf("Find(%#x), just below object %d %+v, = %d", o.Addr-1, i, o, j)
		}
		buf = d.PointerOffsets(i, buf[:0])
		for k, off := range buf {
			if off+ptr > o.Size || (k > 0 && off < buf[k-1]) {
				t.Fatalf("object %d %+v: pointer offsets %v", i, o, buf)
			}
			d.Word(d.Contents(i)[off:])
		}
	}
	for i := range d.Frames {
		f := &d.Frames[i]
		c := d.FrameContents(f)
		if uint64(len(c)) != f.ContentsSize {
			t.Fatalf("frame %d: %d bytes of contents, ContentsSize %d", i, len(c), f.ContentsSize)
		}
		for _, off := range d.FramePointerOffsets(f, buf[:0]) {
			if off+ptr > uint64(len(c)) {
				t.Fatalf("frame %d: pointer offset %d outside %d bytes", i, off, len(c))
			}
		}
	}
	for _, s := range []*Segment{&d.Data, &d.BSS} {
		c := d.SegmentContents(s)
		for _, off := range d.SegmentPointerOffsets(s, buf[:0]) {
			if off+ptr > uint64(len(c)) {
				t.Fatalf("segment at %#x: pointer offset %d outside %d bytes", s.Addr, off, len(c))
			}
		}
	}
	for _, g := range d.Goroutines {
		if g.FirstFrame+g.NumFrames > len(d.Frames) {
			t.Fatalf("goroutine %+v: frames past %d", g, len(d.Frames))
		}
	}
	for _, ty := range d.Types {
		if d.TypeByAddr(ty.Addr) == nil {
			t.Fatalf("TypeByAddr(%#x) = nil", ty.Addr)
		}
	}
	for _, it := range d.Itabs {
		if d.ItabByAddr(it.Addr) == nil {
			t.Fatalf("ItabByAddr(%#x) = nil", it.Addr)
		}
	}
}

// TestInvariantsSynthetic runs checkInvariants on the synthetic dump.
func TestInvariantsSynthetic(t *testing.T) {
	d, err := newDump(bytes.Clone(synth32(t)), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	checkInvariants(t, d)
	checkParallelSame(t, d)
}
