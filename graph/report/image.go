package report

import (
	"strconv"

	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/graph/render"
)

// ImageOptions say what to put in an image besides the graph's shape.
// Every field is optional.
type ImageOptions struct {
	// Dominators, when set, gives each object its retained size.
	Dominators *graph.Dominators
	// Highlight marks the objects to draw in blue.
	Highlight func(graph.NodeID) bool
	// Value renders an object's contents; set only when the user asked
	// for values (images show no memory contents otherwise).
	Value func(graph.NodeID) string
	// MaxDepth is the depth drawn darkest (0: the deepest node).
	MaxDepth int
	// Caption is a line under the image.
	Caption string
}

// BackrefsImage turns a back-reference subgraph into the view model of an
// objgraph-style picture. Nodes keep their discovery order as IDs, so the
// same answer always gives the same image.
func BackrefsImage(g *graph.Graph, h Heap, b *graph.Backrefs, opts ImageOptions) *render.Graph {
	return subgraphImage(g, h, b.Nodes, b.Edges, opts)
}

// RefsImage turns a references subgraph into the view model of an
// objgraph show_refs picture: the start objects on top, what they point to
// below. Nodes keep their discovery order as IDs, as in BackrefsImage.
func RefsImage(g *graph.Graph, h Heap, r *graph.Refs, opts ImageOptions) *render.Graph {
	out := subgraphImage(g, h, r.Nodes, r.Edges, opts)
	out.Forward = true
	return out
}

// subgraphImage draws the nodes and edges of a breadth-first walk; each
// edge is labelled with the field of its From node holding the pointer.
func subgraphImage(g *graph.Graph, h Heap, nodes []graph.BackrefNode, edges []graph.BackrefEdge, opts ImageOptions) *render.Graph {
	out := &render.Graph{MaxDepth: opts.MaxDepth, Caption: opts.Caption}
	for i, bn := range nodes {
		var n render.Node
		if bn.Root >= 0 {
			n = rootNode(g, bn.Root)
		} else {
			n = objectNode(g, h, bn.Node, opts)
		}
		n.ID, n.Depth, n.Target = i, bn.Depth, bn.Target
		n.MoreReferrers, n.Unexplored = bn.More, bn.Unexplored
		out.Nodes = append(out.Nodes, n)
	}
	for _, e := range edges {
		from := nodes[e.From]
		var field string
		if from.Root >= 0 {
			field = rootField(g, from.Root, e.Off)
		} else {
			field = g.FieldName(from.Node, e.Off)
		}
		out.Edges = append(out.Edges, render.Edge{From: e.From, To: e.To, Label: field})
	}
	return out
}

// ChainsImage draws retention chains as one picture: each chain's root on
// top, its target at the bottom, shared objects drawn once.
func ChainsImage(g *graph.Graph, h Heap, chains []graph.Chain, opts ImageOptions) *render.Graph {
	out := &render.Graph{MaxDepth: opts.MaxDepth, Caption: opts.Caption}
	ids := map[graph.NodeID]int{} // object -> render node ID
	rootIDs := map[int]int{}      // root index -> render node ID
	edges := map[[2]int]string{}  // (from, to) -> label, to draw each edge once
	var edgeOrder [][2]int
	addEdge := func(from, to int, field string) {
		k := [2]int{from, to}
		if _, ok := edges[k]; !ok {
			edgeOrder = append(edgeOrder, k)
			edges[k] = field
		}
	}
	object := func(n graph.NodeID, depth int, target bool) int {
		id, ok := ids[n]
		if !ok {
			id = len(out.Nodes)
			ids[n] = id
			node := objectNode(g, h, n, opts)
			node.ID, node.Depth = id, depth
			out.Nodes = append(out.Nodes, node)
		}
		// A node shared by several chains sits at its smallest distance
		// from a target.
		out.Nodes[id].Depth = min(out.Nodes[id].Depth, depth)
		out.Nodes[id].Target = out.Nodes[id].Target || target
		return id
	}
	for _, c := range chains {
		if !c.Found {
			object(c.Target, 0, true)
			continue
		}
		last := len(c.Hops) - 1
		rid, ok := rootIDs[c.Root]
		if !ok {
			rid = len(out.Nodes)
			rootIDs[c.Root] = rid
			node := rootNode(g, c.Root)
			node.ID, node.Depth = rid, last+1
			out.Nodes = append(out.Nodes, node)
		}
		out.Nodes[rid].Depth = min(out.Nodes[rid].Depth, last+1)
		prev := rid
		for i, hop := range c.Hops {
			id := object(hop.Node, last-i, i == last)
			addEdge(prev, id, hopField(g, c, i))
			prev = id
		}
	}
	for _, k := range edgeOrder {
		out.Edges = append(out.Edges, render.Edge{From: k[0], To: k[1], Label: edges[k]})
	}
	return out
}

func objectNode(g *graph.Graph, h Heap, n graph.NodeID, opts ImageOptions) render.Node {
	node := render.Node{
		Type:      g.TypeName(n),
		Addr:      h.Addr(int(n)),
		Size:      g.Size(n),
		Finalizer: g.HasFinalizer(n),
	}
	if opts.Dominators != nil && g.IsReachable(n) {
		node.Retained = opts.Dominators.Retained(n)
	}
	if opts.Highlight != nil {
		node.Highlight = opts.Highlight(n)
	}
	if opts.Value != nil {
		node.Value = opts.Value(n)
	}
	return node
}

func rootNode(g *graph.Graph, r int) render.Node {
	root := &g.Roots()[r]
	name := root.Name
	switch root.Kind {
	case graph.RootGlobal:
		if root.Symbol != "" {
			name = root.Symbol
		}
	case graph.RootStack:
		name = "goroutine " + strconv.FormatUint(root.Goroutine, 10) + " " + root.Func
	}
	return render.Node{Root: true, RootKind: root.Kind.String(), RootName: name, Addr: root.Addr}
}
