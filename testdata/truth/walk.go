package truth

import (
	"fmt"
	"reflect"
	"strings"
	"unsafe"
)

// Local names an object held only by a goroutine's frame (or deliberately unreferenced).
// It keeps the address as a uintptr so that recording it does not keep the object alive.
type Local struct {
	Addr uintptr
	Type reflect.Type // the pointer type, e.g. *main.BackendManager
}

// LocalOf describes the object p points to without retaining it.
func LocalOf(p any) Local {
	v := reflect.ValueOf(p)
	if v.Kind() != reflect.Pointer {
		panic(fmt.Sprintf("truth.LocalOf: %T is not a pointer", p))
	}
	return Local{Addr: v.Pointer(), Type: v.Type()}
}

type root struct {
	name string
	path string // defaults to name
	v    reflect.Value
}

type item struct {
	v    reflect.Value
	root string
	path string
}

type seenKey struct {
	addr uintptr
	typ  string
}

// valueHeader mirrors reflect.Value's layout (stable from Go 1.18 to 1.27): it is read to
// find the data word of an interface and the closure pointer of a func value, which
// reflect does not expose for unexported fields.
type valueHeader struct {
	typ  unsafe.Pointer
	ptr  unsafe.Pointer
	flag uintptr
}

const flagIndir = 1 << 7

func header(v *reflect.Value) *valueHeader { return (*valueHeader)(unsafe.Pointer(v)) }

// TypeName is the name the truth file uses for t: PkgPath+"."+Name for named types,
// reflect's String() otherwise.
func TypeName(t reflect.Type) string {
	if t.Name() != "" && t.PkgPath() != "" {
		return t.PkgPath() + "." + t.Name()
	}
	return t.String()
}

// walk visits everything reachable from the roots breadth first, so each object's path
// is a shortest one in reflect's view (which hides map and channel internals).
func (r *Recorder) walk() {
	var queue []item
	for _, rt := range r.roots {
		path := rt.path
		if path == "" {
			path = rt.name
		}
		queue = append(queue, item{v: rt.v, root: rt.name, path: path})
	}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		queue = r.visit(it, queue)
	}
}

// record notes an object reached through it and reports whether it is the first visit.
// Static data (rodata, data, bss) reached through a pointer is walked but not recorded.
func (r *Recorder) record(addr uintptr, typ, kind string, size uint64, it item) bool {
	if addr == 0 {
		return false
	}
	k := seenKey{addr, typ}
	if r.seen[k] {
		return false
	}
	r.seen[k] = true
	if r.isHeap(addr) {
		r.t.Objects = append(r.t.Objects, Object{
			Address: hex(addr), Type: typ, Kind: kind, Size: size, Root: it.root, Path: it.path,
		})
	}
	return true
}

func (r *Recorder) visit(it item, queue []item) []item {
	v := it.v
	t := v.Type()
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return queue
		}
		et := t.Elem()
		if r.record(v.Pointer(), TypeName(et), et.Kind().String(), uint64(et.Size()), it) {
			queue = append(queue, item{v: v.Elem(), root: it.root, path: "(*" + it.path + ")"})
		}
	case reflect.Struct:
		if elem, ok := atomicPointerElem(t); ok {
			// sync/atomic.Pointer[T] keeps its *T in an unsafe.Pointer field.
			if v.CanAddr() {
				p := *(*unsafe.Pointer)(unsafe.Pointer(v.UnsafeAddr()))
				if p != nil {
					queue = append(queue, item{v: reflect.NewAt(elem, p), root: it.root, path: it.path + ".v"})
				}
			}
			return queue
		}
		for i := 0; i < v.NumField(); i++ {
			f := t.Field(i)
			if !mayHoldPointers(f.Type) {
				continue
			}
			queue = append(queue, item{v: v.Field(i), root: it.root, path: it.path + "." + f.Name})
		}
	case reflect.Array:
		if !mayHoldPointers(t.Elem()) {
			return queue
		}
		for i := 0; i < v.Len(); i++ {
			queue = append(queue, item{v: v.Index(i), root: it.root, path: fmt.Sprintf("%s[%d]", it.path, i)})
		}
	case reflect.Slice:
		if v.IsNil() || v.Cap() == 0 || t.Elem().Size() == 0 {
			return queue
		}
		at := reflect.ArrayOf(v.Cap(), t.Elem())
		first := r.record(uintptr(v.UnsafePointer()), at.String(), "array", uint64(at.Size()), it)
		if first && mayHoldPointers(t.Elem()) {
			for i := 0; i < v.Len(); i++ {
				queue = append(queue, item{v: v.Index(i), root: it.root, path: fmt.Sprintf("%s[%d]", it.path, i)})
			}
		}
	case reflect.String:
		if v.Len() > 0 {
			s := v.String()
			r.record(uintptr(unsafe.Pointer(unsafe.StringData(s))), "string data", "string data", uint64(len(s)), it)
		}
	case reflect.Map:
		if v.IsNil() {
			return queue
		}
		if !r.record(uintptr(v.UnsafePointer()), t.String(), "map", 0, it) {
			return queue
		}
		keys, vals := mayHoldPointers(t.Key()), mayHoldPointers(t.Elem())
		if !keys && !vals {
			return queue
		}
		iter := v.MapRange()
		for n := 0; iter.Next(); n++ {
			if keys {
				queue = append(queue, item{v: iter.Key(), root: it.root, path: fmt.Sprintf("%s{key %d}", it.path, n)})
			}
			if vals {
				queue = append(queue, item{v: iter.Value(), root: it.root, path: fmt.Sprintf("%s{value %d}", it.path, n)})
			}
		}
	case reflect.Interface:
		if v.IsNil() {
			return queue
		}
		e := v.Elem()
		dyn := e.Type()
		eh := header(&e)
		if eh.flag&flagIndir != 0 {
			// A value that is not pointer-shaped is boxed: the data word points to a copy.
			if !r.record(uintptr(eh.ptr), TypeName(dyn), "boxed "+dyn.Kind().String(), uint64(dyn.Size()), it) {
				return queue
			}
		}
		queue = append(queue, item{v: e, root: it.root, path: it.path + ".(" + TypeName(dyn) + ")"})
	case reflect.Func:
		if v.IsNil() {
			return queue
		}
		h := header(&v)
		p := h.ptr
		if h.flag&flagIndir != 0 {
			p = *(*unsafe.Pointer)(p)
		}
		r.record(uintptr(p), t.String(), "closure", 0, it)
	case reflect.Chan:
		if v.IsNil() {
			return queue
		}
		r.record(v.Pointer(), t.String(), "chan", 0, it)
	}
	return queue
}

// atomicPointerElem returns T for sync/atomic.Pointer[T]. The Go 1.24+ sync.Map trie
// (internal/sync) stores nodes of several types behind one atomic.Pointer type, so it is
// not followed: programs record what they keep in a sync.Map with Recorder.Via.
func atomicPointerElem(t reflect.Type) (reflect.Type, bool) {
	if t.PkgPath() != "sync/atomic" || !strings.HasPrefix(t.Name(), "Pointer[") || t.NumField() == 0 {
		return nil, false
	}
	arr := t.Field(0).Type // _ [0]*T
	if arr.Kind() != reflect.Array || arr.Elem().Kind() != reflect.Pointer {
		return nil, false
	}
	elem := arr.Elem().Elem()
	if strings.HasPrefix(elem.PkgPath(), "internal/") {
		return nil, false
	}
	return elem, true
}

// mayHoldPointers reports whether a value of type t can lead to another heap object.
func mayHoldPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.UnsafePointer:
		return false
	case reflect.Array:
		return t.Len() > 0 && mayHoldPointers(t.Elem())
	case reflect.Struct:
		if _, ok := atomicPointerElem(t); ok {
			return true
		}
		for i := 0; i < t.NumField(); i++ {
			if mayHoldPointers(t.Field(i).Type) {
				return true
			}
		}
		return false
	}
	return true
}

func hex(a uintptr) string { return fmt.Sprintf("%#x", a) }
