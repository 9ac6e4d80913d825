// Package heapdump reads the heap dumps written by Go's
// runtime/debug.WriteHeapDump and indexes their objects.
//
// Open maps the file read-only (a plain read on platforms without mmap)
// and decodes every record once. Object contents, stack frames and
// data/bss segments stay in the mapping: the Dump keeps their file
// offsets. Per-object state is three flat slices indexed by object number
// (24 bytes per object), objects numbered in address order, so Find is a
// binary search. Pointer field lists are decoded again on demand
// (PointerOffsets); Open has validated all of them.
//
// Memory: the index keeps about 24 bytes per object (three uint64 per
// object plus Find's summary, one address per 64 objects); while Open runs
// it also holds the slots in file order (24 bytes per object) before
// sorting them into the index, which two goroutines fill. Open of a dump
// of 1.1 million objects (89 MB) takes under twice as long as a bare
// decoding pass over the same mapped file (BenchmarkOpen,
// BenchmarkDecodeFloor).
//
// The objects are not the raw records: layout.go explains how allocation
// slots become objects (malloc headers, phantom slots in span tails).
//
// # File format
//
// The format is the one of runtime/heapdump.go, unchanged from Go 1.7 to
// at least Go 1.27 (checked against the sources of 1.22, 1.24, 1.25, 1.26
// and 1.27). All integers are unsigned varints (encoding/binary's
// Uvarint); a bool is a varint 0 or 1; a string or byte range is a varint
// length followed by that many bytes; a field list is a sequence of
// (kind, offset) varint pairs ended by kind 0:
//
//	fieldKindEol = 0   end of list (no offset follows)
//	fieldKindPtr = 1   a pointer at offset
//	fieldKindIface = 2 an interface (itab, data) at offset; not written since Go 1.5
//	fieldKindEface = 3 an empty interface (type, data); not written since Go 1.5
//
// Offsets are relative to the start of the record's byte range (object
// slot, frame SP, segment start). The file is:
//
//	file   = "go1.7 heap dump\n" params record* eof
//	record = tag fields, tags as below
//
//	 0 EOF           (nothing)
//	 1 object        address, contents, field list
//	 2 other root    description string, address (no Go release writes it)
//	 3 type          address, size, name string, indirect bool
//	 4 goroutine     address, sp, goid, gopc, status, is-system bool,
//	                 is-background bool, waitsince, wait reason string,
//	                 ctxt, m, top defer, top panic
//	 5 stack frame   sp, depth, child sp, contents, entry pc, pc,
//	                 continuation pc, function name string, field list
//	 6 params        big-endian bool, pointer size, arena start, arena end,
//	                 GOARCH string, runtime.Version() string, ncpu
//	 7 finalizer     object, funcval, fn pc, argument type, object type
//	 8 itab          address, type address
//	 9 OS thread     address (m), m id, OS thread id
//	10 memstats      the 24 scalar fields of runtime.MemStats from Alloc to
//	                 PauseTotalNs, 256 PauseNs entries, NumGC
//	11 queued final. as finalizer, for finalizers ready to run
//	12 data          address, contents, field list (first module only)
//	13 bss           address, contents, field list (first module only)
//	14 defer         address, g, sp, pc, funcval, fn pc, link
//	15 panic         address, g, argument type, argument data, 0, link
//	16 memprof       bucket address, size, frame count n,
//	                 n × (function string, file string, line), allocs, frees
//	17 alloc sample  object address, bucket address
//
// The runtime writes them in this order: params; each itab preceded by the
// type record of its type (a type may repeat); objects, span by span;
// each goroutine followed by its stack frames (innermost first), then its
// defers and panics; OS threads; data; bss; finalizers; queued finalizers;
// memstats; memory-profile buckets; alloc samples; EOF. An object record
// is a whole allocation slot (the span's element size), with the pointer
// offsets of the heap bitmap or type; type records exist only for types
// that appear in an itab. The reader requires params first and exactly
// once, at most one data, bss and memstats record, every stack frame after
// a goroutine, and nothing after EOF; other record orders are accepted.
//
// # Errors
//
// Every problem in the file's contents is a *FormatError naming the record
// and its byte offset; nothing in the file can make Open panic or allocate
// memory sized by an unchecked length.
package heapdump
