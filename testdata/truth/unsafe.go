package truth

import "unsafe"

// unsafePointer turns a recorded address back into a pointer. It is only used while the
// object is known to be alive (held by a parked goroutine, or deliberately left as garbage
// with the GC turned off).
func unsafePointer(a uintptr) unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Pointer(&a))
}
