package main

import (
	"path/filepath"

	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/graph/typing"
	"github.com/heapgraph/heapgraph/heapdump"
	"github.com/heapgraph/heapgraph/heapdump/gobinary"
)

// heap is an opened dump, its graph and the types of its objects.
type heap struct {
	dump  *heapdump.Dump
	g     *graph.Graph
	types *typing.Types
	bin   *gobinary.Binary // nil when no executable was given
	exe   string           // "" when no executable was given
}

// load opens the dump, checks the executable against it, builds the graph
// and types it. The caller closes the heap.
func (e *env) load(dumpPath string) (*heap, error) {
	var opts heapdump.Options
	bar := e.progressBar("reading " + filepath.Base(dumpPath))
	if bar != nil {
		opts.Progress = bar.update
	}
	d, err := heapdump.Open(dumpPath, &opts)
	bar.done()
	if err != nil {
		return nil, openDumpError(dumpPath, err)
	}
	h, err := e.build(d)
	if err != nil {
		d.Close()
		return nil, err
	}
	return h, nil
}

// build makes the graph of an opened dump and types it.
func (e *env) build(d *heapdump.Dump) (*heap, error) {
	h := &heap{dump: d, exe: e.exe}
	var bin *gobinary.Binary
	if e.exe != "" {
		status := e.progressBar("reading " + filepath.Base(e.exe))
		status.show()
		var err error
		bin, err = openProgram(e.exe, d)
		status.done()
		if err != nil {
			return nil, err
		}
	}

	status := e.progressBar("building the pointer graph")
	status.show()
	g, err := graph.FromDump(d, &graph.DumpOptions{Symbolizer: symbolizer(bin)})
	status.done()
	if err != nil {
		return nil, stepError(d.Path+": building the pointer graph", err)
	}
	h.g = g
	h.bin = bin

	status = e.progressBar("typing objects")
	status.show()
	h.types, err = applyTypes(d, bin, g)
	status.done()
	if err != nil {
		return nil, stepError(d.Path+": typing objects", err)
	}
	return h, nil
}

func (h *heap) Close() error { return h.dump.Close() }

// open takes the positional DUMP [PROGRAM] of a command and loads the
// dump with its executable. The caller closes the heap.
func (e *env) open(pos []string) (*heap, error) {
	path, err := e.dumpAndProgram(pos)
	if err != nil {
		return nil, err
	}
	return e.load(path)
}
