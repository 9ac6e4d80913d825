package main

import (
	"strings"
	"testing"
)

// TestObjectsExplain checks `objects --explain`: every object gets a
// reason, typed objects' reasons start with their type, the leaked
// BackendManagers are typed by the map that holds them, and objects with
// a malloc header say so. Without --explain the field is absent.
func TestObjectsExplain(t *testing.T) {
	needFile(t, leakDump)
	needFile(t, leakExe)
	var managers, headers int
	for _, o := range objectsOf(t, "--explain", leakDump, leakExe) {
		switch {
		case o.Explain == "":
			t.Fatalf("object %s (%s): no explanation", o.Addr, o.Type)
		case o.Type == "" && !strings.HasPrefix(o.Explain, "unknown"):
			t.Errorf("untyped object %s explained as %q", o.Addr, o.Explain)
		case o.Type != "" && !strings.HasPrefix(o.Explain, o.Type+":"):
			t.Errorf("object %s of type %s explained as %q", o.Addr, o.Type, o.Explain)
		}
		if o.Type == "main.BackendManager" && o.Reachable {
			managers++
			if !strings.Contains(o.Explain, "map key") && !strings.Contains(o.Explain, "goroutine") {
				t.Errorf("BackendManager %s explained as %q: want the map key or goroutine holding it", o.Addr, o.Explain)
			}
		}
		if strings.Contains(o.Explain, "malloc header") {
			headers++
		}
	}
	if managers != 22 {
		t.Errorf("%d reachable BackendManagers explained, want 22", managers)
	}
	if headers == 0 {
		t.Error("no object explained by its malloc header")
	}
	for _, o := range objectsOf(t, leakDump, leakExe) {
		if o.Explain != "" {
			t.Fatalf("objects without --explain gave %q for %s", o.Explain, o.Addr)
		}
	}
	text := string(ok(t, "objects", "--explain", "--type", "BackendManager", leakDump, leakExe))
	if !strings.Contains(text, "main.BackendManager  — main.BackendManager: held by") {
		t.Errorf("objects --explain text lacks the reason column:\n%s", text)
	}
}
