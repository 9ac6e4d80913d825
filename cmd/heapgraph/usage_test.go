package main

import (
	"strings"
	"testing"
)

func TestUsageErrors(t *testing.T) {
	fails(t, 2, "no command given")
	fails(t, 2, `unknown command "frobnicate"`, "frobnicate", "x.dump")
	fails(t, 2, "unknown flag: --bogus", "top", "--bogus", "x.dump")
	fails(t, 2, "summary: too few arguments (usage: heapgraph summary [flags] DUMP [PROGRAM])", "summary")
	fails(t, 2, `too many arguments ["c"]`, "top", "a", "b", "c")
	fails(t, 2, "give exactly one of --type and --addr", "backrefs", "x.dump")
	fails(t, 2, "give exactly one of --type and --addr", "chain", "--type", "A", "--addr", "0x1", "x.dump")
	fails(t, 2, "--sort size: want one of bytes, count, retained", "top", "--sort", "size", "x.dump")
	fails(t, 2, "unknown image format", "backrefs", "--addr", "0x1", "-o", "out.jpg", "x.dump")
	fails(t, 2, "--limit", "top", "--limit", "many", "x.dump")
	fails(t, 2, "two executables given", "--exe", "a.exe", "summary", "x.dump", "b.exe")
	fails(t, 2, "refs: --addr is required", "refs", "x.dump")
}

func TestHelp(t *testing.T) {
	top := string(ok(t, "--help"))
	for _, c := range commands() {
		if !strings.Contains(top, "  "+c.name+" ") {
			t.Errorf("--help does not list %s", c.name)
		}
		help := string(ok(t, c.name, "--help"))
		if !strings.HasPrefix(help, "Usage:\n  heapgraph "+c.name) || !strings.Contains(help, "--exe PROGRAM") {
			t.Errorf("%s --help:\n%s", c.name, help)
		}
	}
	if h := string(ok(t, "backrefs", "-h")); !strings.Contains(h, "--max-depth N") || strings.Contains(h, "[=true|false]") {
		t.Errorf("backrefs -h:\n%s", h)
	}
}

func TestMissingDump(t *testing.T) {
	fails(t, 1, "no-such.dump", "summary", "no-such.dump")
}
