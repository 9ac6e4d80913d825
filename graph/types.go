package graph

import "fmt"

// SetTypes attaches type names to the nodes: node n has type
// names[typeOf[n]]. Type id 0 means unknown and names[0] should be "".
// typeOf must have NumNodes() entries (or be nil to forget the types).
// The slices are kept, not copied.
func (g *Graph) SetTypes(names []string, typeOf []uint32) error {
	if typeOf != nil && len(typeOf) != g.NumNodes() {
		return fmt.Errorf("graph: %d type ids for %d nodes", len(typeOf), g.NumNodes())
	}
	for n, t := range typeOf {
		if int(t) >= len(names) {
			return fmt.Errorf("graph: node %d has type id %d, only %d type names", n, t, len(names))
		}
	}
	g.typeNames, g.typeOf = names, typeOf
	return nil
}

// TypeID returns the type id of node n, 0 when unknown.
func (g *Graph) TypeID(n NodeID) uint32 {
	if g.typeOf == nil {
		return 0
	}
	return g.typeOf[n]
}

// TypeName returns the type name of node n, "" when unknown.
func (g *Graph) TypeName(n NodeID) string {
	if g.typeOf == nil {
		return ""
	}
	return g.typeNames[g.typeOf[n]]
}

// TypeNames returns the type name table set by SetTypes.
func (g *Graph) TypeNames() []string { return g.typeNames }

// SetEdgeNamer sets the namer used by FieldName.
func (g *Graph) SetEdgeNamer(en EdgeNamer) { g.edgeNamer = en }

// SetRootNamer sets the namer used by RootSlotName.
func (g *Graph) SetRootNamer(rn RootNamer) { g.rootNamer = rn }

// FieldName names the slot at offset off of node from: the EdgeNamer's
// name if it has one, else "+0x18" style.
func (g *Graph) FieldName(from NodeID, off uint64) string {
	if g.edgeNamer != nil {
		if s := g.edgeNamer.FieldName(from, off); s != "" {
			return s
		}
	}
	return fmt.Sprintf("+%#x", off)
}

// RootSlotName names the slot at offset off of root r: the RootNamer's
// name if it has one, else "fn" / "obj" for finalizers, defers and panics,
// and "+0x18" style for memory slots.
func (g *Graph) RootSlotName(r int, off uint64) string {
	root := &g.roots[r]
	if g.rootNamer != nil {
		if s := g.rootNamer.RootSlotName(root, off); s != "" {
			return s
		}
	}
	switch root.Kind {
	case RootFinalizer:
		switch {
		case off >= FinalizerObjChild:
			return fmt.Sprintf("obj+%#x", off-FinalizerObjChild)
		case off == RootFieldFn:
			return "fn"
		default:
			return "obj"
		}
	case RootDefer:
		return "fn"
	case RootPanic:
		return "arg"
	case RootOther:
		return ""
	}
	return fmt.Sprintf("+%#x", off)
}
