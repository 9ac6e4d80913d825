// Package typing gives heap objects Go types and names the pointer slots
// of objects and roots, from the executable's DWARF (package gobinary) and
// the dump.
//
// Evidence, strongest first:
//   - the malloc header of an object (its runtime type descriptor);
//   - a typed root: a global's DWARF type, a stack frame's variables at the
//     frame's pc (only in the words the runtime's stack maps say are live
//     pointers: a dead variable's slot may hold a stale pointer), a
//     finalizer's object type, a panic value;
//   - propagation: a typed object's pointer slots type their targets,
//     through structs, arrays, slices (backing arrays [cap]T), strings
//     ("string data"), interfaces (the itab's or type word's dynamic type;
//     boxed values), maps (classic buckets and Swiss tables: directory,
//     tables, groups), channels (their buffers), closures (the function the
//     code pointer names, and its captured variables), atomic pointers and
//     sync.Map's trie nodes, and statically allocated values the linker
//     put in the data segment;
//   - weak: a pointer to a scalar (*byte, *int) may point into a larger
//     block, so it types an object only when nothing else does.
//
// Objects are visited breadth first from the evidence, strongest evidence
// first, so an object takes the type of the shortest chain from the
// strongest evidence, whatever order the roots come in; among candidates
// at the same distance, a type that extends the other (a struct whose first
// field is the other type, a longer array) wins, then the larger one, then
// the first by name. Once an object is walked, a later candidate only
// replaces its type if it extends it (it is then walked again), or, for a
// type from a malloc header, gives the exact length of an array.
// unsafe.Pointer and uintptr slots type nothing, interior pointers say
// nothing of the object they point into, and what no evidence reaches
// stays unknown.
//
// Without the executable, the dump alone names the boxed values of itab
// types, the objects of finalizers whose type the dump records, the
// runtime.g of each goroutine record (and the runtime._defer and
// runtime._panic of defer and panic records), and, in explanations, the
// allocation site of objects the memory profile sampled.
package typing
