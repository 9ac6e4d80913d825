package main

import (
	"context"
	"io"

	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/graph/render"
	"github.com/heapgraph/heapgraph/graph/report"
	"github.com/spf13/pflag"
)

type refsOptions struct {
	addr   string
	format string
	out    string
	pictureOptions
}

func refsCommand() *command {
	return &command{
		name:    "refs",
		args:    "--addr ADDR DUMP [PROGRAM]",
		summary: "what one object points to, field by field, or an objgraph-style image of it",
		about: `Lists the pointers held by the object at ADDR: the field holding each and
the object it points to (one level).

With an image format (-o FILE.svg|.png|.dot or --format svg|png|dot) it draws,
like objgraph's show_refs, the object and what it points to breadth-first up
to --max-depth hops: the object in red on top, boxes shaded darker the further
they are from it, edges labelled with the field holding the pointer. Nodes
pointing to more than --too-many objects show the rest as a red "N more
references" box. The image never shows memory contents unless --values is
given.`,
		minArgs: 1, maxArgs: 2,
		setFlags: func(fs *pflag.FlagSet) any {
			o := &refsOptions{}
			fs.StringVar(&o.addr, "addr", "", "the object containing address `ADDR` (hex); required")
			fs.StringVar(&o.format, "format", "", "output `FORMAT`: text, json, svg, png or dot (default: from the extension of -o, else text)")
			fs.StringVarP(&o.out, "output", "o", "", "write to `FILE` instead of stdout")
			o.addWalkFlags(fs, 3, "image: ", "the object", "references")
			o.addLookFlags(fs, "image: ")
			return o
		},
		run: func(ctx context.Context, e *env, opts any, pos []string) error {
			return runRefs(ctx, e, opts.(*refsOptions), pos)
		},
	}
}

func runRefs(ctx context.Context, e *env, o *refsOptions, pos []string) error {
	if o.addr == "" {
		return usagef("refs: --addr is required")
	}
	format, err := textOrImageFormat(o.format, o.out)
	if err != nil {
		return err
	}
	if o.maxDepth < 1 || o.tooMany < 1 {
		return usagef("refs: --max-depth and --too-many must be at least 1")
	}
	ignore, highlight, err := o.patterns()
	if err != nil {
		return err
	}
	h, err := e.open(pos)
	if err != nil {
		return err
	}
	defer h.Close()
	n, err := h.objectAt(o.addr)
	if err != nil {
		return err
	}
	switch format {
	case "text", "json":
		refs := report.RefsOf(h.g, h.dump, n)
		return e.writeOutput(o.out, func(w io.Writer) error {
			if format == "json" {
				return report.WriteRefsJSON(w, refs)
			}
			return report.WriteRefsText(w, refs)
		})
	default:
		r := h.g.Refs([]graph.NodeID{n}, &graph.RefOptions{
			MaxDepth: o.maxDepth,
			TooMany:  o.tooMany,
			Ignore:   h.typeMatcher(ignore),
		})
		imgOpts := o.imageOptions(h, h.g.Dominators(), highlight, caption("references of", target{addr: o.addr}, 1, 1))
		return e.writeImage(ctx, o.out, report.RefsImage(h.g, h.dump, r, imgOpts), render.Format(format))
	}
}
