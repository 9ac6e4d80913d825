package main

import (
	"context"
	"io"

	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/graph/report"
	"github.com/spf13/pflag"
)

type topOptions struct {
	limit  int
	sort   string
	format string
	live   bool
}

func topCommand() *command {
	return &command{
		name:    "top",
		args:    "DUMP [PROGRAM]",
		summary: "objects per type: count, bytes, retained bytes",
		about: `Prints a histogram of the heap by type, largest first (like objgraph's
show_most_common_types). Objects of unknown type are grouped by size class.`,
		minArgs: 1, maxArgs: 2,
		setFlags: func(fs *pflag.FlagSet) any {
			o := &topOptions{}
			fs.IntVar(&o.limit, "limit", 20, "show at most `N` types (0: all)")
			fs.StringVar(&o.sort, "sort", "bytes", "`ORDER`: bytes, count or retained (retained computes dominators)")
			fs.BoolVar(&o.live, "reachable", false, "count only objects reachable from GC roots")
			fs.StringVar(&o.format, "format", "text", "output `FORMAT`: text or json")
			return o
		},
		run: func(_ context.Context, e *env, opts any, pos []string) error {
			o := opts.(*topOptions)
			if err := checkChoice("sort", o.sort, "bytes", "count", "retained"); err != nil {
				return err
			}
			if err := checkChoice("format", o.format, "text", "json"); err != nil {
				return err
			}
			if o.limit < 0 {
				return usagef("--limit %d: want 0 (all) or more", o.limit)
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
			withRetained := o.sort == "retained"
			rows := h.g.Histogram(&graph.HistogramOptions{
				Reachable: o.live,
				Retained:  withRetained,
				SortBy:    o.sort,
			})
			omitted := 0
			if o.limit > 0 && len(rows) > o.limit {
				omitted = len(rows) - o.limit
				rows = rows[:o.limit]
			}
			top := report.Top(rows, withRetained)
			return e.writeOutput("", func(w io.Writer) error {
				if o.format == "json" {
					return report.WriteTopJSON(w, top)
				}
				return report.WriteTopText(w, top, omitted)
			})
		},
	}
}
