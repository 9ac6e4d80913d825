package main

import (
	"context"
	"io"

	"github.com/heapgraph/heapgraph/graph/report"
	"github.com/spf13/pflag"
)

type objectOptions struct{ format string }

func objectCommand() *command {
	return &command{
		name:    "object",
		args:    "ADDR DUMP [PROGRAM]",
		summary: "one object: type, size, retained size, roots, referrers, pointers",
		about: `Describes the object containing ADDR (interior addresses are fine): its
type and size, whether a root reaches it and how much it retains, the roots
and objects that point at it, and what it points to.`,
		minArgs: 2, maxArgs: 3,
		setFlags: func(fs *pflag.FlagSet) any {
			o := &objectOptions{}
			fs.StringVar(&o.format, "format", "text", "output `FORMAT`: text or json")
			return o
		},
		run: func(_ context.Context, e *env, opts any, pos []string) error {
			o := opts.(*objectOptions)
			if err := checkChoice("format", o.format, "text", "json"); err != nil {
				return err
			}
			// ADDR may come before or after DUMP: it is the argument that
			// starts with 0x.
			addr, rest := "", []string{}
			for _, p := range pos {
				if addr == "" && looksLikeAddr(p) {
					addr = p
				} else {
					rest = append(rest, p)
				}
			}
			if addr == "" {
				return usagef("object: no ADDR (hex, like 0xc000012345) given")
			}
			path, err := e.dumpAndProgram(rest)
			if err != nil {
				return err
			}
			h, err := e.load(path)
			if err != nil {
				return err
			}
			defer h.Close()
			n, err := h.objectAt(addr)
			if err != nil {
				return err
			}
			d := report.ObjectDetailOf(h.g, h.dump, n, h.g.Dominators())
			d.TypeEvidence = h.types.Explain(int(n))
			return e.writeOutput("", func(w io.Writer) error {
				if o.format == "json" {
					return report.WriteObjectJSON(w, d)
				}
				return report.WriteObjectText(w, d)
			})
		},
	}
}
