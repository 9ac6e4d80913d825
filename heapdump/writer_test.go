package heapdump

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// dumpWriter builds heap dumps in memory for tests, record by record, in
// the format of the runtime's heapdump.go.
type dumpWriter struct {
	b       []byte
	ptrSize int
	big     bool
}

func newDumpWriter(ptrSize int, big bool) *dumpWriter {
	return &dumpWriter{b: []byte(header), ptrSize: ptrSize, big: big}
}

func (w *dumpWriter) uvarint(vs ...uint64) *dumpWriter {
	for _, v := range vs {
		w.b = binary.AppendUvarint(w.b, v)
	}
	return w
}

func (w *dumpWriter) boolean(v bool) *dumpWriter {
	if v {
		return w.uvarint(1)
	}
	return w.uvarint(0)
}

func (w *dumpWriter) bytes(b []byte) *dumpWriter {
	w.uvarint(uint64(len(b)))
	w.b = append(w.b, b...)
	return w
}

func (w *dumpWriter) str(s string) *dumpWriter { return w.bytes([]byte(s)) }

// ptrFields writes a field list of pointer fields at offs.
func (w *dumpWriter) ptrFields(offs ...uint64) *dumpWriter {
	for _, o := range offs {
		w.uvarint(fieldKindPtr, o)
	}
	return w.uvarint(fieldKindEol)
}

// word encodes v as one pointer-sized word in the writer's byte order.
func (w *dumpWriter) word(v uint64) []byte {
	b := make([]byte, w.ptrSize)
	switch {
	case w.ptrSize == 4 && w.big:
		binary.BigEndian.PutUint32(b, uint32(v))
	case w.ptrSize == 4:
		binary.LittleEndian.PutUint32(b, uint32(v))
	case w.big:
		binary.BigEndian.PutUint64(b, v)
	default:
		binary.LittleEndian.PutUint64(b, v)
	}
	return b
}

// words makes size bytes whose leading words hold vs.
func (w *dumpWriter) words(size int, vs ...uint64) []byte {
	b := make([]byte, size)
	for i, v := range vs {
		copy(b[i*w.ptrSize:], w.word(v))
	}
	return b
}

func (w *dumpWriter) params(arenaStart, arenaEnd uint64, goarch, version string) *dumpWriter {
	w.uvarint(tagParams).boolean(w.big).uvarint(uint64(w.ptrSize), arenaStart, arenaEnd)
	return w.str(goarch).str(version).uvarint(4)
}

func (w *dumpWriter) object(addr uint64, contents []byte, ptrOffs ...uint64) *dumpWriter {
	return w.uvarint(tagObject, addr).bytes(contents).ptrFields(ptrOffs...)
}

func (w *dumpWriter) typ(addr, size uint64, name string, indirect bool) *dumpWriter {
	return w.uvarint(tagType, addr, size).str(name).boolean(indirect)
}

func (w *dumpWriter) eof() []byte {
	w.uvarint(tagEOF)
	return w.b
}

// writeTemp writes b to a file in a test temp dir and returns its path.
func writeTemp(t testing.TB, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "test.dump")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
