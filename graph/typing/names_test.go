package typing

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/heapdump/gobinary"
)

// leakGraph builds the typed graph of the leak program's dump.
func leakGraph(t *testing.T, version string) (*graph.Graph, *Types) {
	t.Helper()
	base := filepath.Join(dumpsDir, "leak-go"+version)
	d, ty := typeCase(t, base)
	g, err := graph.FromDump(d, &graph.DumpOptions{Symbolizer: Symbolizer{ty.b}})
	if err != nil {
		t.Fatal(err)
	}
	if err := ty.Apply(g); err != nil {
		t.Fatal(err)
	}
	return g, ty
}

// outNames collects the field names of the outgoing edges of every node of
// type typ.
func outNames(t *testing.T, g *graph.Graph, typ string) map[string]int {
	t.Helper()
	names := map[string]int{}
	nodes := 0
	for n := range g.NumNodes() {
		if g.TypeName(graph.NodeID(n)) != typ {
			continue
		}
		nodes++
		for k := range g.Out(graph.NodeID(n)) {
			off, ok := g.EdgeOffset(graph.NodeID(n), k)
			if !ok {
				t.Fatalf("%s node %d: no offset for edge %d", typ, n, k)
			}
			names[g.FieldName(graph.NodeID(n), off)]++
		}
	}
	if nodes == 0 {
		t.Fatalf("no node of type %s", typ)
	}
	return names
}

func TestEdgeNames(t *testing.T) {
	for _, v := range []string{"1.22", "1.26", "1.27"} {
		t.Run(v, func(t *testing.T) {
			g, _ := leakGraph(t, v)
			// The fields of the leak program's types (testdata/programs/leak).
			for typ, want := range map[string][]string{
				"main.BackendManager": {"name", "conns", "ctx", "cancel", "log", "onEvent", "config"},
				"main.Conn":           {"Addr", "buf", "owner"},
				"main.Config":         {"Endpoint", "Labels"},
				"main.prefixLogger":   {"prefix", "lines"},
				"[4]*main.Conn":       {"[0]", "[1]", "[2]"},
			} {
				got := outNames(t, g, typ)
				for name := range got {
					if !slices.Contains(want, name) {
						t.Errorf("%s: edge named %q, want one of %q", typ, name, want)
					}
				}
				for _, w := range want {
					if got[w] == 0 && typ != "main.prefixLogger" {
						t.Errorf("%s: no edge named %q (got %v)", typ, w, got)
					}
				}
			}
			// Map internals name keys and values.
			found := map[string]bool{}
			for n := range g.NumNodes() {
				name := g.TypeName(graph.NodeID(n))
				if !strings.Contains(name, "map.group[interface {}]*main.Config") && !strings.Contains(name, "bucket<interface {},*main.Config>") {
					continue
				}
				for k := range g.Out(graph.NodeID(n)) {
					off, _ := g.EdgeOffset(graph.NodeID(n), k)
					found[g.FieldName(graph.NodeID(n), off)] = true
				}
			}
			if !found["map key"] || !found["map value"] {
				t.Errorf("map of configCache: edge names %v, want map key and map value", found)
			}
		})
	}
}

func TestRootNames(t *testing.T) {
	g, ty := leakGraph(t, "1.26")
	namer := rootNamer{ty}
	seen := map[string]bool{}
	for r := range g.Roots() {
		root := &g.Roots()[r]
		for _, e := range g.RootEdgesOf(r) {
			// The namer itself: graph.RootSlotName writes "+0x0" for "".
			name := namer.RootSlotName(root, e.Off)
			switch {
			case root.Kind == graph.RootGlobal && root.Name == "main.configCache":
				// memo{mu sync.Mutex; m map[any]*Config}
				if name != "m" {
					t.Errorf("main.configCache slot +%#x named %q, want m", e.Off, name)
				}
				seen["configCache"] = true
			case root.Kind == graph.RootGlobal && root.Name == "main.serverCtx":
				// An interface: the variable itself holds the pointer.
				if name != "" {
					t.Errorf("main.serverCtx slot +%#x named %q, want \"\"", e.Off, name)
				}
				seen["serverCtx"] = true
			case root.Kind == graph.RootGlobal && root.Name == "main.neverClosed":
				if name != "" {
					t.Errorf("main.neverClosed named %q, want \"\" (the variable itself)", name)
				}
				seen["neverClosed"] = true
			case root.Kind == graph.RootStack && root.Func == "main.startWatchdog.func1" && g.TypeName(e.To) == "main.BackendManager":
				if name != "b" {
					t.Errorf("watchdog frame slot +%#x named %q, want b", e.Off, name)
				}
				seen["watchdog"] = true
			}
		}
	}
	// A finalizer root keeps its object's referents: they are named by
	// the object's fields.
	for r := range g.Roots() {
		root := &g.Roots()[r]
		if root.Kind != graph.RootFinalizer || root.Object == graph.NoNode || g.TypeName(root.Object) != "main.Conn" {
			continue
		}
		// Conn{ID int; Addr string; buf []byte; owner *BackendManager; healthy bool}
		if got := namer.RootSlotName(root, graph.FinalizerObjChild+8); got != "obj.Addr" {
			t.Errorf("finalizer slot +8 of its Conn named %q, want obj.Addr", got)
		}
		seen["finalizer"] = true
	}
	for _, k := range []string{"configCache", "serverCtx", "neverClosed", "watchdog", "finalizer"} {
		if !seen[k] {
			t.Errorf("no root edge of %s", k)
		}
	}
}

func TestExplain(t *testing.T) {
	g, ty := leakGraph(t, "1.26")
	kinds := map[string]bool{}
	for n := range g.NumNodes() {
		e := ty.Explain(n)
		name := ty.TypeName(n)
		if !strings.HasPrefix(e, name+": ") && name != "" {
			t.Fatalf("Explain(%d) = %q, does not start with the type %q", n, e, name)
		}
		switch {
		case strings.Contains(e, "malloc header"):
			kinds["header"] = true
		case strings.Contains(e, "held by global main.configCache"):
			kinds["global"] = true
		case strings.Contains(e, "held by goroutine"):
			kinds["frame"] = true
		case strings.Contains(e, "held by conns of"):
			kinds["field"] = true
		case strings.Contains(e, "its code pointer is in main.newBackendManager.func1"):
			kinds["closure"] = true
		}
	}
	for _, k := range []string{"header", "global", "frame", "field", "closure"} {
		if !kinds[k] {
			t.Errorf("no object explained by its %s", k)
		}
	}
}

// TestWithoutExecutable types from the dump alone (boxed values of itab
// types, finalizer targets, malloc headers of itab types): whatever it
// names must agree with the typing from the executable.
func TestWithoutExecutable(t *testing.T) {
	typed := 0
	for _, name := range []string{"leak-go1.26", "shapes-go1.22", "shapes-go1.26", "shapes-go1.27"} {
		d, withExe := typeCase(t, filepath.Join(dumpsDir, name))
		ty, err := New(d, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := range d.NumObjects() {
			got := ty.TypeName(i)
			if got == "" {
				continue
			}
			typed++
			if full := withExe.TypeName(i); full != "" && shortName(full) != shortName(got) {
				t.Errorf("%s: object %#x: %q from the dump alone, %q with the executable", name, d.Addr(i), got, full)
			}
		}
	}
	if typed == 0 {
		t.Fatal("nothing typed without the executable")
	}
	t.Logf("%d objects typed without the executable", typed)
}

func TestStrippedExecutable(t *testing.T) {
	if _, err := gobinary.Open(filepath.Join(dumpsDir, "leak-stripped-go1.26.exe")); err == nil {
		t.Fatal("a stripped executable opened without error")
	}
}
