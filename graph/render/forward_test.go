package render

import (
	"strings"
	"testing"
)

// refsGraph is a small show_refs picture: a manager (the target) pointing
// to its config and its connections array, which points to two of its five
// connections; one connection points back at the manager.
func refsGraph() *Graph {
	return &Graph{
		Forward: true,
		Nodes: []Node{
			{ID: 0, Type: "main.BackendManager", Addr: 0xc000100000, Size: 160, Target: true},
			{ID: 1, Type: "main.Config", Addr: 0xc000110000, Size: 48, Depth: 1},
			{ID: 2, Type: "[5]*main.Conn", Addr: 0xc000120000, Size: 48, Depth: 1, MoreReferrers: 3},
			{ID: 3, Type: "main.Conn", Addr: 0xc000130000, Size: 96, Depth: 2, Unexplored: true},
			{ID: 4, Type: "main.Conn", Addr: 0xc000140000, Size: 96, Depth: 2},
		},
		Edges: []Edge{
			{From: 0, To: 1, Label: "config"},
			{From: 0, To: 2, Label: "conns"},
			{From: 2, To: 3, Label: "[0]"},
			{From: 2, To: 4, Label: "[1]"},
			{From: 4, To: 0, Label: "mgr"},
		},
	}
}

func TestForwardDOT(t *testing.T) {
	dot := string(render(t, refsGraph(), DOT))
	for _, want := range []string{
		`n0 [label="main.BackendManager\n160 B\n0xc000100000", fillcolor="0.000 0.000 1.000", fontcolor=red`,
		`n3 [label="main.Conn\n96 B\n0xc000130000", fillcolor="0.000 0.000 0.300", fontcolor=white, style="filled,dashed"]`,
		`n0 -> n1 [label="config"];`, // one step further from the target: ranks the boxes
		`n2 -> n3 [label="[0]"];`,
		`n4 -> n0 [label="mgr", constraint=false, color=gray60, fontcolor=gray40];`, // back to the target: grey
		`n2_more [label="3 more references"`,
		`n2 -> n2_more [color=red, style=dotted`, // the left-out references hang below
		`{ rank=same; n1; n2; }`,
	} {
		if !strings.Contains(dot, want) {
			t.Errorf("DOT lacks %s\n%s", want, dot)
		}
	}
	if strings.Contains(dot, "referrers") {
		t.Errorf("a references picture speaks of referrers:\n%s", dot)
	}
}

func TestForwardSVG(t *testing.T) {
	joined := strings.Join(svgTexts(t, render(t, refsGraph(), SVG)), "\n")
	for _, want := range []string{"main.BackendManager", "config", "conns", "3 more references"} {
		if !strings.Contains(joined, want) {
			t.Errorf("SVG text lacks %q; texts:\n%s", want, joined)
		}
	}
}
