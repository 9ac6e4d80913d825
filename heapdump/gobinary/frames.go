package gobinary

import (
	"encoding/binary"
)

// FrameSlot is a piece of a variable that lives in a stack frame's memory
// at a pc.
type FrameSlot struct {
	Var    *Var
	CFAOff int64  // address of the piece minus the frame's CFA (the caller's SP on amd64)
	VarOff uint64 // offset of the piece in the variable
	Size   uint64 // bytes of the piece
}

// locSections are the raw DWARF sections location lists need.
type locSections struct {
	loclists []byte // DWARF 5 .debug_loclists
	loc      []byte // DWARF 4 .debug_loc
	addr     []byte // DWARF 5 .debug_addr
}

// FrameSlots returns the pieces of f's parameters and locals that are in
// memory (relative to the CFA) at pc, a run-time address in f. Variables
// held in registers at pc are left out: at a call site (every frame but
// the innermost) the register-allocated ones are dead or spilled.
func (b *Binary) FrameSlots(f *Func, pc uint64) []FrameSlot {
	var out []FrameSlot
	linkPC := pc - b.offset
	for i := range f.Vars {
		v := &f.Vars[i]
		if v.Type == nil || v.InClosure {
			continue
		}
		expr := v.Loc
		if v.LocList >= 0 {
			expr = b.locAt(f, v.LocList, linkPC)
		}
		if expr == nil {
			continue
		}
		out = appendPieces(out, v, expr)
	}
	return out
}

// appendPieces decodes a location expression made of CFA-relative
// memory pieces (DW_OP_call_frame_cfa, DW_OP_fbreg N, each optionally
// followed by DW_OP_piece); register pieces are skipped.
func appendPieces(out []FrameSlot, v *Var, expr []byte) []FrameSlot {
	var varOff uint64
	for len(expr) > 0 {
		var cfa int64
		mem := false
		switch op := expr[0]; {
		case op == opCallFrameCFA:
			mem = true
			expr = expr[1:]
			if len(expr) > 0 && expr[0] == opConsts {
				n, k := sleb128(expr[1:])
				if k <= 0 {
					return out
				}
				expr = expr[1+k:]
				if len(expr) == 0 || expr[0] != opPlus {
					return out
				}
				expr = expr[1:]
				cfa = n
			}
		case op == opFbreg:
			n, k := sleb128(expr[1:])
			if k <= 0 {
				return out
			}
			mem, cfa = true, n
			expr = expr[1+k:]
		case op >= 0x50 && op <= 0x6f: // DW_OP_reg0..31
			expr = expr[1:]
		case op == 0x90: // DW_OP_regx
			_, k := binary.Uvarint(expr[1:])
			if k <= 0 {
				return out
			}
			expr = expr[1+k:]
		case op == 0x93: // DW_OP_piece with an empty location: optimized out
		default:
			return out // not a form Go writes for frame slots
		}
		size := v.Type.Size - varOff
		if len(expr) > 0 && expr[0] == 0x93 { // DW_OP_piece
			n, k := binary.Uvarint(expr[1:])
			if k <= 0 {
				return out
			}
			size = n
			expr = expr[1+k:]
		} else if len(expr) > 0 {
			return out
		}
		if mem && size > 0 {
			out = append(out, FrameSlot{Var: v, CFAOff: cfa, VarOff: varOff, Size: size})
		}
		varOff += size
	}
	return out
}

// locAt returns the expression of the location list at off that covers
// pc (a link-time address), or nil.
func (b *Binary) locAt(f *Func, off int64, pc uint64) []byte {
	if b.dwarf5 {
		return b.loclistAt(f, off, pc)
	}
	return b.locDWARF4At(f, off, pc)
}

// DWARF 5 location list entry kinds.
const (
	lleEndOfList      = 0
	lleBaseAddressx   = 1
	lleStartxEndx     = 2
	lleStartxLength   = 3
	lleOffsetPair     = 4
	lleDefaultLoc     = 5
	lleBaseAddress    = 6
	lleStartEnd       = 7
	lleStartLength    = 8
	maxLocListEntries = 1 << 16
)

func (b *Binary) loclistAt(f *Func, off int64, pc uint64) []byte {
	s := b.loc.loclists
	if off < 0 || off >= int64(len(s)) {
		return nil
	}
	p := s[off:]
	base := f.cuLow
	uv := func() (uint64, bool) {
		v, k := binary.Uvarint(p)
		if k <= 0 {
			return 0, false
		}
		p = p[k:]
		return v, true
	}
	addr := func() (uint64, bool) {
		if len(p) < 8 {
			return 0, false
		}
		v := binary.LittleEndian.Uint64(p)
		p = p[8:]
		return v, true
	}
	addrx := func(i uint64) (uint64, bool) {
		o := f.addrBase + i*8
		if o+8 > uint64(len(b.loc.addr)) {
			return 0, false
		}
		return binary.LittleEndian.Uint64(b.loc.addr[o:]), true
	}
	for n := 0; len(p) > 0 && n < maxLocListEntries; n++ {
		kind := p[0]
		p = p[1:]
		var lo, hi uint64
		var ok1, ok2 bool
		switch kind {
		case lleEndOfList:
			return nil
		case lleBaseAddressx:
			i, ok := uv()
			if !ok {
				return nil
			}
			if base, ok = addrx(i); !ok {
				return nil
			}
			continue
		case lleBaseAddress:
			var ok bool
			if base, ok = addr(); !ok {
				return nil
			}
			continue
		case lleStartxEndx:
			var i, j uint64
			i, ok1 = uv()
			j, ok2 = uv()
			if ok1 && ok2 {
				lo, ok1 = addrx(i)
				hi, ok2 = addrx(j)
			}
		case lleStartxLength:
			var i, n uint64
			i, ok1 = uv()
			n, ok2 = uv()
			if ok1 {
				lo, ok1 = addrx(i)
				hi = lo + n
			}
		case lleOffsetPair:
			lo, ok1 = uv()
			hi, ok2 = uv()
			lo += base
			hi += base
		case lleDefaultLoc:
			ok1, ok2, lo, hi = true, true, 0, ^uint64(0)
		case lleStartEnd:
			lo, ok1 = addr()
			hi, ok2 = addr()
		case lleStartLength:
			var n uint64
			lo, ok1 = addr()
			n, ok2 = uv()
			hi = lo + n
		default:
			return nil
		}
		if !ok1 || !ok2 {
			return nil
		}
		n, ok := uv()
		if !ok || n > uint64(len(p)) {
			return nil
		}
		expr := p[:n]
		p = p[n:]
		if pc >= lo && pc < hi {
			return expr
		}
	}
	return nil
}

func (b *Binary) locDWARF4At(f *Func, off int64, pc uint64) []byte {
	s := b.loc.loc
	if off < 0 || off >= int64(len(s)) {
		return nil
	}
	p := s[off:]
	base := f.cuLow
	for n := 0; len(p) >= 16 && n < maxLocListEntries; n++ {
		lo := binary.LittleEndian.Uint64(p)
		hi := binary.LittleEndian.Uint64(p[8:])
		p = p[16:]
		if lo == 0 && hi == 0 {
			return nil
		}
		if lo == ^uint64(0) {
			base = hi
			continue
		}
		if len(p) < 2 {
			return nil
		}
		l := int(binary.LittleEndian.Uint16(p))
		p = p[2:]
		if l > len(p) {
			return nil
		}
		expr := p[:l]
		p = p[l:]
		if pc >= base+lo && pc < base+hi {
			return expr
		}
	}
	return nil
}

// sleb128 decodes a DWARF signed LEB128 number and returns it and the
// bytes it took (0 if b is too short).
func sleb128(b []byte) (int64, int) {
	var v int64
	var shift uint
	for i, c := range b {
		if shift < 64 {
			v |= int64(c&0x7f) << shift
		}
		shift += 7
		if c&0x80 == 0 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v, i + 1
		}
	}
	return 0, 0
}
