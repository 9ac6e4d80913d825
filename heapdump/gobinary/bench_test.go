package gobinary

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkOpen measures reading an executable: ELF symbols, every DWARF
// type, global and function. $HEAPGRAPH_BENCH_EXE adds an executable of
// your own (e.g. a large service).
func BenchmarkOpen(b *testing.B) {
	exes := []string{}
	for _, name := range []string{"leak-go1.26", "leak-go1.27", "leak-go1.22"} {
		exes = append(exes, filepath.Join(dumpsDir, name+".exe"))
	}
	if p := os.Getenv("HEAPGRAPH_BENCH_EXE"); p != "" {
		exes = append(exes, p)
	}
	for _, exe := range exes {
		name := filepath.Base(exe)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bin, err := Open(exe)
				if err != nil {
					b.Fatal(err)
				}
				if len(bin.Types) == 0 {
					b.Fatal("no types")
				}
			}
		})
	}
}
