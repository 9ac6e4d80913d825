package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/heapgraph/heapgraph/graph"
)

// The JSON shapes below are the contract documented in README.md.

func TestChainsJSONContract(t *testing.T) {
	g := leakFixture(t)
	chains := Chains(g, fakeHeap{}, g.Chains([]graph.NodeID{4, 6, 5}, nil))
	var buf bytes.Buffer
	if err := WriteChainsJSON(&buf, chains); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	compact := func(v any) string {
		b, _ := json.Marshal(v)
		return string(b)
	}
	// Node 4 is held through the global (5 hops) and through goroutine 7's
	// local (2 hops): the shortest chain wins. Node 6 is garbage.
	want := []string{
		`{"path":[{"addr":"0xc000010500","field":"+0x18","type":"main.Entry"},{"addr":"0xc000010400","field":"Value","type":"main.BackendManager"}],` +
			`"root":{"frame":1,"goroutine":7,"kind":"stack","name":"main.worker"},` +
			`"target":{"addr":"0xc000010400","size":64,"type":"main.BackendManager"}}`,
		`{"path":[],"root":null,"target":{"addr":"0xc000010600","size":64,"type":"main.BackendManager"}}`,
		`{"path":[{"addr":"0xc000010500","field":"+0x18","type":"main.Entry"}],` +
			`"root":{"frame":1,"goroutine":7,"kind":"stack","name":"main.worker"},` +
			`"target":{"addr":"0xc000010500","size":48,"type":"main.Entry"}}`,
	}
	if len(got) != len(want) {
		t.Fatalf("got %d chains, want %d:\n%s", len(got), len(want), buf.String())
	}
	for i := range want {
		if c := compact(got[i]); c != want[i] {
			t.Errorf("chain %d:\n got %s\nwant %s", i, c, want[i])
		}
	}
}

func TestChainsJSONGlobalRoot(t *testing.T) {
	g := leakFixture(t)
	chains := Chains(g, fakeHeap{}, g.Chains([]graph.NodeID{3}, nil))
	b, _ := json.Marshal(chains)
	want := `[{"target":{"addr":"0xc000010300","type":"main.Entry","size":48},` +
		`"root":{"kind":"global","name":"main.configCache"},` +
		`"path":[{"addr":"0xc000010000","type":"main.Cache","field":""},` +
		`{"addr":"0xc000010100","type":"main.LRU","field":"lru"},` +
		`{"addr":"0xc000010200","type":"container/list.List","field":"evictList"},` +
		`{"addr":"0xc000010300","type":"main.Entry","field":"root.next"}]}]`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}

func TestChainsText(t *testing.T) {
	g := leakFixture(t)
	var buf bytes.Buffer
	if err := WriteChainsText(&buf, Chains(g, fakeHeap{}, g.Chains([]graph.NodeID{3, 6}, nil))); err != nil {
		t.Fatal(err)
	}
	want := `main.Entry 0xc000010300 (48 B) is held by global main.configCache, 4 hops:
  VIA               ADDRESS       TYPE
  main.configCache  0xc000010000  main.Cache
  .lru              0xc000010100  main.LRU
  .evictList        0xc000010200  container/list.List
  .root.next        0xc000010300  main.Entry

main.BackendManager 0xc000010600 (64 B): no root reaches it (garbage, or every path is filtered out)
`
	if buf.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func TestObjectsJSONL(t *testing.T) {
	g := leakFixture(t)
	var buf bytes.Buffer
	if err := WriteObjectsJSONL(&buf, g, fakeHeap{}, []graph.NodeID{0, 6, 7}, nil); err != nil {
		t.Fatal(err)
	}
	want := `{"addr":"0xc000010000","size":16,"type":"main.Cache","reachable":true}
{"addr":"0xc000010600","size":64,"type":"main.BackendManager","reachable":false}
{"addr":"0xc000010700","size":48,"type":"","reachable":true}
`
	if buf.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func TestTopText(t *testing.T) {
	g := leakFixture(t)
	rows := Top(g.Histogram(&graph.HistogramOptions{SortBy: "bytes"}), false)
	var buf bytes.Buffer
	if err := WriteTopText(&buf, rows[:2], len(rows)-2); err != nil {
		t.Fatal(err)
	}
	want := `COUNT  BYTES  TYPE
    2  128 B  main.BackendManager
    2   96 B  main.Entry
... 4 more types (--limit 0 shows all)
`
	if buf.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func TestObjectDetail(t *testing.T) {
	g := leakFixture(t)
	d := ObjectDetailOf(g, fakeHeap{}, 4, g.Dominators())
	if !d.Reachable || d.Type != "main.BackendManager" || d.Size != 64 {
		t.Errorf("detail = %+v", d)
	}
	// Three objects point at it: two Entries and the untyped one.
	var referrers []string
	for _, r := range d.Referrers {
		referrers = append(referrers, r.Addr+" "+r.Field)
	}
	if got, want := strings.Join(referrers, ", "), "0xc000010300 Value, 0xc000010500 Value, 0xc000010700 +0x8"; got != want {
		t.Errorf("referrers = %s, want %s", got, want)
	}
	// It is reachable along several paths, so nothing but itself is
	// retained by it.
	if d.Retained != 64 {
		t.Errorf("retained = %d, want 64", d.Retained)
	}
	root := ObjectDetailOf(g, fakeHeap{}, 0, g.Dominators())
	if len(root.Roots) != 1 || root.Roots[0].Name != "main.configCache" || root.Roots[0].Field != "" {
		t.Errorf("roots of the cache = %+v", root.Roots)
	}
	var buf bytes.Buffer
	if err := WriteObjectText(&buf, root); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"main.Cache 0xc000010000", "held directly by 1 root:", "global main.configCache", "lru    0xc000010100  24 B  main.LRU"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("object text lacks %q:\n%s", want, buf.String())
		}
	}
}

func TestBackrefsImage(t *testing.T) {
	g := leakFixture(t)
	b := g.Backrefs([]graph.NodeID{4}, &graph.BackrefOptions{MaxDepth: 10})
	img := BackrefsImage(g, fakeHeap{}, b, ImageOptions{Dominators: g.Dominators()})
	byName := map[string]int{}
	for _, n := range img.Nodes {
		key := n.Type
		if n.Root {
			key = "root " + n.RootName
		}
		byName[key]++
		if n.Target && n.Type != "main.BackendManager" {
			t.Errorf("unexpected target %+v", n)
		}
	}
	for key, want := range map[string]int{
		"root main.configCache":        1,
		"root goroutine 7 main.worker": 1,
		"main.BackendManager":          1,
		"main.Entry":                   2,
		"":                             1, // the untyped referrer
		"main.Cache":                   1,
	} {
		if byName[key] != want {
			t.Errorf("%d nodes %q, want %d (all: %v)", byName[key], key, want, byName)
		}
	}
	labels := map[string]bool{}
	for _, e := range img.Edges {
		labels[e.Label] = true
	}
	for _, want := range []string{"Value", "root.next", "evictList", "lru", "+0x8", "+0x18"} {
		if !labels[want] {
			t.Errorf("no edge labelled %q (labels %v)", want, labels)
		}
	}
}

func TestGrowthJSONContract(t *testing.T) {
	rows := []graph.GrowthRow{
		{Type: "main.BackendManager", CountOld: 3, CountNew: 5, BytesOld: 480, BytesNew: 800, RetainedOld: 900, RetainedNew: 1500},
		{SizeClass: 48, CountOld: 2, CountNew: 1, BytesOld: 96, BytesNew: 48},
	}
	g := Growth{
		Reachable: true,
		Old:       GrowthDump{Path: "a.dump", Objects: 10, Bytes: 1000},
		New:       GrowthDump{Path: "b.dump", Executable: "prog", Objects: 12, Bytes: 1300},
		Rows:      GrowthRows(rows, false),
	}
	var buf bytes.Buffer
	if err := WriteGrowthJSON(&buf, g); err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	got, _ := json.Marshal(v)
	want := `{"new":{"bytes":1300,"executable":"prog","objects":12,"path":"b.dump"},"old":{"bytes":1000,"objects":10,"path":"a.dump"},"reachable":true,` +
		`"rows":[{"bytes_delta":320,"bytes_new":800,"bytes_old":480,"count_delta":2,"count_new":5,"count_old":3,"type":"main.BackendManager"},` +
		`{"bytes_delta":-48,"bytes_new":48,"bytes_old":96,"count_delta":-1,"count_new":1,"count_old":2,"size_class":48,"type":""}]}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}

	withRetained, _ := json.Marshal(GrowthRows(rows[:1], true))
	if want := `[{"type":"main.BackendManager","count_old":3,"count_new":5,"count_delta":2,"bytes_old":480,"bytes_new":800,"bytes_delta":320,` +
		`"retained_old":900,"retained_new":1500,"retained_delta":600}]`; string(withRetained) != want {
		t.Errorf("with retained:\n got %s\nwant %s", withRetained, want)
	}

	buf.Reset()
	if err := WriteGrowthJSON(&buf, Growth{}); err != nil || !strings.Contains(buf.String(), `"rows": []`) {
		t.Errorf("no rows: %v\n%s", err, buf.String())
	}
}

func TestGrowthText(t *testing.T) {
	rows := []graph.GrowthRow{
		{Type: "main.BackendManager", CountOld: 30, CountNew: 42, BytesOld: 30 * 416, BytesNew: 42 * 416},
		{SizeClass: 48, CountOld: 2, CountNew: 1, BytesOld: 96, BytesNew: 48},
	}
	g := Growth{
		Old:  GrowthDump{Path: "a.dump", Objects: 10, Bytes: 1000},
		New:  GrowthDump{Path: "b.dump", Objects: 12, Bytes: 20000},
		Rows: GrowthRows(rows, false),
	}
	var buf bytes.Buffer
	if err := WriteGrowthText(&buf, g, 3, true); err != nil {
		t.Fatal(err)
	}
	want := `old: a.dump (10 objects, 1000 B)
new: b.dump (12 objects, 20 KiB)

COUNT  +COUNT   BYTES    +BYTES  TYPE
   42     +12  17 KiB  +4.9 KiB  main.BackendManager
    1      -1    48 B     -48 B  ? (48 B)
... 3 more types (--limit 0 shows all)
`
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}

	// Counting only reachable objects (the command's default) says so.
	g.Reachable = true
	buf.Reset()
	if err := WriteGrowthText(&buf, g, 0, false); err != nil {
		t.Fatal(err)
	}
	if want := "old: a.dump (10 reachable objects, 1000 B)\nnew: b.dump (12 reachable objects, 20 KiB)\n"; !strings.HasPrefix(buf.String(), want) ||
		strings.Contains(buf.String(), "more types") {
		t.Errorf("reachable, no limit: got\n%s\nwant it to start with\n%s", buf.String(), want)
	}
}
