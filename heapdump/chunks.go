package heapdump

// chunkLen is the number of slots per chunk (192 KiB per chunk).
const chunkLen = 1 << 13

// slot is an object record as read: slot address, slot size, file offset
// of the contents | flags.
type slot struct {
	addr, size, off uint64
}

// slotChunk holds the slots of chunkLen consecutive object records.
type slotChunk [chunkLen]slot

// slotChunks collects slots in file order while the dump is read. Fixed
// chunks instead of growing slices: appending to slices would copy every
// slot again at each doubling, and the slots are copied once anyway, into
// exact-size slices in address order, by layout.
type slotChunks struct {
	chunks []*slotChunk
	n      int
}

func (c *slotChunks) add(addr, size, off uint64) {
	k := c.n & (chunkLen - 1)
	if k == 0 {
		c.chunks = append(c.chunks, new(slotChunk))
	}
	c.chunks[c.n/chunkLen][k] = slot{addr, size, off}
	c.n++
}

// at returns slot i.
func (c *slotChunks) at(i int) *slot {
	return &c.chunks[i/chunkLen][i&(chunkLen-1)]
}
