// Command shapes builds a heap that covers as many kinds of Go values as it can, for type
// recovery tests: nested structs and arrays, slices, strings, maps of many kinds,
// interfaces, generics, closures, buffered channels, parked goroutines, sync.Map, large,
// medium (malloc header) and tiny objects, a list, a tree and a cycle, and globals in the
// data and bss segments.
//
// Usage: shapes <out.dump> <out.truth.json>
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"

	"heapgraph.test/truth"
)

// Globals with static initial values holding pointers live in the data segment; the
// compiler also lays out the Outer and the slice's backing array statically there.
var (
	dataOuter    = &Outer{ID: 1, Name: "static outer"}
	dataPtrs     = []*Point{nil, nil, nil}
	dataGreeting = "hello from the data segment"
	dataCounts   = [4]int{1, 2, 3, 4} // pointer-free: noptrdata, not in the dump
)

// Zero-valued globals (set at run time) live in bss.
var (
	outers     []*Outer
	list       *Node
	tree       *Tree
	ring       *Ring
	smallMap   map[string]*Point
	largeMap   map[int]Point
	setMap     map[*Node]struct{}
	structMap  map[string]Inner
	bigValMap  map[int]BigVal
	shapes     []Shape
	anys       []any
	intList    List[int]
	strList    *List[string]
	ptrList    List[*Point]
	pairs      []Pair[string, *Node]
	nestedPair *Pair[int, Pair[string, *Point]]
	counterFn  func() int
	summer     func(int) int
	jobs       chan *Job
	registry   sync.Map
	big        *Big
	bigSlice   []*Point
	mediums    []*Medium
	midSlice   []*Point
	tinyInts   []*int32
	tinyStrs   []string
	bytesBuf   []byte
	blocker    sync.Mutex // pointer-free: noptrbss, not in the dump
	bssCounter int64      // pointer-free: noptrbss, not in the dump
)

var neverClosed = make(chan struct{})

const (
	listLen   = 200
	treeDepth = 7 // 127 nodes
	ringLen   = 3
	largeLen  = 2000
	setLen    = 50
	jobsQueue = 5
	registryN = 10
)

// heapString returns a string whose bytes are on the heap (not a literal in rodata).
func heapString(prefix string, i int) string {
	return prefix + "-" + strconv.Itoa(i)
}

// dynamic hides a constant from the compiler so that boxing it allocates on the heap
// (a boxed constant would be laid out statically in rodata).
//
//go:noinline
func dynamic(i int) int { return i }

func newPoint(i int) *Point { return &Point{X: i, Y: -i} }

func newInner(tag string, i int) Inner {
	return Inner{Tag: tag, Pts: [3]Point{{i, 1}, {i, 2}, {i, 3}}, Ref: newPoint(i)}
}

func buildOuters() {
	for i := 0; i < 10; i++ {
		note := heapString("note", i)
		o := &Outer{ID: i, Inner: newInner(heapString("inner", i), i), Name: heapString("outer", i), Note: &note}
		o.Grid = [2][2]*Point{{newPoint(i), nil}, {newPoint(i + 1), newPoint(i + 2)}}
		for j := 0; j < 3; j++ {
			o.Items = append(o.Items, newInner(heapString("item", j), j))
		}
		o.Ptrs = make([]*Point, 2, 4)
		o.Ptrs[0], o.Ptrs[1] = newPoint(i*10), o.Grid[0][0] // shared pointee
		outers = append(outers, o)
	}
	dataOuter.Ptrs = []*Point{newPoint(100)}
	dataOuter.Inner = newInner(heapString("data-inner", 0), 0)
	for i := range dataPtrs {
		dataPtrs[i] = newPoint(200 + i)
	}
}

func buildTree(key string, depth int, parent *Tree) *Tree {
	if depth == 0 {
		return nil
	}
	t := &Tree{Key: key, Parent: parent}
	t.Left = buildTree(key+"L", depth-1, t)
	t.Right = buildTree(key+"R", depth-1, t)
	return t
}

func buildLinked() {
	for i := listLen - 1; i >= 0; i-- {
		list = &Node{Val: i, Next: list}
	}
	tree = buildTree("t", treeDepth, nil)
	first := &Ring{Name: heapString("ring", 0)}
	last := first
	for i := 1; i < ringLen; i++ {
		last.Next = &Ring{Name: heapString("ring", i)}
		last = last.Next
	}
	last.Next = first
	ring = first
}

func buildMaps() {
	smallMap = map[string]*Point{"a": newPoint(1), "b": newPoint(2), heapString("c", 3): newPoint(3)}
	largeMap = make(map[int]Point)
	for i := 0; i < largeLen; i++ {
		largeMap[i] = Point{i, i * i}
	}
	setMap = make(map[*Node]struct{})
	n := list
	for i := 0; i < setLen; i++ {
		setMap[n] = struct{}{}
		n = n.Next
	}
	structMap = make(map[string]Inner)
	for i := 0; i < 20; i++ {
		structMap[heapString("key", i)] = newInner(heapString("val", i), i)
	}
	bigValMap = make(map[int]BigVal)
	for i := 0; i < 5; i++ {
		var v BigVal
		for j := range v.Refs {
			if j%4 == 0 {
				v.Refs[j] = newPoint(i*100 + j)
			}
		}
		bigValMap[i] = v
	}
}

func buildInterfaces() {
	label := heapString("rect", 0)
	r := float64(dynamic(1))
	shapes = []Shape{Circle{R: r}, &Rect{W: 2, H: 3, Label: &label}, Circle{R: r + 1}, &Rect{W: 4, H: 5}}
	anys = []any{
		list.Next,                            // pointer: data word is the pointer
		dynamic(100000),                      // int: boxed (tiny allocation)
		heapString("boxed", 1),               // string: boxed header pointing at heap bytes
		Point{dynamic(3), 4},                 // struct value: boxed
		[]int{1, 2, 3},                       // slice: boxed header
		smallMap,                             // map: pointer-shaped
		Pair[string, int]{label, dynamic(7)}, // generic struct value: boxed
		&Pair[string, *Node]{"q", list},      // generic struct pointer
	}
}

func buildGenerics() {
	for i := 0; i < 5; i++ {
		intList.Push(i)
		ptrList.Push(newPoint(i))
	}
	strList = &List[string]{}
	for i := 0; i < 4; i++ {
		strList.Push(heapString("s", i))
	}
	for i := 0; i < 3; i++ {
		pairs = append(pairs, Pair[string, *Node]{Key: heapString("pair", i), Val: list})
	}
	nestedPair = &Pair[int, Pair[string, *Point]]{Key: 1, Val: Pair[string, *Point]{Key: heapString("inner", 9), Val: newPoint(9)}}
}

// makeCounter returns a closure over a variable it modifies (so the variable moves to
// the heap) and that variable's address, for the truth file.
func makeCounter(start *Tree) (func() int, *int) {
	n := 0
	return func() int { n++; return n + len(start.Key) }, &n
}

func buildClosures() (counter truth.Local) {
	fn, n := makeCounter(tree.Left)
	counterFn = fn
	weights := []int{3, 1, 4, 1, 5}
	summer = func(x int) int {
		s := x
		for _, w := range weights {
			s += w
		}
		return s
	}
	return truth.LocalOf(n)
}

func buildChannel() []truth.Local {
	jobs = make(chan *Job, 8)
	var ls []truth.Local
	for i := 0; i < jobsQueue; i++ {
		j := &Job{ID: i, Payload: make([]byte, 64), Owner: list}
		jobs <- j
		ls = append(ls, truth.LocalOf(j))
	}
	return ls
}

func buildRegistry() []truth.Local {
	var ls []truth.Local
	for i := 0; i < registryN; i++ {
		n := &Node{Val: 1000 + i}
		registry.Store(heapString("reg", i), n)
		ls = append(ls, truth.LocalOf(n))
	}
	return ls
}

func buildSizes() {
	big = &Big{Tail: heapString("big", 0)}
	for i := 0; i < len(big.Ptrs); i += 500 {
		big.Ptrs[i] = newPoint(i)
	}
	bigSlice = make([]*Point, 6000)
	for i := 0; i < len(bigSlice); i += 1000 {
		bigSlice[i] = newPoint(i)
	}
	for i := 0; i < 5; i++ {
		m := &Medium{Name: heapString("medium", i)}
		m.Ptrs[0], m.Ptrs[99] = newPoint(i), newPoint(-i)
		mediums = append(mediums, m)
	}
	midSlice = make([]*Point, 100)
	midSlice[0], midSlice[50] = newPoint(1), newPoint(2)
	for i := 0; i < 20; i++ {
		v := int32(i)
		tinyInts = append(tinyInts, &v)
	}
	for i := 0; i < 10; i++ {
		tinyStrs = append(tinyStrs, strconv.Itoa(1000+i)) // 4 bytes each: tiny allocations
	}
	bytesBuf = make([]byte, 10000)
	bssCounter = int64(dataCounts[3])
}

// parked is a goroutine started by startParked, for the truth file.
type parked struct {
	name   string
	id     int64
	locals []truth.Local
}

// startParked runs body in a new goroutine and waits until it has reported its locals;
// body then blocks forever (channel receive, select, mutex).
func startParked(name string, body func(report func(...truth.Local))) parked {
	ready := make(chan parked)
	go body(func(ls ...truth.Local) {
		ready <- parked{name: name, id: truth.GoroutineID(), locals: ls}
	})
	return <-ready
}

func startGoroutines() []parked {
	blocker.Lock() // held by main forever: the "mutex" goroutine waits on it
	return []parked{
		startParked("receiver", func(report func(...truth.Local)) {
			t := buildTree("g", 3, nil)
			o := &Outer{ID: -1, Name: heapString("goroutine-outer", 0), Inner: newInner(heapString("g", 1), 1)}
			report(truth.LocalOf(t), truth.LocalOf(o))
			<-neverClosed
			runtime.KeepAlive(t)
			runtime.KeepAlive(o)
		}),
		startParked("selector", func(report func(...truth.Local)) {
			l := &List[string]{}
			l.Push(heapString("sel", 0))
			p := &Pair[string, *Point]{Key: heapString("sel", 1), Val: newPoint(77)}
			report(truth.LocalOf(l), truth.LocalOf(p))
			other := make(chan int)
			select {
			case <-neverClosed:
			case <-other:
			}
			runtime.KeepAlive(l)
			runtime.KeepAlive(p)
		}),
		startParked("mutex", func(report func(...truth.Local)) {
			m := &Medium{Name: heapString("locked", 0)}
			m.Ptrs[1] = newPoint(11)
			report(truth.LocalOf(m))
			blocker.Lock()
			runtime.KeepAlive(m)
		}),
	}
}

func recordTruth(path string, counter truth.Local, jobLs, regLs []truth.Local, gs []parked) error {
	rec := truth.New("shapes")
	for _, g := range []struct {
		name    string
		ptr     any
		segment string
	}{
		{"main.dataOuter", &dataOuter, "data"},
		{"main.dataPtrs", &dataPtrs, "data"},
		{"main.dataGreeting", &dataGreeting, "data"},
		{"main.dataCounts", &dataCounts, "noptrdata"},
		{"main.outers", &outers, "bss"},
		{"main.list", &list, "bss"},
		{"main.tree", &tree, "bss"},
		{"main.ring", &ring, "bss"},
		{"main.smallMap", &smallMap, "bss"},
		{"main.largeMap", &largeMap, "bss"},
		{"main.setMap", &setMap, "bss"},
		{"main.structMap", &structMap, "bss"},
		{"main.bigValMap", &bigValMap, "bss"},
		{"main.shapes", &shapes, "bss"},
		{"main.anys", &anys, "bss"},
		{"main.intList", &intList, "bss"},
		{"main.strList", &strList, "bss"},
		{"main.ptrList", &ptrList, "bss"},
		{"main.pairs", &pairs, "bss"},
		{"main.nestedPair", &nestedPair, "bss"},
		{"main.counterFn", &counterFn, "bss"},
		{"main.summer", &summer, "bss"},
		{"main.jobs", &jobs, "bss"},
		{"main.registry", &registry, "bss"},
		{"main.big", &big, "bss"},
		{"main.bigSlice", &bigSlice, "bss"},
		{"main.mediums", &mediums, "bss"},
		{"main.midSlice", &midSlice, "bss"},
		{"main.tinyInts", &tinyInts, "bss"},
		{"main.tinyStrs", &tinyStrs, "bss"},
		{"main.bytesBuf", &bytesBuf, "bss"},
		{"main.blocker", &blocker, "noptrbss"},
		{"main.bssCounter", &bssCounter, "noptrbss"},
		{"main.neverClosed", &neverClosed, "bss"},
	} {
		rec.Global(g.name, g.ptr, g.segment)
	}
	for _, g := range gs {
		rec.Goroutine(g.name, g.id, g.locals...)
	}
	rec.Via("main.counterFn", "main.counterFn.(closure).n", counter)
	for i, l := range jobLs {
		rec.Via("main.jobs", fmt.Sprintf("main.jobs<-[%d]", i), l)
	}
	for i, l := range regLs {
		rec.Via("main.registry", fmt.Sprintf("main.registry[%q]", heapString("reg", i)), l)
	}
	rec.Fact("list_len", listLen)
	rec.Fact("tree_nodes", 1<<treeDepth-1)
	rec.Fact("ring_len", ringLen)
	rec.Fact("large_map_len", largeLen)
	rec.Fact("set_map_len", setLen)
	rec.Fact("jobs_queued", jobsQueue)
	rec.Fact("registry_len", registryN)
	if err := rec.Walk(); err != nil {
		return err
	}
	return rec.WriteFile(path)
}

func run(dumpPath, truthPath string) error {
	debug.SetGCPercent(-1) // no GC while building: the dump shows what we built
	// Sample every allocation, so the dump always has memory-profile buckets (tag 16) and
	// alloc samples (tag 17) instead of depending on the 512 KiB random sampling.
	runtime.MemProfileRate = 1
	buildOuters()
	buildLinked()
	buildMaps()
	buildInterfaces()
	buildGenerics()
	counter := buildClosures()
	jobLs := buildChannel()
	regLs := buildRegistry()
	buildSizes()
	gs := startGoroutines()
	runtime.MemProfileRate = 0 // the truth walk's allocations are not part of the picture
	runtime.GC()
	if err := recordTruth(truthPath, counter, jobLs, regLs, gs); err != nil {
		return err
	}
	runtime.GC() // drop what the truth walk allocated
	if err := truth.WriteHeapDump(dumpPath); err != nil {
		return err
	}
	return truth.FinishFile(truthPath, nil)
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: shapes <out.dump> <out.truth.json>")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "shapes:", err)
		os.Exit(1)
	}
}
