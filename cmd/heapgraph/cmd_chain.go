package main

import (
	"context"
	"fmt"
	"io"

	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/graph/render"
	"github.com/heapgraph/heapgraph/graph/report"
	"github.com/spf13/pflag"
)

type chainOptions struct {
	target
	limit    int
	format   string
	out      string
	maxDepth int
	ignore   string
}

func chainCommand() *command {
	return &command{
		name:    "chain",
		args:    "(--type RE | --addr ADDR) DUMP [PROGRAM]",
		summary: "shortest path from a GC root to each object: why it is alive",
		about: `Prints, for each target, a shortest chain of pointers from a GC root (a
global variable, a goroutine's stack frame, a finalizer) to it, naming the
field that holds each pointer (like objgraph's find_backref_chain).
Targets no root reaches are reported as garbage.`,
		minArgs: 1, maxArgs: 2,
		setFlags: func(fs *pflag.FlagSet) any {
			o := &chainOptions{}
			fs.StringVar(&o.typ, "type", "", "targets: objects whose Go type name matches the regular expression `RE`")
			fs.StringVar(&o.addr, "addr", "", "target: the object containing address `ADDR` (hex)")
			fs.IntVar(&o.limit, "limit", 10, "at most `N` targets, reachable ones first (0: all)")
			fs.StringVar(&o.format, "format", "", "`FORMAT`: text, json, svg, png or dot (default: from the extension of -o, else text)")
			fs.StringVarP(&o.out, "output", "o", "", "write to `FILE` instead of stdout")
			fs.IntVar(&o.maxDepth, "max-depth", 0, "ignore chains longer than `N` hops (0: no bound)")
			fs.StringVar(&o.ignore, "ignore", "", "avoid objects whose type name matches `RE`")
			return o
		},
		run: func(ctx context.Context, e *env, opts any, pos []string) error {
			return runChain(ctx, e, opts.(*chainOptions), pos)
		},
	}
}

func runChain(ctx context.Context, e *env, o *chainOptions, pos []string) error {
	if err := o.check("chain"); err != nil {
		return err
	}
	format, err := textOrImageFormat(o.format, o.out)
	if err != nil {
		return err
	}
	if o.limit < 0 || o.maxDepth < 0 {
		return usagef("chain: --limit and --max-depth must be 0 or more")
	}
	ignore, err := compileTypeRE("ignore", o.ignore)
	if err != nil {
		return err
	}
	h, err := e.open(pos)
	if err != nil {
		return err
	}
	defer h.Close()

	all, err := o.nodes(h)
	if err != nil {
		return err
	}
	targets := all
	if o.limit > 0 {
		targets = h.pickTargets(all, o.limit)
	}
	chains := h.g.Chains(targets, &graph.ChainOptions{
		MaxDepth: o.maxDepth,
		Ignore:   h.typeMatcher(ignore),
	})
	switch format {
	case "text", "json":
		js := report.Chains(h.g, newAllocSites(h.dump), chains)
		return e.writeOutput(o.out, func(w io.Writer) error {
			if format == "json" {
				return report.WriteChainsJSON(w, js)
			}
			if err := report.WriteChainsText(w, js); err != nil {
				return err
			}
			if len(targets) < len(all) {
				_, err := fmt.Fprintf(w, "\n%d of %d objects shown (--limit 0 shows all)\n", len(targets), len(all))
				return err
			}
			return nil
		})
	default:
		img := report.ChainsImage(h.g, h.dump, chains, report.ImageOptions{
			Caption: caption("retention chains of", o.target, len(targets), len(all)),
		})
		return e.writeImage(ctx, o.out, img, render.Format(format))
	}
}
