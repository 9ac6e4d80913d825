package main

import (
	"context"
	"io"

	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/graph/report"
	"github.com/spf13/pflag"
)

type objectsOptions struct {
	typ       string
	format    string
	reachable bool
	garbage   bool
	explain   bool
}

func objectsCommand() *command {
	return &command{
		name:    "objects",
		args:    "DUMP [PROGRAM]",
		summary: "list objects (address, size, type, reachable), optionally of one type",
		about: `Lists heap objects in address order, one per line (like objgraph's by_type).
--format jsonl writes one JSON object per line for other tools.`,
		minArgs: 1, maxArgs: 2,
		setFlags: func(fs *pflag.FlagSet) any {
			o := &objectsOptions{}
			fs.StringVar(&o.typ, "type", "", "only objects whose Go type name matches `RE`")
			fs.BoolVar(&o.reachable, "reachable", false, "only objects reachable from GC roots")
			fs.BoolVar(&o.garbage, "garbage", false, "only objects no GC root reaches")
			fs.StringVar(&o.format, "format", "text", "output `FORMAT`: text or jsonl")
			fs.BoolVar(&o.explain, "explain", false, "say why each object has its type (or none): malloc header, root, or the pointer it was reached by")
			return o
		},
		run: func(_ context.Context, e *env, opts any, pos []string) error {
			o := opts.(*objectsOptions)
			if err := checkChoice("format", o.format, "text", "jsonl"); err != nil {
				return err
			}
			if o.reachable && o.garbage {
				return usagef("objects: --reachable and --garbage exclude each other")
			}
			re, err := compileTypeRE("type", o.typ)
			if err != nil {
				return err
			}
			h, err := e.open(pos)
			if err != nil {
				return err
			}
			defer h.Close()
			var nodes []graph.NodeID
			if re != nil {
				if nodes = h.ofType(re); len(nodes) == 0 {
					return h.noTypeMatch(o.typ)
				}
			} else {
				nodes = make([]graph.NodeID, h.g.NumNodes())
				for i := range nodes {
					nodes[i] = graph.NodeID(i)
				}
			}
			if o.reachable || o.garbage {
				kept := nodes[:0]
				for _, n := range nodes {
					if h.g.IsReachable(n) == o.reachable {
						kept = append(kept, n)
					}
				}
				nodes = kept
			}
			return e.writeOutput("", func(w io.Writer) error {
				sites := newAllocSites(h.dump)
				var ropts report.ObjectsOptions
				if o.explain {
					ropts.Explain = h.typeEvidence
				}
				if o.format == "jsonl" {
					return report.WriteObjectsJSONL(w, h.g, sites, nodes, &ropts)
				}
				return report.WriteObjectsText(w, h.g, sites, nodes, &ropts)
			})
		},
	}
}
