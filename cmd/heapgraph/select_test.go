package main

import (
	"reflect"
	"testing"
)

func TestClosestNames(t *testing.T) {
	names := []string{"main.BackendManager", "main.Config", "main.Conn", "context.cancelCtx", "map[string]string", "main.prefixLogger"}
	cases := map[string][]string{
		"BackendManger": {"main.BackendManager", "main.Config", "main.Conn"}, // typo: the short name is 1 edit away
		"conn":          {"main.Conn", "main.Config", "context.cancelCtx"},   // substring first, then distance
		"Logger$":       {"main.prefixLogger", "main.Config", "main.Conn"},   // regexp syntax ignored
		`^main\.Confg$`: {"main.Config", "main.Conn", "context.cancelCtx"},
	}
	for pattern, want := range cases {
		if got := closestNames(pattern, names, 3); !reflect.DeepEqual(got, want) {
			t.Errorf("closestNames(%q) = %q, want %q", pattern, got, want)
		}
	}
}

func TestParseAddr(t *testing.T) {
	for in, want := range map[string]uint64{"0xc000012345": 0xc000012345, "c000012345": 0xc000012345, "0X10": 0x10} {
		if got, err := parseAddr(in); err != nil || got != want {
			t.Errorf("parseAddr(%q) = %#x, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "0x", "xyz", "0x1_0", "-1"} {
		if _, err := parseAddr(in); err == nil {
			t.Errorf("parseAddr(%q): no error", in)
		}
	}
}
