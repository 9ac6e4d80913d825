package heapdump

import (
	"fmt"
	"strings"
)

// reader decodes the primitive values of the format (uvarints, length
// prefixed byte ranges, strings) from the mapped file. Errors are sticky:
// the first one is kept in err, later reads return zero values and the
// record loop stops at the end of the record. Nothing is allocated from a
// length read from the file before the length has been checked against the
// bytes that remain.
type reader struct {
	b        []byte
	pos      int    // offset of the next byte to decode
	recStart int    // offset of the current record's tag
	rec      string // name of the current record, for errors
	err      *FormatError

	// strs interns the strings of the dump (function names, wait
	// reasons, file names repeat a lot) so that records do not keep the
	// mapping alive and equal names share memory.
	strs map[string]string
}

// uvarint decodes one unsigned varint (encoding/binary's format, which the
// runtime's dumpint writes).
func (r *reader) uvarint() uint64 {
	if r.pos < len(r.b) {
		if c := r.b[r.pos]; c < 0x80 {
			r.pos++
			return uint64(c)
		}
	}
	return r.uvarintSlow()
}

func (r *reader) uvarintSlow() uint64 {
	var v uint64
	var shift uint
	for i := 0; ; i++ {
		if r.pos >= len(r.b) {
			r.truncated()
			return 0
		}
		c := r.b[r.pos]
		r.pos++
		if i == 9 && c > 1 {
			r.fail("varint overflows 64 bits in "+r.rec+" record", fmt.Sprintf("at offset %d", r.pos-1))
			return 0
		}
		if c < 0x80 {
			return v | uint64(c)<<shift
		}
		v |= uint64(c&0x7f) << shift
		shift += 7
	}
}

// boolean decodes a bool written by the runtime's dumpbool (uvarint 0 or 1).
func (r *reader) boolean() bool {
	return r.uvarint() != 0
}

// bytes decodes a length-prefixed byte range and returns where it is in
// the file, without copying it.
func (r *reader) bytes() span {
	n := r.uvarint()
	if r.err != nil {
		return span{}
	}
	if n > uint64(len(r.b)-r.pos) {
		r.fail("truncated "+r.rec+" record", fmt.Sprintf("%d-byte field at offset %d runs past the end of the file at %d", n, r.pos, len(r.b)))
		return span{}
	}
	s := span{off: uint64(r.pos), len: n}
	r.pos += int(n)
	return s
}

// str decodes a length-prefixed string and interns it.
func (r *reader) str() string {
	s := r.bytes()
	if r.err != nil || s.len == 0 {
		return ""
	}
	b := r.b[s.off : s.off+s.len]
	// The lookup with a converted []byte key does not allocate.
	if v, ok := r.strs[string(b)]; ok {
		return v
	}
	v := string(b)
	r.strs[v] = v
	return v
}

// fields decodes a field list (kind, offset pairs ended by kind 0) of a
// region of size bytes and checks that every field lies inside it and, if
// ordered, that the fields come in increasing order without overlap (as
// the runtime writes them for objects, data and bss). It returns where the
// list is in the file (terminator included), whether it holds any field
// and whether one starts at offset 0.
func (r *reader) fields(size, ptrSize uint64, what string, ordered bool) (list span, hasAny, at0 bool) {
	start := r.pos
	var next uint64 // smallest offset the next field may have
	for {
		kind := r.uvarint()
		if kind == fieldKindEol || r.err != nil {
			break
		}
		off := r.uvarint()
		if r.err != nil {
			break
		}
		var width uint64
		switch kind {
		case fieldKindPtr:
			width = ptrSize
		case fieldKindIface, fieldKindEface:
			width = 2 * ptrSize
		default:
			r.fail(fmt.Sprintf("unknown field kind %d in %s record", kind, r.rec), "")
			return span{}, false, false
		}
		if off > size || size-off < width {
			r.fail(fmt.Sprintf("pointer field outside its %s in %s record", what, r.rec),
				fmt.Sprintf("field at offset %d, %s is %d bytes", off, what, size))
			return span{}, false, false
		}
		if ordered && off < next {
			r.fail(fmt.Sprintf("pointer fields out of order in %s record", r.rec),
				fmt.Sprintf("field at offset %d after one ending at %d", off, next))
			return span{}, false, false
		}
		next = off + width
		hasAny = true
		if off == 0 {
			at0 = true
		}
	}
	return span{off: uint64(start), len: uint64(r.pos - start)}, hasAny, at0
}

// truncated records that the file ended inside the current record.
func (r *reader) truncated() {
	r.fail("truncated "+r.rec+" record", fmt.Sprintf("file ends at %d", len(r.b)))
}

// fail records the first error, located at the current record's start,
// and stops decoding.
func (r *reader) fail(msg, detail string) {
	if r.err == nil {
		r.err = &FormatError{Offset: int64(r.recStart), Record: r.rec, Msg: msg, Detail: detail}
	}
	r.pos = len(r.b)
}

// normaliseTypeName turns the runtime's broken "pkgpath." names (written for
// types whose Name() is empty but which have a package path, such as
// pointer types with methods) into "".
func normaliseTypeName(raw string) (name string, broken bool) {
	if strings.HasSuffix(raw, ".") {
		return "", true
	}
	return raw, false
}
