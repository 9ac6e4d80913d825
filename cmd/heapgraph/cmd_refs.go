package main

import (
	"context"
	"io"

	"github.com/heapgraph/heapgraph/graph/report"
	"github.com/spf13/pflag"
)

type refsOptions struct {
	addr   string
	format string
}

func refsCommand() *command {
	return &command{
		name:    "refs",
		args:    "--addr ADDR DUMP [PROGRAM]",
		summary: "what one object points to, field by field",
		about: `Lists the pointers held by the object at ADDR: the field holding each and
the object it points to (like objgraph's show_refs, one level).`,
		minArgs: 1, maxArgs: 2,
		setFlags: func(fs *pflag.FlagSet) any {
			o := &refsOptions{}
			fs.StringVar(&o.addr, "addr", "", "the object containing address `ADDR` (hex); required")
			fs.StringVar(&o.format, "format", "text", "output `FORMAT`: text or json")
			return o
		},
		run: func(_ context.Context, e *env, opts any, pos []string) error {
			o := opts.(*refsOptions)
			if o.addr == "" {
				return usagef("refs: --addr is required")
			}
			if err := checkChoice("format", o.format, "text", "json"); err != nil {
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
			refs := report.RefsOf(h.g, h.dump, n)
			return e.writeOutput("", func(w io.Writer) error {
				if o.format == "json" {
					return report.WriteRefsJSON(w, refs)
				}
				return report.WriteRefsText(w, refs)
			})
		},
	}
}
