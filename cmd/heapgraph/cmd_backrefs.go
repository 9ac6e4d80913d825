package main

import (
	"context"
	"fmt"

	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/graph/render"
	"github.com/heapgraph/heapgraph/graph/report"
	"github.com/spf13/pflag"
)

type backrefsOptions struct {
	target
	out    string
	format string
	pictureOptions
	maxTargets int
	all        bool
}

func backrefsCommand() *command {
	return &command{
		name:    "backrefs",
		args:    "(--type RE | --addr ADDR) DUMP [PROGRAM]",
		summary: "objgraph-style image of what refers to some objects, up to the GC roots",
		about: `Draws the objects that refer to the targets, breadth-first up to --max-depth
hops, like objgraph's show_backrefs: targets in red at the bottom, GC roots in
green with their names, boxes shaded darker the further they are from the
targets, edges labelled with the field holding the pointer. Nodes with more
than --too-many referrers show the rest as a red "N more referrers" box.
Referrers that only the targets keep alive (a back pointer from an object the
target owns, a closure capturing it) cannot be why the targets are alive and
are left out unless --all-referrers is given.

The image never shows memory contents unless --values is given.`,
		minArgs: 1, maxArgs: 2,
		setFlags: func(fs *pflag.FlagSet) any {
			o := &backrefsOptions{}
			fs.StringVar(&o.typ, "type", "", "targets: objects whose Go type name matches the regular expression `RE` (e.g. 'main\\.BackendManager$')")
			fs.StringVar(&o.addr, "addr", "", "target: the object containing address `ADDR` (hex)")
			fs.StringVarP(&o.out, "output", "o", "", "write the image to `FILE`; .svg, .png or .dot picks the format (default: stdout)")
			fs.StringVar(&o.format, "format", "", "image `FORMAT`: svg, png or dot (default: from -o, else svg)")
			o.addWalkFlags(fs, 10, "", "the targets", "referrers")
			fs.IntVar(&o.maxTargets, "max-targets", 5, "draw at most `N` targets (reachable ones first)")
			o.addLookFlags(fs, "")
			fs.BoolVar(&o.all, "all-referrers", false, "also draw referrers that only the targets keep alive (back pointers, closures)")
			return o
		},
		run: func(ctx context.Context, e *env, opts any, pos []string) error {
			return runBackrefs(ctx, e, opts.(*backrefsOptions), pos)
		},
	}
}

func runBackrefs(ctx context.Context, e *env, o *backrefsOptions, pos []string) error {
	if err := o.check("backrefs"); err != nil {
		return err
	}
	format, err := imageFormat(o.format, o.out, render.SVG)
	if err != nil {
		return err
	}
	if o.maxDepth < 1 || o.tooMany < 1 || o.maxTargets < 1 {
		return usagef("backrefs: --max-depth, --too-many and --max-targets must be at least 1")
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

	all, err := o.nodes(h)
	if err != nil {
		return err
	}
	targets := h.pickTargets(all, o.maxTargets)
	dom := h.g.Dominators()
	bopts := &graph.BackrefOptions{
		MaxDepth: o.maxDepth,
		TooMany:  o.tooMany,
		Ignore:   h.typeMatcher(ignore),
	}
	if !o.all {
		dominated := keptAliveBy(dom, targets)
		bopts.Filter = func(n graph.NodeID) bool { return !dominated(n) }
	}
	b := h.g.Backrefs(targets, bopts)
	imgOpts := o.imageOptions(h, dom, highlight, caption("referrers of", o.target, len(targets), len(all)))
	return e.writeImage(ctx, o.out, report.BackrefsImage(h.g, h.dump, b, imgOpts), format)
}

// pickTargets keeps at most limit targets: reachable objects first (the
// ones something still holds), each group in address order.
func (h *heap) pickTargets(nodes []graph.NodeID, limit int) []graph.NodeID {
	if len(nodes) <= limit {
		return nodes
	}
	picked := make([]graph.NodeID, 0, limit)
	for _, reachable := range []bool{true, false} {
		for _, n := range nodes {
			if len(picked) < limit && h.g.IsReachable(n) == reachable {
				picked = append(picked, n)
			}
		}
	}
	return picked
}

// caption says what an image shows and what was left out.
func caption(what string, t target, shown, total int) string {
	subject := "type ~ " + t.typ
	if t.addr != "" {
		subject = "object " + t.addr
	}
	switch {
	case shown < total:
		return fmt.Sprintf("%s %s: %d of %d objects", what, subject, shown, total)
	case total == 1:
		return fmt.Sprintf("%s %s", what, subject)
	}
	return fmt.Sprintf("%s %s: %d objects", what, subject, total)
}
