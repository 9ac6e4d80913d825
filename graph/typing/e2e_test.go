package typing

import (
	"strings"
	"testing"

	"github.com/heapgraph/heapgraph/graph"
)

// TestChainReads checks what a user sees: the retention chain of a leaked
// BackendManager names the global, the map's internals and the fields on
// the way, as the leak program built it (configCache.m is a map keyed by
// the managers).
func TestChainReads(t *testing.T) {
	for _, v := range []string{"1.22", "1.26"} {
		t.Run(v, func(t *testing.T) {
			g, ty := leakGraph(t, v)
			var targets []graph.NodeID
			for n := range g.NumNodes() {
				if g.TypeName(graph.NodeID(n)) == "main.BackendManager" {
					targets = append(targets, graph.NodeID(n))
				}
			}
			viaCache := 0
			for _, c := range g.Chains(targets, nil) {
				if !c.Found || g.Roots()[c.Root].Name != "main.configCache" {
					continue
				}
				viaCache++
				var steps []string
				for k, h := range c.Hops {
					field := g.RootSlotName(c.Root, h.Off)
					if k > 0 {
						field = g.FieldName(c.Hops[k-1].Node, h.Off)
					}
					steps = append(steps, field+" -> "+g.TypeName(h.Node))
				}
				got := strings.Join(steps, " | ")
				// The manager is a key of the map: the last hop is "map key".
				if !strings.HasPrefix(got, "m -> map[interface {}]*main.Config") || !strings.HasSuffix(got, "map key -> main.BackendManager") {
					t.Errorf("chain of %#x: %s", c.Target, got)
				}
				// Between the map and the manager, only map internals.
				for _, h := range c.Hops[1 : len(c.Hops)-1] {
					if !ty.MapInternal(int(h.Node)) {
						t.Errorf("chain of %#x: %s is not a map internal", c.Target, g.TypeName(h.Node))
					}
				}
				if viaCache == 1 {
					t.Logf("chain: %s", got)
				}
			}
			if viaCache == 0 {
				t.Fatal("no BackendManager held by main.configCache")
			}
		})
	}
}
