package main

import (
	"context"
	"io"

	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/graph/report"
	"github.com/spf13/pflag"
)

type summaryOptions struct {
	format     string
	noRetained bool
}

// summaryTopTypes is how many of the largest types summary lists.
const summaryTopTypes = 5

func summaryCommand() *command {
	return &command{
		name:    "summary",
		args:    "DUMP [PROGRAM]",
		summary: "what the dump holds: objects, reachable and garbage bytes, roots",
		about: `Prints the size of the heap, how much of it the GC roots reach, how many
roots of each kind there are, how many objects have a known type, and the
5 types with the most bytes (with the bytes they retain, as top shows them).`,
		minArgs: 1, maxArgs: 2,
		setFlags: func(fs *pflag.FlagSet) any {
			o := &summaryOptions{}
			fs.BoolVar(&o.noRetained, "no-retained", false, "do not compute retained bytes of the top types (faster on huge heaps)")
			fs.StringVar(&o.format, "format", "text", "output `FORMAT`: text or json")
			return o
		},
		run: func(_ context.Context, e *env, opts any, pos []string) error {
			o := opts.(*summaryOptions)
			if err := checkChoice("format", o.format, "text", "json"); err != nil {
				return err
			}
			h, err := e.open(pos)
			if err != nil {
				return err
			}
			defer h.Close()
			s := report.SummaryOf(h.dump, h.g, h.exe)
			// Walk the samples, not the objects: a dump at the default
			// profile rate has far fewer of them.
			sites := newAllocSites(h.dump)
			for _, a := range h.dump.AllocSamples {
				if j := h.dump.Find(a.Addr); j >= 0 && h.dump.Addr(j) == a.Addr && sites.AllocSite(j) != "" {
					s.SampledObjects++
				}
			}
			rows := h.g.Histogram(&graph.HistogramOptions{Retained: !o.noRetained, SortBy: "bytes"})
			s.TopTypes = report.Top(rows[:min(len(rows), summaryTopTypes)], !o.noRetained)
			return e.writeOutput("", func(w io.Writer) error {
				if o.format == "json" {
					return report.WriteSummaryJSON(w, s)
				}
				return report.WriteSummaryText(w, s)
			})
		},
	}
}
