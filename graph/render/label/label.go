// Package label writes the small pieces of text heapgraph shows people:
// sizes, addresses and Go type names shortened for images and tables. It is
// shared by the image renderer and the text reports so both say the same
// thing the same way.
package label

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Bytes formats a byte count for people: "48 B", "1.5 KiB", "12 MiB".
// One decimal below 10 units keeps small sizes precise without long numbers.
func Bytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	v := float64(n) / unit
	i := 0
	for v >= unit && i < len(units)-1 {
		v /= unit
		i++
	}
	if v < 10 {
		return fmt.Sprintf("%.1f %s", v, units[i])
	}
	return fmt.Sprintf("%.0f %s", v, units[i])
}

// Addr formats an address the way Go prints pointers: "0xc000012345".
func Addr(a uint64) string {
	return fmt.Sprintf("%#x", a)
}

// ShortType drops the import path from every package-qualified name in a Go
// type name, keeping the package name: "map[string]*github.com/a/b.Conn"
// becomes "map[string]*b.Conn". The empty name (type unknown) stays empty.
func ShortType(name string) string {
	if !strings.Contains(name, "/") {
		return name
	}
	var b strings.Builder
	start := 0 // start of the current qualified-identifier run
	for i := 0; i <= len(name); i++ {
		if i < len(name) && !isTypeDelim(name[i]) {
			continue
		}
		run := name[start:i]
		if slash := strings.LastIndexByte(run, '/'); slash >= 0 {
			run = run[slash+1:]
		}
		b.WriteString(run)
		if i < len(name) {
			b.WriteByte(name[i])
		}
		start = i + 1
	}
	return b.String()
}

// isTypeDelim reports whether c ends a package-qualified identifier inside
// a type name (brackets, pointers, commas, spaces, parentheses, braces).
func isTypeDelim(c byte) bool {
	switch c {
	case '[', ']', '*', ',', ' ', '(', ')', '{', '}', ';', '"':
		return true
	}
	return false
}

// Wrap splits s into lines of at most width runes, breaking after a
// separator of type names where it can (']', ',', '(' or ' ' first, then
// '.' or '/'), else inside a CamelCase word, else anywhere.
func Wrap(s string, width int) []string {
	if width <= 0 || utf8.RuneCountInString(s) <= width {
		return []string{s}
	}
	var lines []string
	rest := s
	for utf8.RuneCountInString(rest) > width {
		cut := breakPoint(rest, width)
		lines = append(lines, rest[:cut])
		rest = strings.TrimLeft(rest[cut:], " ")
	}
	if rest != "" {
		lines = append(lines, rest)
	}
	return lines
}

// breakPoint returns the byte index at which to cut s so that the first
// piece holds at most width runes, preferring the last separator.
func breakPoint(s string, width int) int {
	limit := 0 // byte index just past the width-th rune
	for n := 0; n < width; n++ {
		_, size := utf8.DecodeRuneInString(s[limit:])
		limit += size
	}
	// Prefer ending a line after a complete type ("map[string]",
	// "table<K,"), then after a package qualifier ("main.").
	for _, seps := range []string{"],( ", "./"} {
		for i := limit; i > limit/2; i-- {
			if strings.IndexByte(seps, s[i-1]) >= 0 {
				return i
			}
		}
	}
	// No separator: break a CamelCase name before a capital letter.
	for i := limit; i > limit/2; i-- {
		if isUpper(s[i]) && isLower(s[i-1]) {
			return i
		}
	}
	return limit
}

// Truncate shortens s to at most n runes, marking the cut with "…".
func Truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n <= 1 {
		return "…"
	}
	i := 0
	for k := 0; k < n-1; k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i] + "…"
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }
func isLower(c byte) bool { return 'a' <= c && c <= 'z' }
