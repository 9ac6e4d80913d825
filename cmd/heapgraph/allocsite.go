package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/heapgraph/heapgraph/heapdump"
)

// allocSites names where sampled objects were allocated, from the dump's
// memory profile: the alloc sample records map an object's address to a
// profile bucket, whose stack names the allocating function. Only sampled
// objects have one (one per 512 KiB allocated by default; every object
// with runtime.MemProfileRate = 1). It is the report.Heap the text and
// JSON reports are given, so that objects of unknown type can say where
// they come from.
type allocSites struct {
	d      *heapdump.Dump
	bucket map[uint64]uint64 // object address -> bucket address
	site   map[uint64]string // bucket address -> "main.newSession (main.go:42)"
}

func newAllocSites(d *heapdump.Dump) *allocSites {
	s := &allocSites{d: d, bucket: make(map[uint64]uint64, len(d.AllocSamples)), site: make(map[uint64]string, len(d.MemProf))}
	for _, a := range d.AllocSamples {
		s.bucket[a.Addr] = a.Bucket
	}
	for i := range d.MemProf {
		b := &d.MemProf[i]
		s.site[b.Addr] = siteOf(b.Stack)
	}
	return s
}

// siteOf names the first frame of an allocation stack outside the
// runtime and its map implementation (the allocator's own frames say
// nothing), "" when none is.
func siteOf(stack []heapdump.MemProfFrame) string {
	for _, f := range stack {
		if f.Func == "" || strings.HasPrefix(f.Func, "runtime.") || strings.HasPrefix(f.Func, "internal/runtime/") {
			continue
		}
		if f.File == "" || f.File == "?" {
			return f.Func
		}
		return fmt.Sprintf("%s (%s:%d)", f.Func, filepath.Base(f.File), f.Line)
	}
	return ""
}

// Addr implements report.Heap.
func (s *allocSites) Addr(i int) uint64 { return s.d.Addr(i) }

// AllocSite implements report.AllocSiter: the allocating function of
// object i, "" when the profile did not sample it.
func (s *allocSites) AllocSite(i int) string {
	b, ok := s.bucket[s.d.Addr(i)]
	if !ok {
		return ""
	}
	return s.site[b]
}
