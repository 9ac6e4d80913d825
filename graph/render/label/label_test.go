package label

import (
	"reflect"
	"testing"
)

func TestBytes(t *testing.T) {
	cases := map[uint64]string{
		0:             "0 B",
		48:            "48 B",
		1023:          "1023 B",
		1024:          "1.0 KiB",
		1536:          "1.5 KiB",
		20 << 10:      "20 KiB",
		5 << 20:       "5.0 MiB",
		3 << 30:       "3.0 GiB",
		1<<40 + 1<<39: "1.5 TiB",
	}
	for n, want := range cases {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestShortType(t *testing.T) {
	cases := map[string]string{
		"":                              "",
		"main.BackendManager":           "main.BackendManager",
		"*github.com/a/b.Conn":          "*b.Conn",
		"map[string]*example.com/x/y.Z": "map[string]*y.Z",
		"github.com/a/list.List[github.com/a/item.Item,int]": "list.List[item.Item,int]",
		"func(*net/http.Request) error":                      "func(*http.Request) error",
		"[]internal/poll.FD":                                 "[]poll.FD",
	}
	for in, want := range cases {
		if got := ShortType(in); got != want {
			t.Errorf("ShortType(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWrap(t *testing.T) {
	got := Wrap("map[string]*main.BackendManagerWithALongName", 20)
	want := []string{"map[string]", "*main.BackendManager", "WithALongName"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Wrap = %q, want %q", got, want)
	}
	if got := Wrap("abcdefghijklmnopqrstuvwxyz", 10); !reflect.DeepEqual(got, []string{"abcdefghij", "klmnopqrst", "uvwxyz"}) {
		t.Errorf("hard Wrap = %q", got)
	}
	for in, want := range map[string][]string{
		"map[interface {}]*main.Config":          {"map[interface {}]", "*main.Config"},
		"[4]map.group[interface {}]*main.Config": {"[4]map.group[interface {}]", "*main.Config"},
		"table<interface {},*main.Config>":       {"table<interface {},", "*main.Config>"},
	} {
		if got := Wrap(in, 28); !reflect.DeepEqual(got, want) {
			t.Errorf("Wrap(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Wrap("short", 20); !reflect.DeepEqual(got, []string{"short"}) {
		t.Errorf("Wrap(short) = %q", got)
	}
}

func TestTruncate(t *testing.T) {
	if got := Truncate("héllo world", 5); got != "héll…" {
		t.Errorf("Truncate = %q", got)
	}
	if got := Truncate("abc", 5); got != "abc" {
		t.Errorf("Truncate = %q", got)
	}
}
