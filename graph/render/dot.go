package render

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/heapgraph/heapgraph/graph/render/label"
)

// WriteDOT writes g as a Graphviz DOT digraph in objgraph's look. Referrers
// point at what they hold, so with rankdir=TB the GC roots sit on top and the
// targets at the bottom: the image reads downwards as "root holds ... holds
// target". A Forward graph reads the other way, also downwards: the targets
// on top, what they point to below. Output is sorted, so equal graphs give
// equal bytes.
func WriteDOT(w io.Writer, g *Graph) error {
	if err := check(g); err != nil {
		return err
	}
	maxDepth := g.MaxDepth
	if maxDepth <= 0 {
		maxDepth = maxDepthOf(g.Nodes)
	}

	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "digraph heapgraph {")
	fmt.Fprintf(bw, "  graph [rankdir=TB, nodesep=0.25, ranksep=0.35, pad=0.2, bgcolor=white, fontname=%q, fontsize=%d",
		fontName, nodeFontSize)
	if g.Caption != "" {
		fmt.Fprintf(bw, ", labelloc=b, label=%s", quote([]string{label.Truncate(g.Caption, 120)}))
	}
	fmt.Fprintln(bw, "];")
	fmt.Fprintf(bw, "  node [shape=box, style=filled, fillcolor=white, fontname=%q, fontsize=%d, margin=\"0.08,0.03\", height=0.3];\n",
		fontName, nodeFontSize)
	fmt.Fprintf(bw, "  edge [fontname=%q, fontsize=%d, arrowsize=0.6];\n", fontName, edgeFontSize)

	nodes := sortedNodes(g.Nodes)
	for i := range nodes {
		writeNode(bw, &nodes[i], maxDepth, g.Forward)
	}
	writeRows(bw, nodes)
	depth := make(map[int]int, len(nodes))
	for i := range nodes {
		depth[nodes[i].ID] = nodes[i].Depth
	}
	for _, e := range mergedEdges(g.Edges) {
		further := depth[e.From] == depth[e.To]+1
		if g.Forward {
			further = depth[e.To] == depth[e.From]+1
		}
		writeEdge(bw, e, further)
	}
	fmt.Fprintln(bw, "}")
	return bw.Flush()
}

func maxDepthOf(nodes []Node) int {
	d := 0
	for i := range nodes {
		d = max(d, nodes[i].Depth)
	}
	return d
}

// writeRows puts boxes at the same distance from the targets in one row:
// targets at the bottom, each row one pointer further up (a Forward graph:
// targets on top, each row one pointer further down).
func writeRows(w io.Writer, nodes []Node) {
	rows := map[int][]int{}
	for i := range nodes {
		rows[nodes[i].Depth] = append(rows[nodes[i].Depth], nodes[i].ID)
	}
	for d := 0; d <= maxDepthOf(nodes); d++ {
		if len(rows[d]) < 2 {
			continue
		}
		fmt.Fprint(w, "  { rank=same;")
		for _, id := range rows[d] {
			fmt.Fprintf(w, " n%d;", id)
		}
		fmt.Fprintln(w, " }")
	}
}

// writeEdge writes one (merged) edge. Only edges one step along the
// breadth-first walk (from a box to one a row further from the targets)
// rank the boxes: the others (back pointers of
// doubly linked lists, cycles, edges between boxes at the same distance)
// would pull targets away from the bottom and roots away from the top.
// They are drawn in grey so the paths towards the targets stand out.
func writeEdge(w io.Writer, e Edge, walked bool) {
	var attrs []string
	if e.Label != "" {
		attrs = append(attrs, "label="+quote([]string{e.Label}))
	}
	if !walked {
		attrs = append(attrs, "constraint=false", "color=gray60", "fontcolor=gray40")
	}
	fmt.Fprintf(w, "  n%d -> n%d", e.From, e.To)
	if len(attrs) > 0 {
		fmt.Fprintf(w, " [%s]", strings.Join(attrs, ", "))
	}
	fmt.Fprintln(w, ";")
}

// check rejects graphs whose edges name missing nodes or whose node IDs
// repeat: Graphviz would silently invent nodes for them.
func check(g *Graph) error {
	ids := make(map[int]bool, len(g.Nodes))
	for i := range g.Nodes {
		id := g.Nodes[i].ID
		if ids[id] {
			return fmt.Errorf("render: node id %d used twice", id)
		}
		ids[id] = true
	}
	for _, e := range g.Edges {
		if !ids[e.From] || !ids[e.To] {
			return fmt.Errorf("render: edge %d -> %d names a node that is not in the graph", e.From, e.To)
		}
	}
	return nil
}

func sortedNodes(in []Node) []Node {
	nodes := append([]Node(nil), in...)
	sort.Slice(nodes, func(i, j int) bool { return nodes[i].ID < nodes[j].ID })
	return nodes
}

// mergedEdges sorts edges and folds parallel ones (an object holding the
// same pointer in several fields) into one edge listing the fields.
func mergedEdges(in []Edge) []Edge {
	edges := append([]Edge(nil), in...)
	sort.Slice(edges, func(i, j int) bool {
		a, b := edges[i], edges[j]
		if a.From != b.From {
			return a.From < b.From
		}
		if a.To != b.To {
			return a.To < b.To
		}
		return a.Label < b.Label
	})
	var out []Edge
	for i := 0; i < len(edges); {
		j := i
		var labels []string
		for ; j < len(edges) && edges[j].From == edges[i].From && edges[j].To == edges[i].To; j++ {
			if l := edges[j].Label; l != "" && (len(labels) == 0 || labels[len(labels)-1] != l) {
				labels = append(labels, l)
			}
		}
		out = append(out, Edge{From: edges[i].From, To: edges[i].To, Label: edgeLabel(labels)})
		i = j
	}
	return out
}

// edgeLabel shows up to two field names of a merged edge and counts the rest.
func edgeLabel(labels []string) string {
	for i, l := range labels {
		labels[i] = label.Truncate(l, edgeWidth)
	}
	if len(labels) <= 2 {
		return strings.Join(labels, ", ")
	}
	return fmt.Sprintf("%s, %s +%d", labels[0], labels[1], len(labels)-2)
}

func writeNode(w io.Writer, n *Node, maxDepth int, forward bool) {
	fill := nodeFill(n, maxDepth)
	attrs := []string{
		"label=" + quote(nodeLines(n)),
		fmt.Sprintf("fillcolor=%q", fill.String()),
	}
	switch {
	case n.Target:
		attrs = append(attrs, "fontcolor=red")
	case fill.darkFill():
		attrs = append(attrs, "fontcolor=white")
	}
	if n.Target {
		attrs = append(attrs, "penwidth=1.5")
	}
	if n.Unexplored {
		attrs = append(attrs, `style="filled,dashed"`)
	}
	fmt.Fprintf(w, "  n%d [%s];\n", n.ID, strings.Join(attrs, ", "))

	if n.MoreReferrers > 0 {
		more := moreFill(n.Depth+1, maxDepth)
		text := fmt.Sprintf("%d more referrers", n.MoreReferrers)
		edge := fmt.Sprintf("n%d_more -> n%d", n.ID, n.ID)
		if forward {
			text = fmt.Sprintf("%d more references", n.MoreReferrers)
			edge = fmt.Sprintf("n%d -> n%d_more", n.ID, n.ID)
		}
		fmt.Fprintf(w, "  n%d_more [label=%s, height=0.2, color=red, fillcolor=%q, fontcolor=white, fontsize=%d];\n",
			n.ID, quote([]string{text}), more.String(), smallFontSize)
		fmt.Fprintf(w, "  %s [color=red, style=dotted, weight=10];\n", edge)
	}
	if n.Finalizer {
		fmt.Fprintf(w, "  n%d_fin [label=\"finalizer\", shape=doublecircle, width=0.2, margin=0, color=red, fillcolor=\"0.000 0.500 1.000\", fontsize=%d];\n",
			n.ID, smallFontSize-1)
		fmt.Fprintf(w, "  n%d -> n%d_fin [color=red, style=dotted, arrowhead=dot, weight=10];\n", n.ID, n.ID)
		fmt.Fprintf(w, "  { rank=same; n%d; n%d_fin; }\n", n.ID, n.ID)
	}
}

// nodeLines is the text of a box. Heap objects: short type name (wrapped),
// size and retained size, address, and the value only when one was given.
// Roots: their name and what kind of root they are.
func nodeLines(n *Node) []string {
	if n.Root {
		lines := label.Wrap(n.RootName, typeWidth)
		return append(lines, rootKindText(n.RootKind))
	}
	typ := label.ShortType(n.Type)
	if typ == "" {
		typ = "?"
	}
	lines := label.Wrap(typ, typeWidth)
	size := label.Bytes(n.Size)
	if n.Retained > n.Size {
		size += " · retains " + label.Bytes(n.Retained)
	}
	lines = append(lines, size, label.Addr(n.Addr))
	if n.Value != "" {
		lines = append(lines, label.Truncate(n.Value, valueWidth))
	}
	return lines
}

func rootKindText(kind string) string {
	switch kind {
	case "global":
		return "global variable"
	case "stack":
		return "goroutine stack"
	case "finalizer":
		return "finalizer"
	case "":
		return "GC root"
	default:
		return kind + " root"
	}
}

// printable replaces control characters and invalid UTF-8 in memory
// contents so a value never breaks the DOT, SVG or the reader's terminal.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			return '.'
		}
		return r
	}, s)
}

// quote makes a DOT string literal of lines joined by centred line breaks.
// Backslashes are escaped so Graphviz's own escapes (\N, \G, \l) in names
// or values are shown as typed; control characters never reach the file.
func quote(lines []string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, l := range lines {
		if i > 0 {
			b.WriteString(`\n`)
		}
		l = strings.ReplaceAll(printable(l), `\`, `\\`)
		l = strings.ReplaceAll(l, `"`, `\"`)
		b.WriteString(l)
	}
	b.WriteByte('"')
	return b.String()
}
