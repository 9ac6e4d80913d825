package typing

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/heapgraph/heapgraph/heapdump/gobinary"
)

// shape says how an object type is laid out beyond its DWARF type.
type shape uint8

const (
	shapeValue      shape = iota // one value of elem (or count of them)
	shapeStringData              // the bytes of strings
	shapeClosure                 // a funcval: code pointer then captured variables
	shapeMap                     // a map header (hash<K,V> or map<K,V>); elem is the map type
	shapeChan                    // a channel (hchan<T>); elem is the channel type
	shapeDescribed               // known only from a runtime type descriptor: name and size
)

// objType is the type of a heap object: count values of elem laid end to
// end (count 0: a single value), or a special shape.
type objType struct {
	name  string
	elem  *gobinary.Type
	count uint64
	shape shape
	fn    *gobinary.Func // closures: the function, nil if unknown
	size  uint64         // bytes the type covers
	weak  bool           // a scalar a pointer names: the object may be a larger block holding it
}

// typeKey identifies an objType for interning.
type typeKey struct {
	elem  *gobinary.Type
	count uint64
	shape shape
	fn    *gobinary.Func
	name  string
}

// typeTable interns object types; id 0 is "unknown". Walkers reach it
// through a typeCache.
type typeTable struct {
	types []objType // an id's objType never changes
	ids   map[typeKey]uint32
}

func newTypeTable() *typeTable {
	return &typeTable{types: []objType{{}}, ids: map[typeKey]uint32{}}
}

func (tt *typeTable) intern(t objType) uint32 {
	k := typeKey{t.elem, t.count, t.shape, t.fn, t.name}
	if id, ok := tt.ids[k]; ok {
		return id
	}
	if t.name == "" {
		t.name = displayName(t)
	}
	// A pointer to a scalar may point into a larger block (string bytes,
	// an array): weak evidence.
	t.weak = t.shape == shapeValue && t.count == 0 && t.elem != nil &&
		t.elem.Kind != gobinary.KindStruct && t.elem.Kind != gobinary.KindArray && !t.elem.HasPointers()
	id := uint32(len(tt.types))
	tt.types = append(tt.types, t)
	tt.ids[k] = id
	return id
}

// typeCache is a walker's front to the typeTable: the ids of the common
// types without hashing a name.
type typeCache struct {
	tt     *typeTable
	values []uint32 // id of a single value of gobinary type i, 0 if not made yet
	arrays map[arrayKey]uint32
}

// maxArrayBytes bounds the size of an array type: beyond any heap.
const maxArrayBytes = 1 << 48

// arrayKey finds [count]elem without hashing a name.
type arrayKey struct {
	elem  *gobinary.Type
	count uint64
}

func newTypeCache(tt *typeTable, numTypes int) *typeCache {
	return &typeCache{tt: tt, values: make([]uint32, numTypes), arrays: map[arrayKey]uint32{}}
}

func (c *typeCache) intern(t objType) uint32 { return c.tt.intern(t) }

// value returns the id of a single value of t.
func (c *typeCache) value(t *gobinary.Type) uint32 {
	if t.ID < 0 || t.ID >= len(c.values) {
		return c.tt.intern(objType{elem: t, size: t.Size})
	}
	if id := c.values[t.ID]; id != 0 {
		return id
	}
	id := c.tt.intern(objType{elem: t, size: t.Size})
	c.values[t.ID] = id
	return id
}

// array returns the id of [n]t, or 0 (no type) when no heap object can
// be that large (a corrupt length).
func (c *typeCache) array(t *gobinary.Type, n uint64) uint32 {
	if n > maxArrayBytes/max(t.Size, 1) {
		return 0
	}
	k := arrayKey{t, n}
	if id, ok := c.arrays[k]; ok {
		return id
	}
	id := c.tt.intern(objType{elem: t, count: n, size: n * t.Size})
	c.arrays[k] = id
	return id
}

func (tt *typeTable) names() []string {
	s := make([]string, len(tt.types))
	for i, t := range tt.types {
		s[i] = t.name
	}
	return s
}

// cleanName drops the compiler's "noalg." marks from internal type names.
func cleanName(s string) string { return strings.ReplaceAll(s, "noalg.", "") }

func displayName(t objType) string {
	switch t.shape {
	case shapeStringData:
		return "string data"
	case shapeClosure:
		if t.fn != nil {
			return "func " + t.fn.Name
		}
		return "func"
	}
	if t.elem == nil {
		return ""
	}
	if t.count > 0 {
		return fmt.Sprintf("[%d]%s", t.count, cleanName(t.elem.Name))
	}
	return cleanName(t.elem.Name)
}

// typeOrder orders object types by what they are (name first), not by id.
func typeOrder(a, b *objType) int {
	if c := strings.Compare(a.name, b.name); c != 0 {
		return c
	}
	if c := cmp.Compare(a.shape, b.shape); c != 0 {
		return c
	}
	if c := cmp.Compare(a.count, b.count); c != 0 {
		return c
	}
	if c := cmp.Compare(funcName(a.fn), funcName(b.fn)); c != 0 {
		return c
	}
	if c := cmp.Compare(typeID(a.elem), typeID(b.elem)); c != 0 {
		return c
	}
	return cmp.Compare(a.size, b.size)
}

func funcName(f *gobinary.Func) string {
	if f == nil {
		return ""
	}
	return f.Name
}

func typeID(t *gobinary.Type) int {
	if t == nil {
		return -1
	}
	return t.ID
}

// sortIDs renumbers the types in typeOrder (0 stays unknown) and returns
// the map from old ids to new ones.
func (tt *typeTable) sortIDs() []uint32 {
	order := make([]uint32, len(tt.types)-1)
	for i := range order {
		order[i] = uint32(i + 1)
	}
	slices.SortFunc(order, func(a, b uint32) int { return typeOrder(&tt.types[a], &tt.types[b]) })
	remap := make([]uint32, len(tt.types))
	sorted := make([]objType, 1, len(tt.types))
	for k, old := range order {
		remap[old] = uint32(k + 1)
		sorted = append(sorted, tt.types[old])
	}
	tt.types = sorted
	for k, id := range tt.ids {
		tt.ids[k] = remap[id]
	}
	return remap
}
