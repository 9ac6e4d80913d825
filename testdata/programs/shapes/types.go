package main

import "math"

// Point is a small pointer-free struct.
type Point struct{ X, Y int }

// Inner nests an array of structs and holds pointers.
type Inner struct {
	Tag string
	Pts [3]Point
	Ref *Point
}

// Outer nests a struct, an array of arrays of pointers, and slices of structs and pointers.
type Outer struct {
	ID    int
	Inner Inner
	Grid  [2][2]*Point
	Items []Inner
	Ptrs  []*Point
	Name  string
	Note  *string
}

// Node is a singly linked list node.
type Node struct {
	Val  int
	Next *Node
}

// Tree is a binary search tree node with a parent pointer (every edge is a 2-cycle).
type Tree struct {
	Key         string
	Left, Right *Tree
	Parent      *Tree
}

// Ring nodes form a cycle.
type Ring struct {
	Name string
	Next *Ring
}

// Shape is implemented by a value receiver (Circle, boxed in an interface) and a pointer
// receiver (*Rect, stored directly in the interface data word).
type Shape interface{ Area() float64 }

// Circle is pointer-free; as a Shape it is boxed.
type Circle struct{ R float64 }

// Area implements Shape.
func (c Circle) Area() float64 { return math.Pi * c.R * c.R }

// Rect holds a pointer.
type Rect struct {
	W, H  float64
	Label *string
}

// Area implements Shape.
func (r *Rect) Area() float64 { return r.W * r.H }

// List is a generic linked list.
type List[T any] struct {
	head *elem[T]
	n    int
}

type elem[T any] struct {
	val  T
	next *elem[T]
}

// Push adds v at the front.
func (l *List[T]) Push(v T) {
	l.head = &elem[T]{val: v, next: l.head}
	l.n++
}

// Pair is a generic two-field struct.
type Pair[K comparable, V any] struct {
	Key K
	Val V
}

// Job travels through a buffered channel.
type Job struct {
	ID      int
	Payload []byte
	Owner   *Node
}

// Big is a large object (> 32 KiB) holding pointers: it gets a span of its own.
type Big struct {
	Ptrs [4500]*Point
	Tail string
}

// Medium is between 512 B and 32 KiB and holds pointers: Go 1.22+ puts an 8-byte
// malloc header (its type) in front of it.
type Medium struct {
	Ptrs [100]*Point
	Name string
}

// BigVal is over 128 bytes, so maps store it out of line (a pointer in the slot).
type BigVal struct {
	Refs [20]*Point
}
