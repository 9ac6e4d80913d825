package report

import (
	"fmt"
	"io"
	"strconv"

	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/graph/render/label"
)

// TopRow is the JSON form of one histogram row (`top --format json`).
type TopRow struct {
	// Type is "" for objects of unknown type, which are grouped by size:
	// SizeClass is then their size.
	Type      string `json:"type"`
	SizeClass uint64 `json:"size_class,omitempty"`
	Count     int    `json:"count"`
	Bytes     uint64 `json:"bytes"`
	// Retained is present only when retained sizes were computed.
	Retained *uint64 `json:"retained,omitempty"`
}

// Top converts histogram rows to their JSON form.
func Top(rows []graph.HistogramRow, withRetained bool) []TopRow {
	out := make([]TopRow, 0, len(rows))
	for _, r := range rows {
		tr := TopRow{Type: r.Type, Count: r.Count, Bytes: r.Bytes}
		if r.TypeID == 0 && r.Count > 0 {
			tr.Type, tr.SizeClass = "", r.Bytes/uint64(r.Count)
		}
		if withRetained {
			ret := r.Retained
			tr.Retained = &ret
		}
		out = append(out, tr)
	}
	return out
}

// WriteTopJSON writes rows as a JSON array.
func WriteTopJSON(w io.Writer, rows []TopRow) error { return writeJSON(w, rows) }

// WriteTopText writes rows as a table; omitted counts the rows cut by a
// limit (a last line says so).
func WriteTopText(w io.Writer, rows []TopRow, omitted int) error {
	withRetained := len(rows) > 0 && rows[0].Retained != nil
	t := &table{header: []string{"COUNT", "BYTES", "TYPE"}, right: []bool{true, true}}
	if withRetained {
		t = &table{header: []string{"COUNT", "BYTES", "RETAINED", "TYPE"}, right: []bool{true, true, true}}
	}
	for _, r := range rows {
		cells := []string{strconv.Itoa(r.Count), label.Bytes(r.Bytes)}
		if withRetained {
			cells = append(cells, label.Bytes(*r.Retained))
		}
		typ := r.Type
		if typ == "" {
			typ = fmt.Sprintf("? (%d B)", r.SizeClass)
		}
		t.add(append(cells, typ)...)
	}
	if err := t.write(w); err != nil {
		return err
	}
	if omitted > 0 {
		_, err := fmt.Fprintf(w, "... %d more types (--limit 0 shows all)\n", omitted)
		return err
	}
	return nil
}
