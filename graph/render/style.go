package render

import "fmt"

// hsv is a Graphviz colour in the HSV model, each part in [0, 1].
type hsv struct{ h, s, v float64 }

func (c hsv) String() string {
	return fmt.Sprintf("%.3f %.3f %.3f", c.h, c.s, c.v)
}

// darkFill reports whether text on the colour must be white to be read
// (objgraph switches at v < 0.5).
func (c hsv) darkFill() bool { return c.v < 0.5 }

// depthValue is objgraph's grey ramp: white (v=1) at the targets, down to
// v=0.3 at maxDepth.
func depthValue(depth, maxDepth int) float64 {
	if maxDepth <= 0 {
		return 1
	}
	f := float64(depth) / float64(maxDepth)
	if f > 1 {
		f = 1
	}
	if f < 0 {
		f = 0
	}
	return 1 - 0.7*f
}

// nodeFill picks a node's fill: grey by depth, green for roots, blue-grey
// for highlighted nodes.
func nodeFill(n *Node, maxDepth int) hsv {
	v := depthValue(n.Depth, maxDepth)
	switch {
	case n.Root:
		return hsv{0.3, 1, v}
	case n.Highlight:
		return hsv{0.6, 0.6, 0.5 + v/2}
	default:
		return hsv{0, 0, v}
	}
}

// moreFill is the fill of a "N more referrers" box: red, darker with depth.
func moreFill(depth, maxDepth int) hsv {
	return hsv{0, 1, depthValue(depth, maxDepth)}
}

// Text sizes and widths chosen so that a 20-node graph stays readable when
// GitHub scales the image to its column width (about 880 px).
const (
	fontName      = "Helvetica"
	nodeFontSize  = 10
	edgeFontSize  = 9
	smallFontSize = 8
	typeWidth     = 28 // runes per line of a type or root name
	edgeWidth     = 24 // runes of an edge label
	valueWidth    = 40 // runes of a value (objgraph's repr limit)
)
