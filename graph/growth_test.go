package graph

import (
	"fmt"
	"testing"
)

// growthRows renders rows compactly: "type count_old->count_new bytes_old->bytes_new".
func growthRows(rows []GrowthRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		name := r.Type
		if name == "" {
			name = fmt.Sprintf("?%d", r.SizeClass)
		}
		out[i] = fmt.Sprintf("%s %d->%d %d->%d", name, r.CountOld, r.CountNew, r.BytesOld, r.BytesNew)
	}
	return out
}

func TestGrowth(t *testing.T) {
	// Old heap: 3 managers, 10 conns, 2 unknown 48 B objects, 1 cache that
	// goes away. New heap: 5 managers, 9 conns, 6 unknown 48 B objects, 1
	// new unknown 16 B object, a new type. Type ids differ between the two
	// (they are per dump): rows match by name.
	older := []HistogramRow{
		{Type: "main.BackendManager", TypeID: 1, Count: 3, Bytes: 3 * 160},
		{Type: "main.Conn", TypeID: 2, Count: 10, Bytes: 10 * 64},
		{Type: "unknown (48 B)", Count: 2, Bytes: 2 * 48},
		{Type: "main.cache", TypeID: 3, Count: 1, Bytes: 512},
	}
	newer := []HistogramRow{
		{Type: "main.Conn", TypeID: 1, Count: 9, Bytes: 9 * 64},
		{Type: "main.BackendManager", TypeID: 7, Count: 5, Bytes: 5 * 160},
		{Type: "unknown (48 B)", Count: 6, Bytes: 6 * 48},
		{Type: "unknown (16 B)", Count: 1, Bytes: 16},
		{Type: "main.Session", TypeID: 2, Count: 1, Bytes: 32},
	}
	check := func(name string, got []GrowthRow, want ...string) {
		t.Helper()
		g := growthRows(got)
		if fmt.Sprint(g) != fmt.Sprint(want) {
			t.Errorf("%s:\n got %q\nwant %q", name, g, want)
		}
	}
	// Bytes deltas: managers +320, ?48 +192, Session +32, ?16 +16,
	// Conn -64, cache -512.
	check("default", Growth(older, newer, nil),
		"main.BackendManager 3->5 480->800",
		"?48 2->6 96->288",
		"main.Session 0->1 0->32",
		"?16 0->1 0->16")
	check("all", Growth(older, newer, &GrowthOptions{All: true}),
		"main.BackendManager 3->5 480->800",
		"?48 2->6 96->288",
		"main.Session 0->1 0->32",
		"?16 0->1 0->16",
		"main.Conn 10->9 640->576",
		"main.cache 1->0 512->0")
	// Count deltas: ?48 +4, managers +2, then Session and ?16 (+1 each,
	// Session has more bytes).
	check("count", Growth(older, newer, &GrowthOptions{SortBy: "count"}),
		"?48 2->6 96->288",
		"main.BackendManager 3->5 480->800",
		"main.Session 0->1 0->32",
		"?16 0->1 0->16")
	rows := Growth(older, newer, nil)
	if r := rows[0]; r.CountDelta() != 2 || r.BytesDelta() != 320 || r.RetainedDelta() != 0 {
		t.Errorf("deltas of %+v", r)
	}
	if r := Growth(newer, older, &GrowthOptions{All: true}); r[0].Type != "main.cache" || r[0].BytesDelta() != 512 {
		t.Errorf("swapped: first row %+v", r[0])
	}
	if r := Growth(nil, nil, nil); len(r) != 0 {
		t.Errorf("no rows: %v", r)
	}
}

func TestGrowthRetained(t *testing.T) {
	// A type can keep its count and grow only in what it retains (the
	// global slice holding a growing number of managers).
	older := []HistogramRow{{Type: "[64]*main.BackendManager", TypeID: 4, Count: 1, Bytes: 512, Retained: 10000}}
	newer := []HistogramRow{{Type: "[64]*main.BackendManager", TypeID: 9, Count: 1, Bytes: 512, Retained: 14000}}
	rows := Growth(older, newer, &GrowthOptions{SortBy: "retained"})
	if len(rows) != 1 || rows[0].RetainedDelta() != 4000 || rows[0].CountDelta() != 0 {
		t.Errorf("got %+v, want one row retaining 4000 more", rows)
	}
}
