//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package heapdump

import (
	"fmt"
	"math"
	"os"
	"syscall"
)

// mapFile maps the file read-only. The mapping is shared: the file must not
// be truncated while the Dump is open.
func mapFile(f *os.File, size int64) ([]byte, func() error, error) {
	if size == 0 {
		return nil, func() error { return nil }, nil
	}
	if size > math.MaxInt {
		return nil, nil, fmt.Errorf("file of %d bytes is too big to map", size)
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	return b, func() error { return syscall.Munmap(b) }, nil
}
