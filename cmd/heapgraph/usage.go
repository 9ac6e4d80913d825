package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
)

func (e *env) printUsage(w io.Writer) {
	fmt.Fprint(w, `heapgraph answers "why is this object still alive?" from a Go heap dump
(runtime/debug.WriteHeapDump) and the executable of the program that wrote it.

Usage:
  heapgraph [--exe PROGRAM] COMMAND [flags] DUMP [PROGRAM]

PROGRAM, the executable that wrote the dump, is optional: it gives objects
their Go types, pointers their field names and globals their names.

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run "heapgraph COMMAND --help" for a command's flags.
Exit status: 0 on success, 1 on bad input or a failed run, 2 on a bad command line.
`)
}

func (e *env) printCommandUsage(w io.Writer, c *command, fs *pflag.FlagSet) {
	// pflag marks boolean flags "--values[=true|false]"; a plain
	// "--values" reads better, and blanks keep the columns aligned.
	flags := strings.ReplaceAll(fs.FlagUsages(), "[=true|false]", "             ")
	fmt.Fprintf(w, "Usage:\n  heapgraph %s [flags] %s\n\n%s\n\nFlags:\n%s", c.name, c.args, strings.TrimSpace(c.about), flags)
}
