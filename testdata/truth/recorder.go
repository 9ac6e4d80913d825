package truth

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
)

// Recorder collects the named roots of a program, walks them and writes the truth file.
type Recorder struct {
	t      Truth
	roots  []root
	seen   map[seenKey]bool
	static [][2]uintptr // address ranges mapped from the executable (not heap)
}

// New starts a truth record for the program called name.
func New(name string) *Recorder {
	return &Recorder{
		t: Truth{
			Program: name, GoVersion: runtime.Version(), GOARCH: runtime.GOARCH, GOOS: runtime.GOOS,
			Globals: []Global{}, Goroutines: []Goroutine{}, Objects: []Object{}, Garbage: []Object{},
			Finalizers: []Object{}, Counts: map[string]int{}, Facts: map[string]string{},
		},
		seen: map[seenKey]bool{},
	}
}

// Global names a package-level variable as a root; ptr is &variable.
// segment is "data" for a variable with a non-zero initial value, "bss" otherwise.
func (r *Recorder) Global(name string, ptr any, segment string) {
	v := reflect.ValueOf(ptr)
	r.t.Globals = append(r.t.Globals, Global{
		Name: name, Address: fmt.Sprintf("%p", ptr), Type: v.Type().Elem().String(),
		Size: uint64(v.Type().Elem().Size()), Segment: segment,
	})
	r.roots = append(r.roots, root{name: name, v: v.Elem()})
}

// Goroutine names a parked goroutine whose frame holds the given objects.
func (r *Recorder) Goroutine(name string, id int64, locals ...Local) {
	g := Goroutine{Name: name, ID: id, Locals: []string{}}
	for _, l := range locals {
		g.Locals = append(g.Locals, hex(l.Addr))
		// The goroutine's frame keeps the object alive for as long as the program runs.
		r.roots = append(r.roots, root{name: "goroutine:" + name, v: l.value()})
	}
	r.t.Goroutines = append(r.t.Goroutines, g)
}

// Via names an object reached through something reflect cannot look into (a channel's
// buffer, a sync.Map, a closure's captured variables): root is the global or goroutine
// that keeps it alive (for a goroutine: "goroutine:<name>"), path says how, e.g. "main.jobs<-[2]".
func (r *Recorder) Via(rootName, path string, l Local) {
	r.roots = append(r.roots, root{name: rootName, path: path, v: l.value()})
}

// Finalizer records that runtime.SetFinalizer was called on the object.
func (r *Recorder) Finalizer(l Local) {
	r.t.Finalizers = append(r.t.Finalizers, l.object())
}

// Fact adds a program-specific expectation (see testdata/README.md).
func (r *Recorder) Fact(key string, value int) { r.t.Facts[key] = strconv.Itoa(value) }

// FactString adds a program-specific expectation with a string value.
func (r *Recorder) FactString(key, value string) { r.t.Facts[key] = quote(value) }

// Walk visits all roots and fills in objects and counts.
func (r *Recorder) Walk() error {
	if err := r.loadStatic(); err != nil {
		return err
	}
	r.walk()
	for _, o := range r.t.Objects {
		r.t.Counts[o.Type]++
	}
	return nil
}

// WriteFile writes the truth file to path, all but its garbage list, which
// FinishFile appends after the dump. Call FinishFile even with no garbage.
func (r *Recorder) WriteFile(path string) error {
	if err := os.WriteFile(path, []byte(r.t.head()), 0o644); err != nil {
		return fmt.Errorf("write truth: %w", err)
	}
	return nil
}

// FinishFile appends the deliberately unreferenced objects and closes the truth file.
// It runs after the dump so that recording them cannot change the dumped heap.
func FinishFile(path string, garbage []Local) error {
	objs := make([]Object, len(garbage))
	for i, l := range garbage {
		objs[i] = l.object()
	}
	if err := appendFile(path, tail(objs)); err != nil {
		return fmt.Errorf("finish truth: %w", err)
	}
	return nil
}

// WriteHeapDump writes the heap dump of the running program to path.
func WriteHeapDump(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create dump: %w", err)
	}
	debug.WriteHeapDump(f.Fd())
	return f.Close()
}

// GoroutineID returns the id of the calling goroutine, parsed from runtime.Stack.
func GoroutineID() int64 {
	var buf [64]byte
	s := string(buf[:runtime.Stack(buf[:], false)])
	s = strings.TrimPrefix(s, "goroutine ")
	id, err := strconv.ParseInt(s[:strings.IndexByte(s, ' ')], 10, 64)
	if err != nil {
		panic("truth.GoroutineID: " + err.Error())
	}
	return id
}

func (l Local) value() reflect.Value {
	return reflect.NewAt(l.Type.Elem(), unsafePointer(l.Addr))
}

func (l Local) object() Object {
	et := l.Type.Elem()
	return Object{Address: hex(l.Addr), Type: TypeName(et), Kind: et.Kind().String(), Size: uint64(et.Size())}
}

// loadStatic reads /proc/self/maps: anything mapped from the executable file is static
// data (rodata, data, bss), never a heap object.
func (r *Recorder) loadStatic() error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find executable: %w", err)
	}
	b, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return fmt.Errorf("read maps: %w", err)
	}
	var lastExeEnd uintptr
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 5 {
			continue
		}
		lo, hi, _ := strings.Cut(f[0], "-")
		a, err1 := strconv.ParseUint(lo, 16, 64)
		z, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil {
			return fmt.Errorf("maps line %q: bad range", sc.Text())
		}
		switch {
		case len(f) >= 6 && f[5] == exe:
			r.static = append(r.static, [2]uintptr{uintptr(a), uintptr(z)})
			lastExeEnd = uintptr(z)
		case len(f) == 5 && uintptr(a) == lastExeEnd:
			// The anonymous mapping right after the executable is the tail of its bss.
			r.static = append(r.static, [2]uintptr{uintptr(a), uintptr(z)})
			lastExeEnd = 0
		default:
			lastExeEnd = 0
		}
	}
	if len(r.static) == 0 {
		return fmt.Errorf("no mapping of %s in /proc/self/maps", exe)
	}
	return nil
}

func (r *Recorder) isHeap(a uintptr) bool {
	for _, s := range r.static {
		if a >= s[0] && a < s[1] {
			return false
		}
	}
	return true
}
