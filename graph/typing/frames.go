package typing

import (
	"slices"

	"github.com/heapgraph/heapgraph/heapdump"
	"github.com/heapgraph/heapgraph/heapdump/gobinary"
)

// frameIndex finds the function and typed slots of each stack frame.
type frameIndex struct {
	d       *heapdump.Dump
	b       *gobinary.Binary
	byGoDep map[[2]uint64]int // (goroutine id, depth) -> frame index
}

func newFrameIndex(d *heapdump.Dump, b *gobinary.Binary) frameIndex {
	x := frameIndex{d: d, b: b, byGoDep: make(map[[2]uint64]int, len(d.Frames))}
	for fi := range d.Frames {
		f := &d.Frames[fi]
		x.byGoDep[[2]uint64{d.Goroutines[f.Goroutine].ID, f.Depth}] = fi
	}
	return x
}

// slots returns the function of frame fi and its variables' in-memory
// pieces at the frame's pc.
func (x *frameIndex) slots(fi int) (*gobinary.Func, []gobinary.FrameSlot) {
	f := &x.d.Frames[fi]
	fn := x.b.FuncAt(f.PC)
	if fn == nil {
		return nil, nil
	}
	pc := f.PC
	if f.Depth > 0 && pc > fn.Entry {
		pc-- // a return address: the call is the instruction before
	}
	return fn, x.b.FrameSlots(fn, pc)
}

// frameMem is the memory of one frame and its live pointer words.
type frameMem struct {
	mem  []byte
	ptrs []uint64 // offsets of live pointer words, increasing
}

func (m frameMem) live(off uint64) bool {
	_, ok := slices.BinarySearch(m.ptrs, off)
	return ok
}

// locate finds the size bytes at CFA+cfaOff of frame fi: in the frame
// itself ([SP, CFA)) or, for arguments (at or above the CFA), in the
// caller's frame, which starts at the CFA.
func (x *frameIndex) locate(fi int, cfaOff int64, size uint64) (frameMem, uint64, bool) {
	f := &x.d.Frames[fi]
	at := int64(f.ContentsSize) + cfaOff
	if at < 0 {
		return frameMem{}, 0, false
	}
	if cfaOff >= 0 {
		// An argument: it lives in the caller's frame.
		c := fi + 1
		if c >= len(x.d.Frames) || x.d.Frames[c].Goroutine != f.Goroutine || x.d.Frames[c].Depth != f.Depth+1 {
			return frameMem{}, 0, false
		}
		fi, f, at = c, &x.d.Frames[c], cfaOff
	}
	mem := x.d.FrameContents(f)
	if uint64(at)+size > uint64(len(mem)) {
		return frameMem{}, 0, false
	}
	return frameMem{mem: mem, ptrs: x.d.FramePointerOffsets(f, nil)}, uint64(at), true
}
