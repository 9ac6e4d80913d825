package main

import (
	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/graph/typing"
	"github.com/heapgraph/heapgraph/heapdump"
	"github.com/heapgraph/heapgraph/heapdump/gobinary"
)

// openProgram reads the executable and checks that it is the program that
// wrote the dump (same Go version, data and bss where the dump has them;
// a PIE is relocated to where it ran).
func openProgram(path string, d *heapdump.Dump) (*gobinary.Binary, error) {
	bin, err := gobinary.Open(path)
	if err != nil {
		return nil, err
	}
	if err := bin.MatchDump(d.Params.GoVersion, d.Data.Addr, d.Data.Size, d.BSS.Addr, d.BSS.Size); err != nil {
		return nil, err
	}
	return bin, nil
}

// symbolizer names global variables for the graph's roots; nil without an
// executable.
func symbolizer(bin *gobinary.Binary) graph.Symbolizer {
	if bin == nil {
		return nil
	}
	return typing.Symbolizer{B: bin}
}

// applyTypes types the objects and names the slots of g. Without an
// executable (bin nil) only what the dump itself records is used: the
// types of values held in interfaces and of finalized objects.
func applyTypes(d *heapdump.Dump, bin *gobinary.Binary, g *graph.Graph) (*typing.Types, error) {
	types, err := typing.New(d, bin)
	if err != nil {
		return nil, err
	}
	if err := types.Apply(g); err != nil {
		return nil, err
	}
	return types, nil
}
