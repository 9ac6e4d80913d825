package graph

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/heapgraph/heapgraph/heapdump"
)

// truthFile is the part of testdata/truth's JSON document these tests use
// (see testdata/truth/schema.go).
type truthFile struct {
	Globals []struct {
		Name    string `json:"name"`
		Address string `json:"address"`
		Size    uint64 `json:"size"`
	} `json:"globals"`
	Goroutines []struct {
		Name   string   `json:"name"`
		ID     uint64   `json:"id"`
		Locals []string `json:"locals"`
	} `json:"goroutines"`
	Objects    []truthObject `json:"objects"`
	Garbage    []truthObject `json:"garbage"`
	Finalizers []truthObject `json:"finalizers"`
}

type truthObject struct {
	Address string `json:"address"`
	Type    string `json:"type"`
	Root    string `json:"root"`
	Path    string `json:"path"`
}

func parseHex(t *testing.T, s string) uint64 {
	t.Helper()
	v, err := strconv.ParseUint(strings.TrimPrefix(s, "0x"), 16, 64)
	if err != nil {
		t.Fatalf("truth: bad address %q: %v", s, err)
	}
	return v
}

// truthSymbols is a Symbolizer made from the globals a truth file lists.
type truthSymbols struct {
	names      []string
	addr, size []uint64 // sorted by addr
}

func newTruthSymbols(t *testing.T, tf *truthFile) *truthSymbols {
	s := &truthSymbols{}
	idx := make([]int, len(tf.Globals))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool {
		return parseHex(t, tf.Globals[idx[a]].Address) < parseHex(t, tf.Globals[idx[b]].Address)
	})
	for _, i := range idx {
		g := tf.Globals[i]
		s.names = append(s.names, g.Name)
		s.addr = append(s.addr, parseHex(t, g.Address))
		s.size = append(s.size, g.Size)
	}
	return s
}

func (s *truthSymbols) Global(addr uint64) (string, uint64, bool) {
	i := sort.Search(len(s.addr), func(i int) bool { return s.addr[i] > addr }) - 1
	if i < 0 || addr-s.addr[i] >= s.size[i] {
		return "", 0, false
	}
	return s.names[i], addr - s.addr[i], true
}

// truthDumps returns the dumps with a truth file next to them.
func truthDumps(t *testing.T) map[string]*truthFile {
	t.Helper()
	out := map[string]*truthFile{}
	for _, path := range testDumps(t, "*") {
		tp := strings.TrimSuffix(path, ".dump") + ".truth.json"
		if _, err := os.Stat(tp); err != nil {
			tp = filepath.Join(filepath.Dir(path), "..", "truth", strings.TrimSuffix(filepath.Base(path), ".dump")+".truth.json")
		}
		b, err := os.ReadFile(tp)
		if err != nil {
			continue
		}
		tf := &truthFile{}
		if err := json.Unmarshal(b, tf); err != nil {
			t.Fatalf("%s: %v", tp, err)
		}
		out[path] = tf
	}
	if len(out) == 0 {
		t.Skip("no dump with a truth file")
	}
	return out
}

// rootMatches reports whether root r is the one the truth names
// ("main.configCache" or "goroutine:<name>").
func rootMatches(r *Root, name string, goroutineIDs map[string]uint64) bool {
	if g, ok := strings.CutPrefix(name, "goroutine:"); ok {
		id, known := goroutineIDs[g]
		return known && r.Kind == RootStack && r.Goroutine == id
	}
	return r.Kind == RootGlobal && (r.Symbol == name || r.Via == name)
}

// TestTruthChains checks, on every dump with ground truth, that each object
// the program recorded is in the dump and reachable, that its chain from
// the root the program says holds it is a real path ending there, and that
// the overall shortest chain is a real path no longer than that one.
func TestTruthChains(t *testing.T) {
	for path, tf := range truthDumps(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			d, g := openGraph(t, path, newTruthSymbols(t, tf))
			gids := map[string]uint64{}
			for _, gr := range tf.Goroutines {
				gids[gr.Name] = gr.ID
			}
			named := map[string]bool{}
			for _, r := range g.Roots() {
				named[r.Symbol] = true
				named[r.Via] = true
			}
			checked := 0
			for _, o := range tf.Objects {
				addr := parseHex(t, o.Address)
				j := d.Find(addr)
				if j < 0 {
					t.Errorf("%s (%s, %s): not in the dump", o.Address, o.Type, o.Path)
					continue
				}
				n := NodeID(j)
				if !g.IsReachable(n) {
					t.Errorf("%s (%s, %s): object %d not reachable", o.Address, o.Type, o.Path, n)
					continue
				}
				if !strings.HasPrefix(o.Root, "goroutine:") && !named[o.Root] {
					t.Errorf("no global root named %s", o.Root)
					continue
				}
				only := g.Chains([]NodeID{n}, &ChainOptions{IgnoreRoot: func(r int) bool {
					return !rootMatches(&g.Roots()[r], o.Root, gids)
				}})[0]
				if !only.Found {
					t.Errorf("%s (%s): no chain from %s, truth path %s", o.Address, o.Type, o.Root, o.Path)
					continue
				}
				verifyChain(t, d, g, only)
				if r := &g.Roots()[only.Root]; !rootMatches(r, o.Root, gids) {
					t.Errorf("%s: chain from %q, want %s", o.Address, r.Name, o.Root)
				}
				best := g.Chains([]NodeID{n}, nil)[0]
				if !best.Found || len(best.Hops) > len(only.Hops) {
					t.Errorf("%s: shortest chain %+v longer than the one from %s (%d hops)", o.Address, best, o.Root, len(only.Hops))
				}
				verifyChain(t, d, g, best)
				checked++
			}
			for _, o := range tf.Garbage {
				j := d.Find(parseHex(t, o.Address))
				if j < 0 {
					t.Errorf("garbage %s (%s): not in the dump", o.Address, o.Type)
					continue
				}
				if g.IsReachable(NodeID(j)) {
					c := g.Chains([]NodeID{NodeID(j)}, nil)[0]
					t.Errorf("garbage %s (%s): object %d reachable from %q in %d hops", o.Address, o.Type, j, g.Roots()[c.Root].Name, len(c.Hops))
				}
			}
			for _, o := range tf.Finalizers {
				j := d.Find(parseHex(t, o.Address))
				if j < 0 || !g.HasFinalizer(NodeID(j)) {
					t.Errorf("object %s (%s) has a finalizer; graph says object %d has none", o.Address, o.Type, j)
				}
			}
			if checked == 0 {
				t.Error("no object checked")
			}
			t.Logf("%d objects, %d garbage, %d finalizers checked", checked, len(tf.Garbage), len(tf.Finalizers))
		})
	}
}

// TestTruthBackrefs checks that the back-reference walk from every
// recorded object, deep enough, reaches the object's named root.
func TestTruthBackrefs(t *testing.T) {
	for path, tf := range truthDumps(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			d, g := openGraph(t, path, newTruthSymbols(t, tf))
			gids := map[string]uint64{}
			for _, gr := range tf.Goroutines {
				gids[gr.Name] = gr.ID
			}
			for _, o := range tf.Objects {
				j := d.Find(parseHex(t, o.Address))
				if j < 0 {
					continue // reported by TestTruthChains
				}
				br := g.Backrefs([]NodeID{NodeID(j)}, &BackrefOptions{MaxDepth: 1 << 20, TooMany: 1 << 20})
				found := false
				for _, bn := range br.Nodes {
					if bn.Root >= 0 && rootMatches(&g.Roots()[bn.Root], o.Root, gids) {
						found = true
					}
				}
				if !found {
					t.Errorf("%s (%s): back-references do not reach %s", o.Address, o.Type, o.Root)
				}
				checkBackrefEdges(t, d, g, br)
			}
		})
	}
}

// checkBackrefEdges verifies each edge of a back-reference subgraph
// against the dump's bytes.
func checkBackrefEdges(t *testing.T, d *heapdump.Dump, g *Graph, br *Backrefs) {
	t.Helper()
	ptr := uint64(d.Params.PtrSize)
	for _, e := range br.Edges {
		from, to := br.Nodes[e.From], br.Nodes[e.To]
		if from.Root >= 0 {
			found := false
			for _, re := range g.RootEdgesOf(from.Root) {
				if re.Off == e.Off && re.To == to.Node {
					found = true
				}
			}
			if !found {
				t.Fatalf("backref edge from root %d at %#x to %d is not a root edge", from.Root, e.Off, to.Node)
			}
			continue
		}
		b := d.Contents(int(from.Node))
		if w := d.Word(b[e.Off : e.Off+ptr]); d.Find(w) != int(to.Node) {
			t.Fatalf("backref edge %d -> %d: slot %#x holds %#x", from.Node, to.Node, e.Off, w)
		}
	}
}
