package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// dump386Program writes a heap dump from a 32-bit process: heapgraph
// reads 64-bit dumps only, so it is input the command must refuse in one
// clean line.
const dump386Program = `package main

import (
	"os"
	"runtime/debug"
)

var keep []*int

func main() {
	for i := range 10 {
		keep = append(keep, &i)
	}
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	debug.WriteHeapDump(f.Fd())
	f.Close()
}
`

// TestLoadStepErrors checks that an error of a step after reading the
// dump (here typing a dump with 4-byte pointers, written by a GOARCH=386
// program built and run by the test) reads "heapgraph: DUMP: step: what
// is wrong", with no package prefix from the library.
func TestLoadStepErrors(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(dump386Program), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module dump386\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	prog := filepath.Join(dir, "dump386")
	build := exec.Command("go", "build", "-o", prog, ".")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOARCH=386", "GOFLAGS=", "GOWORK=off")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building a 386 program: %v\n%s", err, out)
	}
	dump := filepath.Join(dir, "386.dump")
	if out, err := exec.Command(prog, dump).CombinedOutput(); err != nil {
		t.Skipf("cannot run a 386 program here: %v\n%s", err, out)
	}
	r := runHeapgraph(t, "summary", dump)
	want := "heapgraph: " + dump + ": typing objects: 4-byte pointers are not supported\n"
	if got := string(r.stderr); got != want || r.code != exitFail {
		t.Errorf("summary of a 386 dump: exit %d, stderr %q; want exit %d, %q", r.code, got, exitFail, want)
	}
	if strings.Contains(string(r.stderr), "typing: ") {
		t.Errorf("stderr %q keeps the library's package prefix", r.stderr)
	}
}
