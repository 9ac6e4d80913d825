// Package gobinary reads what heapgraph needs from the executable of the
// program that wrote a heap dump: the Go types DWARF describes (with the
// address of each type's runtime descriptor, so a malloc header or an itab
// names a DWARF type), the global variables of the data and bss segments,
// the functions (so a closure's code pointer names its function, and a
// stack frame's slots can be typed from its locals), the Go version, and the
// data and bss bounds a dump must match.
//
// Only ELF executables are read (linux). Addresses are run-time addresses:
// for a position-independent executable, MatchDump relocates the Binary to
// where the dump says it was loaded.
//
// What the DWARF of Go 1.22 to 1.27 holds, as relied on here:
//
//   - Every type DIE carries DW_AT_go_kind (0x2900) and, for types with a
//     runtime descriptor, DW_AT_go_runtime_type (0x2904, DW_FORM_addr): an
//     offset from the runtime.types symbol. Only types some variable,
//     field or function uses are described; a type met only through an
//     interface or reflection (context.todoCtx, the classic map buckets
//     "map.bucket[K]V") has a descriptor but no DWARF: DescribeRuntimeType
//     reads its name, size and kind from the descriptor itself.
//   - Named non-struct types, maps, channels, funcs and interfaces are
//     typedefs; a few typedefs (the "interface {}" of compiler-made
//     structs) lack DW_AT_go_kind and take it from a type of the same name.
//   - Maps: typedef map[K]V -> *hash<K,V> {count, flags, B, ..., buckets
//     *bucket<K,V>, oldbuckets, nevacuate, extra} with bucket<K,V>
//     {tophash, keys [8]K, values [8]V, overflow} before Go 1.24; from Go
//     1.24 (Swiss tables) -> *map<K,V> {used, seed, dirPtr **table<K,V>,
//     dirLen, ...}, table<K,V> {..., groups groupReference<K,V>},
//     groupReference<K,V> {data *noalg.map.group[K]V, lengthMask}, and the
//     group type noalg.map.group[K]V {ctrl, slots [8]struct{key K; elem V}},
//     which has a runtime descriptor (malloc headers of group arrays name it).
//   - Channels: typedef chan T -> *hchan<T> (runtime.hchan with waitq<T>).
//   - Generic code shared by shape has types named go.shape.*.
//   - Locals and parameters have location lists (.debug_loc, DWARF 4, up
//     to Go 1.24; .debug_loclists with .debug_addr, DWARF 5, from Go 1.25)
//     made of DW_OP_call_frame_cfa / DW_OP_fbreg pieces; the CFA of a frame
//     is its caller's SP, so a frame dumped as [SP, SP+size) has its locals
//     at size+offset and its arguments at the bottom of the caller's frame.
//   - Captured variables of closures carry DW_AT_go_closure_offset (0x2907,
//     their offset in the closure object) in Go 1.24 and later, not in 1.22.
package gobinary
