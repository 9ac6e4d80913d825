package heapdump

import "fmt"

// FormatError reports a dump that does not follow the format: a bad
// header, a truncated or malformed record, a value that contradicts the
// rest of the dump. Open returns it (as *FormatError) for every problem
// found in the file's contents; callers test for it with errors.As.
type FormatError struct {
	// Offset is the byte offset in the file of the record at fault (of
	// its tag), or of the header.
	Offset int64
	// Record names the record kind, e.g. "object", "stack frame",
	// "params"; "header" for the file header.
	Record string
	// Msg says what is wrong, including the record name, e.g.
	// "truncated object record".
	Msg string
	// Detail is optional extra context, e.g. "file ends at 120000".
	Detail string
}

// Error formats the error as one line, e.g.
// "heapdump: truncated object record at offset 123456 (file ends at 120000)".
func (e *FormatError) Error() string {
	s := fmt.Sprintf("heapdump: %s at offset %d", e.Msg, e.Offset)
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}
