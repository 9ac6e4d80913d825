package heapdump

import (
	"errors"
	"strings"
	"testing"
)

// TestBadInput checks that each kind of malformed dump gives a
// *FormatError naming the record and its offset.
func TestBadInput(t *testing.T) {
	// start returns a writer holding a valid header and params record.
	start := func() *dumpWriter {
		return newDumpWriter(8, false).params(0xc000000000, 0xc004000000, "amd64", "go1.26.8")
	}
	type bad struct {
		name   string
		build  func() (b []byte, off int) // the dump and the offset the error must name
		record string
		msg    string // substring of the error
	}
	cases := []bad{
		{"wrong header", func() ([]byte, int) { return []byte("go1.6 heap dump\n\x06"), 0 }, "header", "bad header"},
		{"empty file", func() ([]byte, int) { return nil, 0 }, "header", "bad header"},
		{"params missing", func() ([]byte, int) {
			w := newDumpWriter(8, false)
			return w.object(0xc000000000, make([]byte, 8)).eof(), len(header)
		}, "object", "params record missing"},
		{"params twice", func() ([]byte, int) {
			w := start()
			off := len(w.b)
			return w.params(0, 0, "amd64", "go1.26.8").eof(), off
		}, "params", "duplicate params"},
		{"bad pointer size", func() ([]byte, int) {
			w := newDumpWriter(8, false)
			w.uvarint(tagParams, 0, 3, 0, 0).str("x").str("go1.26.8").uvarint(1)
			return w.eof(), len(header)
		}, "params", "bad pointer size"},
		{"unknown tag", func() ([]byte, int) {
			w := start()
			off := len(w.b)
			return w.uvarint(99).eof(), off
		}, "unknown", "unknown record tag 99"},
		{"overflowing varint", func() ([]byte, int) {
			w := start()
			off := len(w.b)
			w.uvarint(tagObject)
			w.b = append(w.b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)
			return w.eof(), off
		}, "object", "varint overflows 64 bits"},
		{"length past EOF", func() ([]byte, int) {
			w := start()
			off := len(w.b)
			w.uvarint(tagObject, 0xc000000000, 1<<40)
			return w.eof(), off
		}, "object", "truncated object record"},
		{"truncated in object", func() ([]byte, int) {
			w := start()
			off := len(w.b)
			b := w.object(0xc000000000, make([]byte, 64), 8).b
			return b[:len(b)-20], off
		}, "object", "truncated object record"},
		{"missing EOF", func() ([]byte, int) {
			w := start().object(0xc000000000, make([]byte, 64), 8)
			return w.b, len(w.b)
		}, "EOF", "missing EOF"},
		{"data after EOF", func() ([]byte, int) {
			w := start()
			off := len(w.b)
			return append(w.eof(), 0), off
		}, "EOF", "data after EOF"},
		{"empty object", func() ([]byte, int) {
			w := start()
			off := len(w.b)
			return w.object(0xc000000000, nil).eof(), off
		}, "object", "empty object"},
		{"overlapping objects", func() ([]byte, int) {
			w := start().object(0xc000000000, make([]byte, 64))
			off := len(w.b)
			return w.object(0xc000000020, make([]byte, 64)).eof(), off
		}, "object", "overlapping object records"},
		{"overlapping objects, other order", func() ([]byte, int) {
			// Slots above 512 bytes: no phantom rule applies.
			w := start().object(0xc000002000, make([]byte, 1024))
			off := len(w.b)
			w.object(0xc000001f00, make([]byte, 1024))
			return w.eof(), off
		}, "object", "overlapping object records"},
		{"overlapping objects across runs", func() ([]byte, int) {
			// Four runs (addresses go down at each record): the halves of
			// a parallel layout meet between them.
			w := start().object(0xc000006000, make([]byte, 1024)).object(0xc000004000, make([]byte, 1024))
			w.object(0xc000002000, make([]byte, 1024))
			off := len(w.b)
			w.object(0xc000003e00, make([]byte, 1024))
			return w.eof(), off
		}, "object", "overlapping object records"},
		{"pointer outside object", func() ([]byte, int) {
			w := start()
			off := len(w.b)
			return w.object(0xc000000000, make([]byte, 16), 8, 9).eof(), off
		}, "object", "pointer field outside its object"},
		{"pointer fields out of order", func() ([]byte, int) {
			w := start()
			off := len(w.b)
			return w.object(0xc000000000, make([]byte, 16), 8, 0).eof(), off
		}, "object", "pointer fields out of order"},
		{"unknown field kind", func() ([]byte, int) {
			w := start()
			off := len(w.b)
			w.uvarint(tagObject, 0xc000000000).bytes(make([]byte, 16)).uvarint(7, 0, 0)
			return w.eof(), off
		}, "object", "unknown field kind 7"},
		{"pointer outside frame", func() ([]byte, int) {
			w := start()
			w.uvarint(tagGoroutine, 1, 2, 3, 4, 4, 0, 0, 0).str("").uvarint(0, 0, 0, 0)
			off := len(w.b)
			w.uvarint(tagStackFrame, 0x100, 0, 0).bytes(make([]byte, 16)).uvarint(1, 2, 3).str("f").ptrFields(16)
			return w.eof(), off
		}, "stack frame", "pointer field outside its frame"},
		{"frame without goroutine", func() ([]byte, int) {
			w := start()
			off := len(w.b)
			w.uvarint(tagStackFrame, 0x100, 0, 0).bytes(make([]byte, 16)).uvarint(1, 2, 3).str("f").ptrFields(0)
			return w.eof(), off
		}, "stack frame", "before any goroutine"},
		{"pointer outside data", func() ([]byte, int) {
			w := start()
			off := len(w.b)
			w.uvarint(tagData, 0x500000).bytes(make([]byte, 16)).ptrFields(0, 12)
			return w.eof(), off
		}, "data", "pointer field outside its segment"},
		{"pointer outside bss", func() ([]byte, int) {
			w := start()
			off := len(w.b)
			w.uvarint(tagBSS, 0x500000).bytes(nil).ptrFields(0)
			return w.eof(), off
		}, "bss", "pointer field outside its segment"},
		{"two data records", func() ([]byte, int) {
			w := start()
			w.uvarint(tagData, 0x500000).bytes(nil).ptrFields()
			off := len(w.b)
			w.uvarint(tagData, 0x500000).bytes(nil).ptrFields()
			return w.eof(), off
		}, "data", "duplicate data record"},
		{"memprof frame count past EOF", func() ([]byte, int) {
			w := start()
			off := len(w.b)
			w.uvarint(tagMemProf, 1, 2, 1<<50)
			return w.eof(), off
		}, "memprof bucket", "truncated memprof bucket record"},
		{"string past EOF", func() ([]byte, int) {
			w := start()
			off := len(w.b)
			w.uvarint(tagOtherRoot, 1<<62)
			return w.b, off
		}, "other root", "truncated other root record"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, off := c.build()
			// Also index with two goroutines, however small the dump.
			if d, err := newDump(b, nil, &Options{parallelMin: 1}); err == nil {
				d.Close()
				t.Fatal("parallel indexing succeeded")
			}
			d, err := Open(writeTemp(t, b), nil)
			if err == nil {
				d.Close()
				t.Fatal("Open succeeded")
			}
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v (%T) is not a *FormatError", err, err)
			}
			if fe.Record != c.record || fe.Offset != int64(off) || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %q: record %q offset %d, want record %q offset %d message containing %q",
					err, fe.Record, fe.Offset, c.record, off, c.msg)
			}
			if want := "at offset "; !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q is not one line naming the offset", err)
			}
		})
	}
}

func TestFormatErrorMessage(t *testing.T) {
	e := &FormatError{Offset: 123456, Record: "object", Msg: "truncated object record", Detail: "file ends at 120000"}
	if got, want := e.Error(), "heapdump: truncated object record at offset 123456 (file ends at 120000)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestOpenMissingFile(t *testing.T) {
	_, err := Open(t.TempDir()+"/nope.dump", nil)
	var fe *FormatError
	if err == nil || errors.As(err, &fe) || !strings.Contains(err.Error(), "nope.dump") {
		t.Errorf("Open of a missing file: %v", err)
	}
}
