// Package truth records ground truth about a test program's own heap: it walks the
// program's named roots with reflect and writes every heap object it reaches, with the
// address a Go pointer to it holds, its Go type and the path it was first reached by.
// The test programs under testdata/programs call it just before runtime/debug.WriteHeapDump.
package truth

// Truth is the JSON document written next to each dump (<name>-go1.XX.truth.json).
// json.go writes it; the tags document the member names.
type Truth struct {
	Program    string            `json:"program"`
	GoVersion  string            `json:"go_version"`
	GOARCH     string            `json:"goarch"`
	GOOS       string            `json:"goos"`
	Globals    []Global          `json:"globals"`
	Goroutines []Goroutine       `json:"goroutines"`
	Objects    []Object          `json:"objects"`
	Garbage    []Object          `json:"garbage"`
	Finalizers []Object          `json:"finalizers"`
	Counts     map[string]int    `json:"counts"`
	Facts      map[string]string `json:"facts"` // values are JSON literals (see Recorder.Fact)
}

// Global is a package-level variable used as a named root.
type Global struct {
	Name    string `json:"name"`    // e.g. "main.configCache"
	Address string `json:"address"` // &global, hex
	Type    string `json:"type"`
	Size    uint64 `json:"size"`
	Segment string `json:"segment"` // "data" or "bss", as the program intends it; the checker verifies
}

// Goroutine is a goroutine the program started and parked, whose locals are named roots.
type Goroutine struct {
	Name   string   `json:"name"`   // root name is "goroutine:<name>"
	ID     int64    `json:"id"`     // goid, parsed from runtime.Stack
	Locals []string `json:"locals"` // addresses (hex) of the objects its frame holds
}

// Object is one heap object (or one object inside a heap slot, e.g. a tiny allocation).
type Object struct {
	Address string `json:"address"` // the value a Go pointer to it holds (after any malloc header)
	Type    string `json:"type"`    // named types: PkgPath+"."+Name; others: reflect String()
	Kind    string `json:"kind"`    // reflect kind of the value, or: array (slice backing), string data, map, chan, closure, boxed
	Size    uint64 `json:"size"`    // Type.Size(), cap*elemsize for backing arrays, len for string data, 0 if unknown (map, chan, closure)
	Root    string `json:"root"`    // "main.configCache" or "goroutine:<name>"
	Path    string `json:"path"`    // expression for the pointer slot that first reached it (breadth first)
}
