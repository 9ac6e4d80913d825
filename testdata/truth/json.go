package truth

import (
	"os"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The truth file is written by hand rather than with encoding/json, which would add
// about 380 KB to every committed test binary. The "garbage" list is the file's last
// member: the part before it is written before the dump and the rest appended after.

func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == utf8.RuneError:
			b.WriteString(`\u`)
			h := strconv.FormatInt(int64(r), 16)
			b.WriteString(strings.Repeat("0", 4-len(h)) + h)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

type jsonObject struct{ parts []string }

func (o *jsonObject) str(k, v string) { o.parts = append(o.parts, quote(k)+": "+quote(v)) }
func (o *jsonObject) num(k string, v int64) {
	o.parts = append(o.parts, quote(k)+": "+strconv.FormatInt(v, 10))
}
func (o *jsonObject) raw(k, v string) { o.parts = append(o.parts, quote(k)+": "+v) }
func (o *jsonObject) String() string  { return "{" + strings.Join(o.parts, ", ") + "}" }

func objectJSON(x Object) string {
	var o jsonObject
	o.str("address", x.Address)
	o.str("type", x.Type)
	o.str("kind", x.Kind)
	o.num("size", int64(x.Size))
	o.str("root", x.Root)
	o.str("path", x.Path)
	return o.String()
}

// list writes one element per line.
func list(items []string) string {
	if len(items) == 0 {
		return "[]"
	}
	return "[\n    " + strings.Join(items, ",\n    ") + "\n  ]"
}

// head renders every member but "garbage", ending with `"garbage": [`.
func (t *Truth) head() string {
	var b strings.Builder
	b.WriteString("{\n")
	member := func(k, v string) { b.WriteString("  " + quote(k) + ": " + v + ",\n") }
	member("program", quote(t.Program))
	member("go_version", quote(t.GoVersion))
	member("goarch", quote(t.GOARCH))
	member("goos", quote(t.GOOS))
	var items []string
	for _, g := range t.Globals {
		var o jsonObject
		o.str("name", g.Name)
		o.str("address", g.Address)
		o.str("type", g.Type)
		o.num("size", int64(g.Size))
		o.str("segment", g.Segment)
		items = append(items, o.String())
	}
	member("globals", list(items))
	items = nil
	for _, g := range t.Goroutines {
		var o jsonObject
		o.str("name", g.Name)
		o.num("id", g.ID)
		ls := make([]string, len(g.Locals))
		for i, l := range g.Locals {
			ls[i] = quote(l)
		}
		o.raw("locals", "["+strings.Join(ls, ", ")+"]")
		items = append(items, o.String())
	}
	member("goroutines", list(items))
	items = nil
	for _, x := range t.Finalizers {
		items = append(items, objectJSON(x))
	}
	member("finalizers", list(items))
	member("counts", sortedMap(t.Counts, func(v int) string { return strconv.Itoa(v) }))
	member("facts", sortedMap(t.Facts, func(v string) string { return v }))
	items = nil
	for _, x := range t.Objects {
		items = append(items, objectJSON(x))
	}
	member("objects", list(items))
	b.WriteString(`  "garbage": `)
	return b.String()
}

func sortedMap[V any](m map[string]V, enc func(V) string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	items := make([]string, len(keys))
	for i, k := range keys {
		items[i] = quote(k) + ": " + enc(m[k])
	}
	if len(items) == 0 {
		return "{}"
	}
	return "{\n    " + strings.Join(items, ",\n    ") + "\n  }"
}

// tail renders the garbage list and closes the document.
func tail(garbage []Object) string {
	items := make([]string, len(garbage))
	for i, x := range garbage {
		items[i] = objectJSON(x)
	}
	return list(items) + "\n}\n"
}

func appendFile(path, s string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(s); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
