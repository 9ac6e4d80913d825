package report

import (
	"bufio"
	"io"
	"strings"
	"unicode/utf8"
)

// table is a text table with aligned columns. Numbers are right-aligned
// (right[i]); the last column is never padded so lines carry no trailing
// blanks.
type table struct {
	header []string
	right  []bool
	rows   [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) write(w io.Writer) error {
	widths := make([]int, len(t.header))
	for _, row := range append([][]string{t.header}, t.rows...) {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	bw := bufio.NewWriter(w)
	for _, row := range append([][]string{t.header}, t.rows...) {
		var line strings.Builder
		for i, c := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			last := i == len(row)-1
			switch {
			case i < len(t.right) && t.right[i]:
				line.WriteString(pad + c)
			case last:
				line.WriteString(c)
			default:
				line.WriteString(c + pad)
			}
			if !last {
				line.WriteString("  ")
			}
		}
		bw.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
	return bw.Flush()
}
