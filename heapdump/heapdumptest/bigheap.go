// Package heapdumptest makes big heap dumps for benchmarks, so that the
// benchmarks of heapdump, graph and graph/typing measure the same kind of
// heap without committing gigabytes of test data.
package heapdumptest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
)

// BigHeap returns the paths of the heapdump/testdata/bigheap generator
// and of a dump of about objects heap objects that it wrote (a linked
// list, strings, byte slices, a map, records with malloc headers).
//
// The first call builds the generator with the local go command and runs
// it; both files are cached in $HEAPGRAPH_BENCH_DIR (default
// os.UserCacheDir()/heapgraph-bench) under names that change with the
// generator's source and the toolchain, so later runs and other packages
// reuse them. tb is skipped when there is no go command or no checkout to
// build the generator from.
func BigHeap(tb testing.TB, objects int) (exe, dump string) {
	tb.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		tb.Skip("no go command to build heapdump/testdata/bigheap:", err)
	}
	// The generator sits beside this package in the source tree.
	_, self, _, ok := runtime.Caller(0)
	if !ok {
		tb.Skip("cannot locate heapdump/testdata/bigheap")
	}
	gen := filepath.Join(filepath.Dir(self), "..", "testdata", "bigheap")
	src, err := os.ReadFile(filepath.Join(gen, "main.go"))
	if err != nil {
		tb.Skip("no heapdump/testdata/bigheap source:", err)
	}

	dir := os.Getenv("HEAPGRAPH_BENCH_DIR")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			tb.Fatal(err)
		}
		dir = filepath.Join(cache, "heapgraph-bench")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	sum := sha256.Sum256(append(src, runtime.Version()...))
	key := hex.EncodeToString(sum[:6])
	exe = filepath.Join(dir, "bigheap-"+key)
	dump = filepath.Join(dir, fmt.Sprintf("bigheap-%d-%s.dump", objects, key))

	// Benchmarks of several packages may run at once: each writes to a
	// file of its own and renames it into place, which is atomic.
	if _, err := os.Stat(exe); err != nil {
		tmp := fmt.Sprintf("%s.tmp%d", exe, os.Getpid())
		build := exec.Command(goCmd, "build", "-o", tmp, ".")
		build.Dir = gen
		if out, err := build.CombinedOutput(); err != nil {
			tb.Fatalf("build heapdump/testdata/bigheap: %v\n%s", err, out)
		}
		if err := os.Rename(tmp, exe); err != nil {
			tb.Fatal(err)
		}
	}
	if _, err := os.Stat(dump); err != nil {
		tmp := fmt.Sprintf("%s.tmp%d", dump, os.Getpid())
		run := exec.Command(exe, "-objects", strconv.Itoa(objects), "-o", tmp)
		if out, err := run.CombinedOutput(); err != nil {
			tb.Fatalf("run bigheap: %v\n%s", err, out)
		}
		if err := os.Rename(tmp, dump); err != nil {
			tb.Fatal(err)
		}
	}
	return exe, dump
}
