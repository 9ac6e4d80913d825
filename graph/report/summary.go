package report

import (
	"fmt"
	"io"

	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/graph/render/label"
	"github.com/heapgraph/heapgraph/heapdump"
)

// Summary is the JSON form of `summary`: what the dump holds.
type Summary struct {
	File       string `json:"file"`
	FileSize   int64  `json:"file_size"`
	Executable string `json:"executable,omitempty"`
	GoVersion  string `json:"go_version"`
	GOARCH     string `json:"goarch"`
	PtrSize    int    `json:"ptr_size"`

	Objects          int    `json:"objects"`
	Bytes            uint64 `json:"bytes"`
	ReachableObjects int    `json:"reachable_objects"`
	ReachableBytes   uint64 `json:"reachable_bytes"`
	GarbageObjects   int    `json:"garbage_objects"`
	GarbageBytes     uint64 `json:"garbage_bytes"`
	// TypedObjects counts objects whose type is known.
	TypedObjects int `json:"typed_objects"`
	// SkippedSlots counts dumped slots that are not allocations (span
	// tails the runtime writes as objects).
	SkippedSlots int `json:"skipped_slots"`

	Pointers int `json:"pointers"`
	// DanglingPointers counts non-nil pointer slots that point into no
	// object (freed memory, non-heap memory).
	DanglingPointers int `json:"dangling_pointers"`

	// Roots counts roots by kind ("global", "stack", ...).
	Roots      map[string]int `json:"roots"`
	Goroutines int            `json:"goroutines"`
	Finalizers int            `json:"finalizers"`

	// HeapAlloc and HeapObjects are the runtime's own figures at dump
	// time (runtime.MemStats), 0 when the dump has none.
	HeapAlloc   uint64 `json:"heap_alloc"`
	HeapObjects uint64 `json:"heap_objects"`

	// SampledObjects counts objects whose allocation site the memory
	// profile records; set by the caller.
	SampledObjects int `json:"sampled_objects"`

	// TopTypes are the types with the most bytes, largest first, as `top`
	// writes them; set by the caller (empty when not computed).
	TopTypes []TopRow `json:"top_types"`
}

// SummaryOf computes the summary of a dump and its graph. exe is the
// executable used for types ("" when none).
func SummaryOf(d *heapdump.Dump, g *graph.Graph, exe string) Summary {
	s := Summary{
		File: d.Path, FileSize: d.Size, Executable: exe,
		GoVersion: d.Params.GoVersion, GOARCH: d.Params.GOARCH, PtrSize: d.Params.PtrSize,
		Objects:          g.NumNodes(),
		SkippedSlots:     d.Dropped,
		Pointers:         g.NumEdges(),
		DanglingPointers: g.DroppedPointers(),
		Roots:            map[string]int{},
		Goroutines:       len(d.Goroutines),
		Finalizers:       len(d.Finalizers),
		TopTypes:         []TopRow{},
	}
	for n := range g.NumNodes() {
		id := graph.NodeID(n)
		size := g.Size(id)
		s.Bytes += size
		if g.IsReachable(id) {
			s.ReachableObjects++
			s.ReachableBytes += size
		} else {
			s.GarbageObjects++
			s.GarbageBytes += size
		}
		if g.TypeID(id) != 0 {
			s.TypedObjects++
		}
	}
	for _, r := range g.Roots() {
		s.Roots[r.Kind.String()]++
	}
	if ms := d.MemStats; ms != nil {
		s.HeapAlloc, s.HeapObjects = ms.HeapAlloc, ms.HeapObjects
	}
	return s
}

// WriteSummaryJSON writes s as JSON.
func WriteSummaryJSON(w io.Writer, s Summary) error { return writeJSON(w, s) }

// WriteSummaryText writes s as labelled lines.
func WriteSummaryText(w io.Writer, s Summary) error {
	t := &table{header: []string{"dump", fmt.Sprintf("%s (%s)", s.File, label.Bytes(uint64(s.FileSize)))}}
	types := fmt.Sprintf("known for %d of %d objects (%s)", s.TypedObjects, s.Objects, percent(s.TypedObjects, s.Objects))
	if s.Executable != "" {
		t.add("executable", s.Executable)
	} else {
		types += ": only what the dump records (runtime structures, values in interfaces, finalized objects); --exe PROGRAM gives types and field names"
	}
	t.add("go", fmt.Sprintf("%s %s, %d-byte pointers", s.GoVersion, s.GOARCH, s.PtrSize))
	t.add("objects", fmt.Sprintf("%d, %s", s.Objects, label.Bytes(s.Bytes)))
	t.add("reachable", fmt.Sprintf("%d, %s", s.ReachableObjects, label.Bytes(s.ReachableBytes)))
	t.add("garbage", fmt.Sprintf("%d, %s (not yet collected)", s.GarbageObjects, label.Bytes(s.GarbageBytes)))
	t.add("types", types)
	if s.SampledObjects > 0 {
		t.add("sampled", fmt.Sprintf("%d objects with their allocation site (memory profile)", s.SampledObjects))
	}
	t.add("pointers", fmt.Sprintf("%d between objects, %d to outside the heap or to freed memory", s.Pointers, s.DanglingPointers))
	t.add("roots", rootCounts(s.Roots))
	t.add("goroutines", fmt.Sprint(s.Goroutines))
	t.add("finalizers", fmt.Sprint(s.Finalizers))
	if s.HeapObjects > 0 {
		t.add("runtime", fmt.Sprintf("HeapAlloc %s, HeapObjects %d (MemStats at dump time)", label.Bytes(s.HeapAlloc), s.HeapObjects))
	}
	if err := t.write(w); err != nil {
		return err
	}
	if len(s.TopTypes) == 0 {
		return nil
	}
	if _, err := fmt.Fprintf(w, "\ntop %s by bytes:\n", plural(len(s.TopTypes), "type")); err != nil {
		return err
	}
	return WriteTopText(w, s.TopTypes, 0)
}

// rootCounts lists root counts in a fixed order of kinds.
func rootCounts(m map[string]int) string {
	out := ""
	for _, kind := range []string{"global", "stack", "finalizer", "defer", "panic", "other"} {
		if m[kind] == 0 {
			continue
		}
		if out != "" {
			out += ", "
		}
		out += fmt.Sprintf("%d %s", m[kind], kind)
	}
	if out == "" {
		return "none"
	}
	return out
}

func percent(a, b int) string {
	if b == 0 {
		return "0%"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
}
