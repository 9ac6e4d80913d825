package gobinary

import (
	"debug/elf"
	"encoding/binary"
	"strings"
)

// Layout of the runtime's abi.Type on 64-bit targets (unchanged from Go
// 1.21 to 1.27).
const (
	descSize     = 0
	descPtrBytes = 8
	descTFlag    = 20
	descKind     = 23
	descStr      = 40
	descLen      = 48

	tflagExtraStar = 1 << 1
	kindMask       = 0x1f
)

// Descriptor is what a runtime type descriptor in the executable says of
// a type that DWARF may not describe (types used only through interfaces
// or reflection have no DWARF).
type Descriptor struct {
	Name     string // as the runtime spells it: package names, not paths ("*context.cancelCtx")
	Size     uint64
	PtrBytes uint64 // length of the prefix that can hold pointers
	Kind     Kind
	// Elem is, for a pointer type, the run-time address of the pointed-to
	// type's descriptor (0 when unknown, e.g. in a PIE file before
	// relocation).
	Elem uint64
}

// image is the read-only data the descriptors live in.
type image struct {
	addr uint64 // link-time address of data[0]
	data []byte
}

func readImage(f *elf.File, typesAddr uint64) image {
	for _, s := range f.Sections {
		if s.Type == elf.SHT_PROGBITS && typesAddr >= s.Addr && typesAddr < s.Addr+s.Size {
			data, err := s.Data()
			if err != nil {
				return image{}
			}
			return image{addr: s.Addr, data: data}
		}
	}
	return image{}
}

// bytesAt returns n bytes at link-time address a, or nil.
func (m *image) bytesAt(a, n uint64) []byte {
	if a < m.addr || a-m.addr+n > uint64(len(m.data)) || a-m.addr+n < n {
		return nil
	}
	return m.data[a-m.addr : a-m.addr+n]
}

// DescribeRuntimeType decodes the runtime type descriptor at addr (a
// run-time address); ok is false if addr is not one.
func (b *Binary) DescribeRuntimeType(addr uint64) (Descriptor, bool) {
	if b.PtrSize != 8 {
		return Descriptor{}, false
	}
	link := addr - b.offset
	hdr := b.img.bytesAt(link, descLen)
	if hdr == nil {
		return Descriptor{}, false
	}
	d := Descriptor{
		Size:     binary.LittleEndian.Uint64(hdr[descSize:]),
		PtrBytes: binary.LittleEndian.Uint64(hdr[descPtrBytes:]),
		Kind:     Kind(hdr[descKind] & kindMask),
	}
	if d.Kind == KindInvalid || d.Kind > KindUnsafePointer || d.PtrBytes > d.Size {
		return Descriptor{}, false
	}
	nameOff := int32(binary.LittleEndian.Uint32(hdr[descStr:]))
	name, ok := b.runtimeName(b.typesBase - b.offset + uint64(int64(nameOff)))
	if !ok {
		return Descriptor{}, false
	}
	if hdr[descTFlag]&tflagExtraStar != 0 {
		name = strings.TrimPrefix(name, "*")
	}
	d.Name = name
	if d.Kind == KindPointer {
		if p := b.img.bytesAt(link+descLen, 8); p != nil {
			if e := binary.LittleEndian.Uint64(p); e != 0 {
				d.Elem = e + b.offset
			}
		}
	}
	return d, true
}

// runtimeName reads an abi.Name (flags byte, uvarint length, bytes) at a
// link-time address.
func (b *Binary) runtimeName(a uint64) (string, bool) {
	p := b.img.bytesAt(a, 1+binary.MaxVarintLen64)
	if p == nil {
		p = b.img.bytesAt(a, 2)
		if p == nil {
			return "", false
		}
	}
	n, k := binary.Uvarint(p[1:])
	if k <= 0 {
		return "", false
	}
	s := b.img.bytesAt(a+1+uint64(k), n)
	if s == nil {
		return "", false
	}
	return string(s), true
}

// ReadWord reads a pointer-sized word of the executable's initialized
// data at a run-time address (e.g. a field of a static itab), as the file
// holds it (before any dynamic relocation of a PIE).
func (b *Binary) ReadWord(addr uint64) (uint64, bool) {
	if b.PtrSize != 8 {
		return 0, false
	}
	for i := range b.progbits {
		if p := b.progbits[i].bytesAt(addr-b.offset, 8); p != nil {
			return binary.LittleEndian.Uint64(p), true
		}
	}
	return 0, false
}

// readProgbits maps the allocated sections with contents in the file.
func readProgbits(f *elf.File) []image {
	var out []image
	for _, s := range f.Sections {
		if s.Type != elf.SHT_PROGBITS || s.Flags&elf.SHF_ALLOC == 0 || s.Flags&elf.SHF_EXECINSTR != 0 {
			continue
		}
		if data, err := s.Data(); err == nil {
			out = append(out, image{addr: s.Addr, data: data})
		}
	}
	return out
}
