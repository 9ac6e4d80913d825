package heapdump

import (
	"math/rand/v2"
	"testing"
)

// TestPageIndexMatchesFind checks PageIndex.Find against Dump.Find on
// every object boundary and on random addresses around the heap.
func TestPageIndexMatchesFind(t *testing.T) {
	for _, path := range realDumps(t) {
		d, err := Open(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		x := NewPageIndex(d)
		rng := rand.New(rand.NewPCG(9, 10))
		check := func(v uint64) {
			if got, want := x.Find(v), d.Find(v); got != want {
				t.Fatalf("%s: Find(%#x) = %d, Dump.Find says %d", path, v, got, want)
			}
		}
		for i := range d.NumObjects() {
			a, s := d.Addr(i), d.ObjectSize(i)
			for _, v := range []uint64{a - 1, a, a + s/2, a + s - 1, a + s} {
				check(v)
			}
		}
		lo, hi := x.base-1<<20, x.end+1<<20
		for range 100000 {
			check(lo + rng.Uint64N(hi-lo))
		}
		d.Close()
	}
}

// TestPageIndexEmpty checks that an index of no objects finds nothing.
func TestPageIndexEmpty(t *testing.T) {
	x := NewPageIndex(&Dump{})
	for _, v := range []uint64{0, 1, 1 << 40} {
		if got := x.Find(v); got != -1 {
			t.Errorf("Find(%#x) on an empty dump = %d, want -1", v, got)
		}
	}
}
