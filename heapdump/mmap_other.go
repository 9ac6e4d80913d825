//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package heapdump

import (
	"fmt"
	"io"
	"math"
	"os"
)

// mapFile reads the whole file: this platform has no syscall.Mmap (and the
// package uses no cgo), so here the dump does live in the Go heap.
func mapFile(f *os.File, size int64) ([]byte, func() error, error) {
	if size > math.MaxInt {
		return nil, nil, fmt.Errorf("file of %d bytes is too big to read", size)
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, nil, err
	}
	return b, func() error { return nil }, nil
}
