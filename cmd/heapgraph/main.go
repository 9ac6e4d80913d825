// Command heapgraph answers "why is this object still alive?" from a Go heap
// dump (runtime/debug.WriteHeapDump) and, optionally, the executable of the
// program that wrote it: retention chains from GC roots, objgraph-style
// back-reference images, per-type histograms, and text or JSON views of
// single objects.
//
// Run "heapgraph --help" for the commands; README.md has examples and the
// JSON formats.
package main

import (
	"context"
	"os"
)

func main() {
	e := &env{
		stdout:   os.Stdout,
		stderr:   os.Stderr,
		terminal: isTerminal(os.Stderr),
	}
	os.Exit(e.run(context.Background(), os.Args[1:]))
}

// isTerminal reports whether f is a character device (a terminal), where
// a progress bar may be drawn.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
