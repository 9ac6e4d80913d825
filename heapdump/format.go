package heapdump

// Record tags and field kinds, as defined by the runtime's heapdump.go
// (unchanged since Go 1.7; see doc.go for the grammar).
const (
	tagEOF             = 0
	tagObject          = 1
	tagOtherRoot       = 2
	tagType            = 3
	tagGoroutine       = 4
	tagStackFrame      = 5
	tagParams          = 6
	tagFinalizer       = 7
	tagItab            = 8
	tagOSThread        = 9
	tagMemStats        = 10
	tagQueuedFinalizer = 11
	tagData            = 12
	tagBSS             = 13
	tagDefer           = 14
	tagPanic           = 15
	tagMemProf         = 16
	tagAllocSample     = 17

	fieldKindEol   = 0
	fieldKindPtr   = 1
	fieldKindIface = 2 // two words: itab, data (not written since Go 1.5)
	fieldKindEface = 3 // two words: type, data (not written since Go 1.5)
)

// header is the first bytes of every dump since Go 1.7.
const header = "go1.7 heap dump\n"

// recordName names a record for error messages.
func recordName(tag uint64) string {
	switch tag {
	case tagEOF:
		return "EOF"
	case tagObject:
		return "object"
	case tagOtherRoot:
		return "other root"
	case tagType:
		return "type"
	case tagGoroutine:
		return "goroutine"
	case tagStackFrame:
		return "stack frame"
	case tagParams:
		return "params"
	case tagFinalizer:
		return "finalizer"
	case tagItab:
		return "itab"
	case tagOSThread:
		return "OS thread"
	case tagMemStats:
		return "memstats"
	case tagQueuedFinalizer:
		return "queued finalizer"
	case tagData:
		return "data"
	case tagBSS:
		return "bss"
	case tagDefer:
		return "defer"
	case tagPanic:
		return "panic"
	case tagMemProf:
		return "memprof bucket"
	case tagAllocSample:
		return "alloc sample"
	}
	return "unknown"
}
