package main

import (
	"context"
	"io"

	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/graph/report"
	"github.com/spf13/pflag"
)

type objectOptions struct {
	format    string
	maxString int
}

func objectCommand() *command {
	return &command{
		name:    "object",
		args:    "ADDR DUMP [PROGRAM]",
		summary: "one object: type, size, fields and values, referrers, chain to a root",
		about: `Describes the object containing ADDR (interior addresses are fine): its
type and size, where it was allocated (when the dump's memory profile
sampled it), whether a root reaches it and how much it retains, its fields
with their values (raw words when the type is not known), the roots and
objects that point at it, what it points to, and a shortest chain from a
GC root to it. Values are heap memory: mind what you paste.`,
		minArgs: 2, maxArgs: 3,
		setFlags: func(fs *pflag.FlagSet) any {
			o := &objectOptions{}
			fs.IntVar(&o.maxString, "max-string", 64, "show at most `N` bytes of each string")
			fs.StringVar(&o.format, "format", "text", "output `FORMAT`: text or json")
			return o
		},
		run: func(_ context.Context, e *env, opts any, pos []string) error {
			o := opts.(*objectOptions)
			if err := checkChoice("format", o.format, "text", "json"); err != nil {
				return err
			}
			if o.maxString < 0 {
				return usagef("--max-string %d: want 0 or more", o.maxString)
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
			h, err := e.open(rest)
			if err != nil {
				return err
			}
			defer h.Close()
			n, err := h.objectAt(addr)
			if err != nil {
				return err
			}
			sites := newAllocSites(h.dump)
			d := report.ObjectDetailOf(h.g, sites, n, h.g.Dominators())
			d.TypeEvidence = h.typeEvidence(n)
			d.AllocSite = sites.AllocSite(int(n))
			d.Fields, d.MoreFields = h.fields(n, o.maxString)
			if chains := report.Chains(h.g, sites, h.g.Chains([]graph.NodeID{n}, nil)); len(chains) == 1 {
				d.Chain = &chains[0]
			}
			return e.writeOutput("", func(w io.Writer) error {
				if o.format == "json" {
					return report.WriteObjectJSON(w, d)
				}
				return report.WriteObjectText(w, d)
			})
		},
	}
}

// typeEvidence says why object n has its type, or why it has none: the
// allocation site, when the memory profile knows it, is shown on a line
// of its own.
func (h *heap) typeEvidence(n graph.NodeID) string {
	if h.g.TypeName(n) != "" {
		return h.types.Explain(int(n))
	}
	if h.exe == "" {
		return "unknown: the dump records few types; --exe PROGRAM gives them"
	}
	return "unknown: no typed pointer, root or malloc header reaches it"
}
