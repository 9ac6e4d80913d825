package main

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/heapgraph/heapgraph/graph"
	"github.com/heapgraph/heapgraph/graph/render/label"
)

// target holds the --type / --addr flags that pick the objects a command
// is about.
type target struct {
	typ  string
	addr string
}

func (t *target) check(cmd string) error {
	if (t.typ == "") == (t.addr == "") {
		return usagef("%s: give exactly one of --type and --addr", cmd)
	}
	return nil
}

// nodes returns the objects picked, in address order.
func (t *target) nodes(h *heap) ([]graph.NodeID, error) {
	if t.addr != "" {
		n, err := h.objectAt(t.addr)
		if err != nil {
			return nil, err
		}
		return []graph.NodeID{n}, nil
	}
	re, err := compileTypeRE("type", t.typ)
	if err != nil {
		return nil, err
	}
	nodes := h.ofType(re)
	if len(nodes) == 0 {
		return nil, h.noTypeMatch(t.typ)
	}
	return nodes, nil
}

// objectAt finds the object containing an address (interior pointers
// included).
func (h *heap) objectAt(s string) (graph.NodeID, error) {
	addr, err := parseAddr(s)
	if err != nil {
		return 0, err
	}
	i := h.dump.Find(addr)
	if i < 0 {
		return 0, fmt.Errorf("no heap object at %s in %s", label.Addr(addr), h.dump.Path)
	}
	return graph.NodeID(i), nil
}

// typeMatcher tells whether a node's type name matches re, testing each
// type name once.
func (h *heap) typeMatcher(re *regexp.Regexp) func(graph.NodeID) bool {
	if re == nil {
		return nil
	}
	names := h.g.TypeNames()
	match := make([]bool, len(names))
	for i, name := range names {
		match[i] = name != "" && re.MatchString(name)
	}
	return func(n graph.NodeID) bool {
		id := h.g.TypeID(n)
		return int(id) < len(match) && match[id]
	}
}

// ofType returns the nodes whose type name matches re, in address order.
func (h *heap) ofType(re *regexp.Regexp) []graph.NodeID {
	match := h.typeMatcher(re)
	var out []graph.NodeID
	if match == nil {
		return out
	}
	for n := range h.g.NumNodes() {
		if match(graph.NodeID(n)) {
			out = append(out, graph.NodeID(n))
		}
	}
	return out
}

// noTypeMatch is the error for a --type pattern that matches nothing: it
// lists the closest type names of the heap.
func (h *heap) noTypeMatch(pattern string) error {
	var names []string
	for _, name := range h.g.TypeNames() {
		if name != "" {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		if h.exe == "" {
			return fmt.Errorf("no object type matches %q: types are unknown without the program's executable (--exe PROGRAM)", pattern)
		}
		return fmt.Errorf("no object type matches %q: no object of %s has a known type", pattern, h.dump.Path)
	}
	close := closestNames(pattern, names, 5)
	if h.exe == "" {
		return fmt.Errorf("no object type matches %q; closest types: %s; types are partial without the program's executable (--exe PROGRAM)", pattern, strings.Join(close, ", "))
	}
	return fmt.Errorf("no object type matches %q; closest types: %s", pattern, strings.Join(close, ", "))
}

// closestNames ranks names by edit distance from pattern (case-insensitive,
// against the name and against its part after the last '.'), ties broken
// by name.
func closestNames(pattern string, names []string, n int) []string {
	// Score against the literal text of the pattern: "main\\.Conn$" is
	// meant as "main.Conn".
	p := strings.ToLower(strings.NewReplacer(`\.`, ".", ".*", "", "^", "", "$", "", "(", "", ")", "", "\\", "").Replace(pattern))
	type scored struct {
		name string
		d    int
	}
	all := make([]scored, 0, len(names))
	for _, name := range names {
		lower := strings.ToLower(name)
		d := editDistance(p, lower)
		if i := strings.LastIndexByte(lower, '.'); i >= 0 {
			d = min(d, editDistance(p, lower[i+1:]))
		}
		if strings.Contains(lower, p) {
			d = 0
		}
		all = append(all, scored{name, d})
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].d != all[j].d {
			return all[i].d < all[j].d
		}
		return all[i].name < all[j].name
	})
	var out []string
	for i := 0; i < len(all) && i < n; i++ {
		out = append(out, all[i].name)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b (bytes).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
