package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/graph/report"
	"github.com/spf13/pflag"
)

type growthOptions struct {
	limit          int
	sort           string
	format         string
	all            bool
	live           bool
	oldExe, newExe string
}

func growthCommand() *command {
	return &command{
		name:    "growth",
		args:    "OLD.dump NEW.dump [PROGRAM]",
		summary: "what grew between two dumps: count and bytes per type",
		about: `Compares the histograms of two dumps, typically of the same program
taken some time apart while a leak runs (like objgraph's show_growth or
Eclipse MAT's histogram comparison), and prints the types that grew, most
first. Types are matched by name, never by address (addresses differ from
run to run); objects of unknown type are matched by size class. PROGRAM
(or --exe) types both dumps; --old-exe and --new-exe give each its own.

Only reachable objects are counted by default: garbage the GC has not yet
swept comes and goes with GC timing and is not growth (objgraph's
show_growth collects first, too). --reachable=false counts it.`,
		minArgs: 2, maxArgs: 3,
		exeUsage: "executable `PROGRAM` that wrote both dumps: gives types (or give it after NEW.dump)",
		setFlags: func(fs *pflag.FlagSet) any {
			o := &growthOptions{}
			fs.IntVar(&o.limit, "limit", 20, "show at most `N` types (0: all)")
			fs.StringVar(&o.sort, "sort", "bytes", "sort by the delta of `ORDER`: bytes, count or retained (retained computes dominators)")
			fs.BoolVar(&o.all, "all", false, "also show types that did not grow (or shrank)")
			fs.BoolVar(&o.live, "reachable", true, "count only objects reachable from GC roots (--reachable=false: garbage too)")
			fs.StringVar(&o.format, "format", "text", "output `FORMAT`: text or json")
			fs.StringVar(&o.oldExe, "old-exe", "", "executable `PROGRAM` that wrote OLD.dump (default: --exe)")
			fs.StringVar(&o.newExe, "new-exe", "", "executable `PROGRAM` that wrote NEW.dump (default: --exe)")
			return o
		},
		run: func(_ context.Context, e *env, opts any, pos []string) error {
			o := opts.(*growthOptions)
			if err := checkChoice("sort", o.sort, "bytes", "count", "retained"); err != nil {
				return err
			}
			if err := checkChoice("format", o.format, "text", "json"); err != nil {
				return err
			}
			if o.limit < 0 {
				return usagef("--limit %d: want 0 (all) or more", o.limit)
			}
			if len(pos) == 3 {
				if e.exe != "" && e.exe != pos[2] {
					return usagef("two executables given: --exe %s and %s", e.exe, pos[2])
				}
				e.exe = pos[2]
			}
			hopts := &graph.HistogramOptions{Reachable: o.live, Retained: o.sort == "retained"}
			exe := e.exe
			oldRows, oldDump, err := e.histogramOf(pos[0], or(o.oldExe, exe), hopts)
			if err != nil {
				return err
			}
			newRows, newDump, err := e.histogramOf(pos[1], or(o.newExe, exe), hopts)
			if err != nil {
				return err
			}
			rows := graph.Growth(oldRows, newRows, &graph.GrowthOptions{All: o.all, SortBy: o.sort})
			omitted := 0
			if o.limit > 0 && len(rows) > o.limit {
				omitted = len(rows) - o.limit
				rows = rows[:o.limit]
			}
			g := report.Growth{Reachable: o.live, Old: oldDump, New: newDump, Rows: report.GrowthRows(rows, hopts.Retained)}
			return e.writeOutput("", func(w io.Writer) error {
				if o.format == "json" {
					return report.WriteGrowthJSON(w, g)
				}
				return report.WriteGrowthText(w, g, omitted, o.all)
			})
		},
	}
}

// histogramOf loads one dump with its executable (exe "" for none), takes
// its histogram and closes it again, so that only one of the two dumps is
// in memory at a time.
func (e *env) histogramOf(path, exe string, opts *graph.HistogramOptions) ([]graph.HistogramRow, report.GrowthDump, error) {
	e.exe = exe
	h, err := e.load(path)
	if err != nil {
		// Say which of the two dumps an error about the executable is about.
		if !strings.Contains(err.Error(), path) {
			err = fmt.Errorf("%s: %w", path, err)
		}
		return nil, report.GrowthDump{}, err
	}
	defer h.Close()
	rows := h.g.Histogram(opts)
	return rows, report.GrowthDumpOf(path, exe, rows), nil
}

// or returns a, or b when a is empty.
func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
