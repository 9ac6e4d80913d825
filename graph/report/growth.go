package report

import (
	"fmt"
	"io"
	"strconv"

	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/graph/render/label"
)

// Growth is the JSON form of `growth`: what changed per type between two
// dumps.
type Growth struct {
	// Reachable says that only objects reachable from the GC roots were
	// counted (the default); false when garbage not yet swept was too.
	Reachable bool            `json:"reachable"`
	Old       GrowthDump      `json:"old"`
	New       GrowthDump      `json:"new"`
	Rows      []GrowthRowJSON `json:"rows"`
}

// GrowthDump describes one side of the comparison: the objects counted
// (only the reachable ones, or all of the dump's: Growth.Reachable) and
// their bytes.
type GrowthDump struct {
	Path       string `json:"path"`
	Executable string `json:"executable,omitempty"`
	Objects    int    `json:"objects"`
	Bytes      uint64 `json:"bytes"`
}

// GrowthDumpOf totals a dump's histogram.
func GrowthDumpOf(path, exe string, rows []graph.HistogramRow) GrowthDump {
	d := GrowthDump{Path: path, Executable: exe}
	for _, r := range rows {
		d.Objects += r.Count
		d.Bytes += r.Bytes
	}
	return d
}

// GrowthRowJSON is one type's change. Deltas are new minus old, negative
// when the type shrank.
type GrowthRowJSON struct {
	// Type is "" for objects of unknown type, which are matched by size:
	// SizeClass is then their size.
	Type       string `json:"type"`
	SizeClass  uint64 `json:"size_class,omitempty"`
	CountOld   int    `json:"count_old"`
	CountNew   int    `json:"count_new"`
	CountDelta int64  `json:"count_delta"`
	BytesOld   uint64 `json:"bytes_old"`
	BytesNew   uint64 `json:"bytes_new"`
	BytesDelta int64  `json:"bytes_delta"`
	// Retained sizes are present only when they were computed.
	RetainedOld   *uint64 `json:"retained_old,omitempty"`
	RetainedNew   *uint64 `json:"retained_new,omitempty"`
	RetainedDelta *int64  `json:"retained_delta,omitempty"`
}

// GrowthRows converts growth rows to their JSON form.
func GrowthRows(rows []graph.GrowthRow, withRetained bool) []GrowthRowJSON {
	out := make([]GrowthRowJSON, 0, len(rows))
	for i := range rows {
		r := &rows[i]
		j := GrowthRowJSON{
			Type: r.Type, SizeClass: r.SizeClass,
			CountOld: r.CountOld, CountNew: r.CountNew, CountDelta: r.CountDelta(),
			BytesOld: r.BytesOld, BytesNew: r.BytesNew, BytesDelta: r.BytesDelta(),
		}
		if withRetained {
			ro, rn, rd := r.RetainedOld, r.RetainedNew, r.RetainedDelta()
			j.RetainedOld, j.RetainedNew, j.RetainedDelta = &ro, &rn, &rd
		}
		out = append(out, j)
	}
	return out
}

// WriteGrowthJSON writes the comparison as one JSON document.
func WriteGrowthJSON(w io.Writer, g Growth) error {
	if g.Rows == nil {
		g.Rows = []GrowthRowJSON{}
	}
	return writeJSON(w, g)
}

// WriteGrowthText writes the comparison as a table under one line per
// dump. omitted counts the rows cut by a limit; all says whether rows that
// did not grow were kept (it words the last line).
func WriteGrowthText(w io.Writer, g Growth, omitted int, all bool) error {
	for _, d := range []struct {
		side string
		dump GrowthDump
	}{{"old", g.Old}, {"new", g.New}} {
		objects := "objects"
		if g.Reachable {
			objects = "reachable objects"
		}
		if _, err := fmt.Fprintf(w, "%s: %s (%d %s, %s)\n", d.side, d.dump.Path, d.dump.Objects, objects, label.Bytes(d.dump.Bytes)); err != nil {
			return err
		}
	}
	if len(g.Rows) == 0 {
		_, err := fmt.Fprintln(w, "no type grew (--all lists every type)")
		return err
	}
	withRetained := g.Rows[0].RetainedDelta != nil
	t := &table{header: []string{"COUNT", "+COUNT", "BYTES", "+BYTES"}, right: []bool{true, true, true, true}}
	if withRetained {
		t.header = append(t.header, "RETAINED", "+RETAINED")
		t.right = append(t.right, true, true)
	}
	t.header = append(t.header, "TYPE")
	for _, r := range g.Rows {
		cells := []string{strconv.Itoa(r.CountNew), signedCount(r.CountDelta), label.Bytes(r.BytesNew), signedBytes(r.BytesDelta)}
		if withRetained {
			cells = append(cells, label.Bytes(*r.RetainedNew), signedBytes(*r.RetainedDelta))
		}
		typ := r.Type
		if typ == "" {
			typ = fmt.Sprintf("? (%d B)", r.SizeClass)
		}
		t.add(append(cells, typ)...)
	}
	if _, err := fmt.Fprintln(w); err != nil {
		return err
	}
	if err := t.write(w); err != nil {
		return err
	}
	if omitted > 0 {
		what := "types grew"
		if all {
			what = "types"
		}
		_, err := fmt.Fprintf(w, "... %d more %s (--limit 0 shows all)\n", omitted, what)
		return err
	}
	return nil
}

// signedCount writes a delta with its sign: "+12", "-3", "0".
func signedCount(d int64) string {
	if d > 0 {
		return "+" + strconv.FormatInt(d, 10)
	}
	return strconv.FormatInt(d, 10)
}

// signedBytes writes a byte delta with its sign: "+4.9 KiB", "-416 B", "0 B".
func signedBytes(d int64) string {
	switch {
	case d > 0:
		return "+" + label.Bytes(uint64(d))
	case d < 0:
		return "-" + label.Bytes(uint64(-d))
	}
	return label.Bytes(0)
}
