package main

import (
	"context"
	"fmt"
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
	// noRetained skips the dominator tree: retained sizes cost about a
	// second per ten million objects and memory in proportion.
	noRetained bool
}

func topCommand() *command {
	return &command{
		name:    "top",
		args:    "DUMP [PROGRAM]",
		summary: "objects per type: count, bytes, retained bytes",
		about: `Prints a histogram of the heap by type, largest first (like objgraph's
show_most_common_types), with the bytes each type retains: what would be
freed if no object of the type were held (from the dominator tree;
--no-retained skips it). Objects of unknown type are grouped by size class.`,
		minArgs: 1, maxArgs: 2,
		setFlags: func(fs *pflag.FlagSet) any {
			o := &topOptions{}
			fs.IntVar(&o.limit, "limit", 20, "show at most `N` types (0: all)")
			fs.StringVar(&o.sort, "sort", "bytes", "`ORDER`: bytes, count or retained")
			fs.BoolVar(&o.live, "reachable", false, "count only objects reachable from GC roots")
			fs.BoolVar(&o.noRetained, "no-retained", false, "do not compute retained bytes (faster on huge heaps)")
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
			if o.noRetained && o.sort == "retained" {
				return usagef("top: --sort retained needs retained bytes: drop --no-retained")
			}
			if o.limit < 0 {
				return usagef("--limit %d: want 0 (all) or more", o.limit)
			}
			h, err := e.open(pos)
			if err != nil {
				return err
			}
			defer h.Close()
			withRetained := !o.noRetained
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
				if err := report.WriteTopText(w, top, omitted); err != nil {
					return err
				}
				if h.exe == "" {
					_, err := fmt.Fprintln(w, "types: only what the dump records; objects of unknown type are grouped by size (--exe PROGRAM gives types)")
					return err
				}
				return nil
			})
		},
	}
}
