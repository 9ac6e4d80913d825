package main

import (
	"context"
	"io"

	"github.com/heapgraph/heapgraph/graph/report"
	"github.com/spf13/pflag"
)

type summaryOptions struct{ format string }

func summaryCommand() *command {
	return &command{
		name:    "summary",
		args:    "DUMP [PROGRAM]",
		summary: "what the dump holds: objects, reachable and garbage bytes, roots",
		about: `Prints the size of the heap, how much of it the GC roots reach, how many
roots of each kind there are, and how many objects have a known type.`,
		minArgs: 1, maxArgs: 2,
		setFlags: func(fs *pflag.FlagSet) any {
			o := &summaryOptions{}
			fs.StringVar(&o.format, "format", "text", "output `FORMAT`: text or json")
			return o
		},
		run: func(_ context.Context, e *env, opts any, pos []string) error {
			o := opts.(*summaryOptions)
			if err := checkChoice("format", o.format, "text", "json"); err != nil {
				return err
			}
			path, err := e.dumpAndProgram(pos)
			if err != nil {
				return err
			}
			h, err := e.load(path)
			if err != nil {
				return err
			}
			defer h.Close()
			s := report.SummaryOf(h.dump, h.g, h.exe)
			return e.writeOutput("", func(w io.Writer) error {
				if o.format == "json" {
					return report.WriteSummaryJSON(w, s)
				}
				return report.WriteSummaryText(w, s)
			})
		},
	}
}
