// Command tiny builds the smallest useful heap: a three-item list held by one global.
//
// Usage: tiny <out.dump> <out.truth.json>
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"heapgraph.test/truth"
)

// Item is one node of a singly linked list.
type Item struct {
	Name   string
	Next   *Item
	Values []int
}

// head is the only root: a zero-valued global (bss) set at run time.
var head *Item

func build() {
	for i := 3; i >= 1; i-- {
		head = &Item{
			Name:   strings.Repeat(string(rune('a'+i-1)), 4+i), // heap string, not a literal
			Next:   head,
			Values: make([]int, i*2),
		}
	}
}

func recordTruth(path string) error {
	rec := truth.New("tiny")
	rec.Global("main.head", &head, "bss")
	if err := rec.Walk(); err != nil {
		return err
	}
	rec.Fact("items", 3)
	return rec.WriteFile(path)
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: tiny <out.dump> <out.truth.json>")
		os.Exit(2)
	}
	debug.SetGCPercent(-1) // no GC while building: the dump shows what we built
	build()
	runtime.GC()
	if err := recordTruth(os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "tiny:", err)
		os.Exit(1)
	}
	runtime.GC() // drop what the truth walk allocated
	if err := truth.WriteHeapDump(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "tiny:", err)
		os.Exit(1)
	}
	if err := truth.FinishFile(os.Args[2], nil); err != nil {
		fmt.Fprintln(os.Stderr, "tiny:", err)
		os.Exit(1)
	}
}
