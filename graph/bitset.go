package graph

import "math/bits"

// Bitset is a set of node ids, one bit per node.
type Bitset []uint64

// NewBitset returns an empty set able to hold ids 0..n-1.
func NewBitset(n int) Bitset { return make(Bitset, (n+63)/64) }

// Has reports whether n is in the set.
func (b Bitset) Has(n NodeID) bool { return b[n>>6]&(1<<(n&63)) != 0 }

// Set adds n to the set.
func (b Bitset) Set(n NodeID) { b[n>>6] |= 1 << (n & 63) }

// Count returns the number of ids in the set.
func (b Bitset) Count() int {
	c := 0
	for _, w := range b {
		c += bits.OnesCount64(w)
	}
	return c
}
