package main

import (
	"regexp"

	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/graph/report"
	"github.com/spf13/pflag"
)

// pictureOptions are the flags the objgraph-style pictures (backrefs and
// refs) share: how far the walk goes, how many neighbours a box shows,
// which objects are left out or highlighted, and whether memory contents
// may appear.
type pictureOptions struct {
	maxDepth  int
	tooMany   int
	ignore    string
	highlight string
	values    bool
}

// addWalkFlags registers --max-depth and --too-many. help prefixes the
// help texts, from names where the walk starts and neighbours what
// --too-many counts. Commands register their own flags between these and
// addLookFlags', so --help lists them in that order.
func (p *pictureOptions) addWalkFlags(fs *pflag.FlagSet, maxDepth int, help, from, neighbours string) {
	fs.IntVar(&p.maxDepth, "max-depth", maxDepth, help+"walk at most `N` hops from "+from)
	fs.IntVar(&p.tooMany, "too-many", 10, help+"show at most `N` "+neighbours+" per object, count the rest")
}

// addLookFlags registers --ignore, --highlight and --values; help prefixes
// their help texts.
func (p *pictureOptions) addLookFlags(fs *pflag.FlagSet, help string) {
	fs.StringVar(&p.ignore, "ignore", "", help+"leave out objects whose type name matches `RE`")
	fs.StringVar(&p.highlight, "highlight", "", help+"draw objects whose type name matches `RE` in blue")
	fs.BoolVar(&p.values, "values", false, help+"show the first bytes of each object in its box (may reveal secrets)")
}

// patterns compiles --ignore and --highlight (nil when not given).
func (p *pictureOptions) patterns() (ignore, highlight *regexp.Regexp, err error) {
	if ignore, err = compileTypeRE("ignore", p.ignore); err != nil {
		return nil, nil, err
	}
	if highlight, err = compileTypeRE("highlight", p.highlight); err != nil {
		return nil, nil, err
	}
	return ignore, highlight, nil
}

// imageOptions are the drawing options the flags ask for.
func (p *pictureOptions) imageOptions(h *heap, dom *graph.Dominators, highlight *regexp.Regexp, caption string) report.ImageOptions {
	opts := report.ImageOptions{
		Dominators: dom,
		Highlight:  h.typeMatcher(highlight),
		Caption:    caption,
	}
	if p.values {
		opts.Value = h.valuePreview
	}
	return opts
}
