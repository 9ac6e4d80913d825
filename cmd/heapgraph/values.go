package main

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/heapgraph/heapgraph/graph"
)

// valuePreview shows the first bytes of an object for --values: as text
// when they read as text, else in hex. Types would allow better (a
// string's text, an int's value); this is what the bytes alone give.
func (h *heap) valuePreview(n graph.NodeID) string {
	b := h.dump.Contents(int(n))
	const maxBytes = 24
	if len(b) > maxBytes {
		b = b[:maxBytes]
	}
	// Strings rarely fill their size class: the rest of the slot is zeros.
	b = bytes.TrimRight(b, "\x00")
	printable := 0
	for _, c := range b {
		if c >= 0x20 && c < 0x7f {
			printable++
		}
	}
	if len(b) > 0 && printable*4 >= len(b)*3 {
		return fmt.Sprintf("%q", strings.Map(func(r rune) rune {
			if r < 0x20 || r >= 0x7f {
				return '.'
			}
			return r
		}, string(b)))
	}
	return fmt.Sprintf("% x", b[:min(len(b), 12)])
}
