package render

import (
	"bytes"
	"context"
	"encoding/xml"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func render(t *testing.T, g *Graph, f Format) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(context.Background(), &buf, g, f); err != nil {
		t.Fatalf("Write %s: %v", f, err)
	}
	// HEAPGRAPH_RENDER_OUT=dir keeps the images so a person can look at them.
	if dir := os.Getenv("HEAPGRAPH_RENDER_OUT"); dir != "" {
		name := strings.ReplaceAll(t.Name(), "/", "_") + "." + string(f)
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// svgTexts parses an SVG as XML and returns the text of its <text>
// elements: what a reader of the image sees.
func svgTexts(t *testing.T, svg []byte) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	dec.Strict = true
	// Graphviz writes a DOCTYPE pointing at the SVG DTD; nothing to resolve.
	var texts []string
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			inText = tok.Name.Local == "text"
		case xml.EndElement:
			inText = false
		case xml.CharData:
			if inText {
				texts = append(texts, string(tok))
			}
		}
	}
	return texts
}

func TestSVGNamesRootsTargetsAndFields(t *testing.T) {
	texts := svgTexts(t, render(t, leakGraph(), SVG))
	joined := strings.Join(texts, "\n")
	for _, want := range []string{
		"main.configCache", "global variable", // the root and what it is
		"goroutine 1 main.main", "goroutine stack",
		"main.BackendManager",           // the target
		"0xc000100000",                  // its address
		"64 B · retains 4.1 KiB",        // size and retained size
		"lru", "evictList", "root.next", // fields on the edges
		`["db-1"], ["db-2"]`, // parallel edges merged
		"3 more referrers",   // fan-in cap
		"finalizer",          // finalizer mark
		"backends.",          // import path dropped, long name wrapped
		"?",                  // unknown type
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("SVG text lacks %q; texts:\n%s", want, joined)
		}
	}
	if strings.Contains(joined, "github.com") {
		t.Errorf("SVG shows a full import path; labels should use short type names")
	}
}

func TestDOTStyle(t *testing.T) {
	dot := string(render(t, leakGraph(), DOT))
	for _, want := range []string{
		`n1 [label="main.BackendManager\n64 B · retains 4.1 KiB\n0xc000100000", fillcolor="0.000 0.000 1.000", fontcolor=red`,
		`n10 [label="main.configCache\nglobal variable", fillcolor="0.300 1.000 0.300", fontcolor=white]`, // green, darkest
		`n5 [label="main.LruList\n32 B\n0xc000120000", fillcolor="0.600 0.600 0.860"]`,                    // highlighted, v=0.5+(1-0.7*2/5)/2
		`n7 [label="main.Cache\n16 B · retains 8.4 KiB\n0xc000140000", fillcolor="0.000 0.000 0.440", fontcolor=white]`,
		`n3 -> n4 [label="next", constraint=false, color=gray60, fontcolor=gray40];`, // same depth: does not rank
		`n4 -> n2 [label="Value"];`,
		`{ rank=same; n1; n2; }`,     // targets share the bottom row
		`{ rank=same; n3; n4; n8; }`, // and each distance a row
		`n2_more -> n2 [color=red, style=dotted`,
		`n1 -> n1_fin [color=red, style=dotted`,
		`n8 -> n2 [label="[\"db-1\"], [\"db-2\"]"];`,
		`n10 -> n7;`,
		`n12 [label="*sync.Mutex\n8 B\n0xc000170000", fillcolor="0.000 0.000 0.300", fontcolor=white, style="filled,dashed"]`,
	} {
		if !strings.Contains(dot, want) {
			t.Errorf("DOT lacks %s\n%s", want, dot)
		}
	}
}

func TestDarkFillHasWhiteText(t *testing.T) {
	g := &Graph{MaxDepth: 2, Nodes: []Node{{ID: 1, Type: "main.T", Depth: 2}}}
	dot := string(render(t, g, DOT))
	if !strings.Contains(dot, `fillcolor="0.000 0.000 0.300", fontcolor=white`) {
		t.Errorf("deepest node should be dark grey with white text:\n%s", dot)
	}
}

func TestOutputIsDeterministic(t *testing.T) {
	shuffled := leakGraph()
	// Same graph, nodes and edges in another order.
	for i, j := 0, len(shuffled.Nodes)-1; i < j; i, j = i+1, j-1 {
		shuffled.Nodes[i], shuffled.Nodes[j] = shuffled.Nodes[j], shuffled.Nodes[i]
	}
	for i, j := 0, len(shuffled.Edges)-1; i < j; i, j = i+1, j-1 {
		shuffled.Edges[i], shuffled.Edges[j] = shuffled.Edges[j], shuffled.Edges[i]
	}
	for _, f := range []Format{DOT, SVG, PNG} {
		a := render(t, leakGraph(), f)
		b := render(t, leakGraph(), f)
		c := render(t, shuffled, f)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renderings of the same graph differ", f)
		}
		if !bytes.Equal(a, c) {
			t.Errorf("%s: node and edge order changes the output", f)
		}
	}
}

func TestPNGDecodes(t *testing.T) {
	img, err := png.Decode(bytes.NewReader(render(t, leakGraph(), PNG)))
	if err != nil {
		t.Fatalf("PNG does not decode: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 200 || b.Dy() < 200 {
		t.Errorf("PNG is %v, too small to hold 11 boxes", b)
	}
}

func TestValuesOnlyWhenGiven(t *testing.T) {
	g := leakGraph()
	dot := string(render(t, g, DOT))
	if strings.Contains(dot, "secret") {
		t.Fatal("value shown without being set")
	}
	g.Nodes[0].Value = "\"secret\x00token\nwith a very long tail that goes on and on\""
	dot = string(render(t, g, DOT))
	if !strings.Contains(dot, `\"secret.token.with a very long tail tha…`) {
		t.Errorf("value missing, unescaped or not truncated:\n%s", dot)
	}
}

func TestEscaping(t *testing.T) {
	g := &Graph{Nodes: []Node{
		{ID: 1, Type: `struct { X "a\"" }`},
		{ID: 2, Root: true, RootName: `C:\new\N`},
	}, Edges: []Edge{{From: 2, To: 1, Label: `a"b\l`}}}
	texts := strings.Join(svgTexts(t, render(t, g, SVG)), "\n")
	for _, want := range []string{`struct { X "a\"" }`, `C:\new\N`, `a"b\l`} {
		if !strings.Contains(texts, want) {
			t.Errorf("SVG lacks %s as typed; texts:\n%s", want, texts)
		}
	}
}

func TestBadGraphs(t *testing.T) {
	for name, g := range map[string]*Graph{
		"dangling edge": {Nodes: []Node{{ID: 1}}, Edges: []Edge{{From: 1, To: 2}}},
		"duplicate id":  {Nodes: []Node{{ID: 1}, {ID: 1}}},
	} {
		if err := Write(context.Background(), io.Discard, g, SVG); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestFormatForPath(t *testing.T) {
	for path, want := range map[string]Format{"a.svg": SVG, "b/c.PNG": PNG, "x.dot": DOT} {
		if got, err := FormatForPath(path); err != nil || got != want {
			t.Errorf("FormatForPath(%q) = %q, %v; want %q", path, got, err, want)
		}
	}
	for _, path := range []string{"a.jpg", "noext"} {
		if _, err := FormatForPath(path); err == nil {
			t.Errorf("FormatForPath(%q): no error", path)
		}
	}
}
