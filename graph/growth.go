package graph

import (
	"cmp"
	"slices"
	"strings"
)

// GrowthRow is what one type did between two heaps: its objects and bytes
// in the old heap and in the new one. Objects of unknown type are matched
// by size class instead (Type "", SizeClass their size).
type GrowthRow struct {
	Type      string
	SizeClass uint64 // only when Type is ""
	CountOld  int
	CountNew  int
	BytesOld  uint64
	BytesNew  uint64
	// Retained sizes, zero unless both histograms were made with
	// HistogramOptions.Retained.
	RetainedOld uint64
	RetainedNew uint64
}

// CountDelta is the change in the number of objects.
func (r *GrowthRow) CountDelta() int64 { return int64(r.CountNew) - int64(r.CountOld) }

// BytesDelta is the change in shallow bytes.
func (r *GrowthRow) BytesDelta() int64 { return int64(r.BytesNew) - int64(r.BytesOld) }

// RetainedDelta is the change in retained bytes.
func (r *GrowthRow) RetainedDelta() int64 { return int64(r.RetainedNew) - int64(r.RetainedOld) }

// grew reports whether the type has more objects, bytes or retained bytes
// in the new heap.
func (r *GrowthRow) grew() bool {
	return r.CountDelta() > 0 || r.BytesDelta() > 0 || r.RetainedDelta() > 0
}

// GrowthOptions tune Growth. The zero value (or nil) is the default.
type GrowthOptions struct {
	// All keeps every type, also those that did not grow or shrank.
	All bool
	// SortBy orders the rows by their delta, largest growth first:
	// "bytes" (default), "count" or "retained". Ties are broken by the
	// other deltas, then by type name.
	SortBy string
}

// growthKey identifies a type across two heaps: by name, since type ids and
// addresses differ from one dump to the next (even of the same program: Go
// 1.26 randomizes the heap base); objects of unknown type by size class.
type growthKey struct {
	name string
	size uint64
}

func growthKeyOf(r *HistogramRow) growthKey {
	if r.TypeID == 0 && r.Count > 0 {
		return growthKey{size: r.Bytes / uint64(r.Count)}
	}
	return growthKey{name: r.Type}
}

// Growth compares two histograms (of two dumps, typically of the same
// program at two moments) type by type, like objgraph's show_growth or
// Eclipse MAT's histogram comparison. A type missing from one side counts
// zero there. Unless opts.All, only the rows that grew are kept.
func Growth(older, newer []HistogramRow, opts *GrowthOptions) []GrowthRow {
	var o GrowthOptions
	if opts != nil {
		o = *opts
	}
	index := make(map[growthKey]int, max(len(older), len(newer)))
	var rows []GrowthRow
	rowFor := func(h *HistogramRow) *GrowthRow {
		k := growthKeyOf(h)
		i, ok := index[k]
		if !ok {
			i = len(rows)
			index[k] = i
			rows = append(rows, GrowthRow{Type: k.name, SizeClass: k.size})
		}
		return &rows[i]
	}
	for i := range older {
		r := rowFor(&older[i])
		r.CountOld += older[i].Count
		r.BytesOld += older[i].Bytes
		r.RetainedOld += older[i].Retained
	}
	for i := range newer {
		r := rowFor(&newer[i])
		r.CountNew += newer[i].Count
		r.BytesNew += newer[i].Bytes
		r.RetainedNew += newer[i].Retained
	}
	if !o.All {
		rows = slices.DeleteFunc(rows, func(r GrowthRow) bool { return !r.grew() })
	}
	slices.SortFunc(rows, func(a, b GrowthRow) int { return compareGrowth(&a, &b, o.SortBy) })
	return rows
}

// compareGrowth orders a before b when it grew more by the chosen measure.
func compareGrowth(a, b *GrowthRow, sortBy string) int {
	deltas := func(r *GrowthRow) [3]int64 {
		switch sortBy {
		case "count":
			return [3]int64{r.CountDelta(), r.BytesDelta(), r.RetainedDelta()}
		case "retained":
			return [3]int64{r.RetainedDelta(), r.BytesDelta(), r.CountDelta()}
		default:
			return [3]int64{r.BytesDelta(), r.CountDelta(), r.RetainedDelta()}
		}
	}
	da, db := deltas(a), deltas(b)
	for i := range da {
		if c := cmp.Compare(db[i], da[i]); c != 0 {
			return c
		}
	}
	if c := strings.Compare(a.Type, b.Type); c != 0 {
		return c
	}
	return cmp.Compare(a.SizeClass, b.SizeClass)
}
