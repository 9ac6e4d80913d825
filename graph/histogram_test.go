package graph

import (
	"reflect"
	"testing"
)

func TestHistogram(t *testing.T) {
	// A list of three "T" nodes (32 B) 0->1->2, each holding a 16-byte
	// untyped node (3, 4, 5); node 6 (T, 32 B) is garbage.
	src := &MemSource{
		Sizes: []uint64{32, 32, 32, 16, 16, 16, 32},
		Edges: [][]Edge{{{0, 1}, {8, 3}}, {{0, 2}, {8, 4}}, {{8, 5}}, nil, nil, nil, {{0, 0}}},
	}
	rs := &RootSet{Roots: []Root{{Name: "g"}}, Edges: []RootEdge{{Root: 0, To: 0}}}
	g, err := Build(src, rs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.SetTypes([]string{"", "main.T"}, []uint32{1, 1, 1, 0, 0, 0, 1}); err != nil {
		t.Fatal(err)
	}
	got := g.Histogram(&HistogramOptions{Retained: true})
	want := []HistogramRow{
		{Type: "main.T", TypeID: 1, Count: 4, Bytes: 128, Retained: 144},
		{Type: "unknown (16 B)", Count: 3, Bytes: 48, Retained: 48},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("histogram:\n got %+v\nwant %+v", got, want)
	}
	got = g.Histogram(&HistogramOptions{Garbage: true, SortBy: "count"})
	want = []HistogramRow{{Type: "main.T", TypeID: 1, Count: 1, Bytes: 32}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("garbage histogram:\n got %+v\nwant %+v", got, want)
	}
	if err := g.SetTypes([]string{""}, []uint32{1, 0, 0, 0, 0, 0, 0}); err == nil {
		t.Error("SetTypes accepted a type id with no name")
	}
}
