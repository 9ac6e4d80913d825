package typing

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/heapgraph/heapgraph/heapdump"
	"github.com/heapgraph/heapgraph/heapdump/gobinary"
)

const dumpsDir = "../../testdata/dumps"

type truthObject struct {
	Address string `json:"address"`
	Type    string `json:"type"`
	Kind    string `json:"kind"`
	Path    string `json:"path"`
}

type truthFile struct {
	Objects []truthObject `json:"objects"`
}

var pkgPath = regexp.MustCompile(`[\w.\-]+(/[\w.\-]+)+\.`)

// shortName spells a type name with package names, not import paths, as
// reflect's String does for unnamed types.
func shortName(s string) string {
	return pkgPath.ReplaceAllStringFunc(s, func(p string) string { return p[strings.LastIndexByte(p[:len(p)-1], '/')+1:] })
}

// score is a typing's accuracy on one program's ground truth.
type score struct {
	correct, wrong, unknown int
	interior, missing       int // truth objects not at the start of a dump object / not in it
	wrongExamples           []string
	unknownExamples         []string
}

func (s score) total() int { return s.correct + s.wrong + s.unknown }

func (s score) String() string {
	n := float64(max(s.total(), 1))
	return fmt.Sprintf("%5d objects: correct %6.2f%%  wrong %5.2f%%  unknown %5.2f%%  (+%d inside tiny blocks, %d missing)",
		s.total(), 100*float64(s.correct)/n, 100*float64(s.wrong)/n, 100*float64(s.unknown)/n, s.interior, s.missing)
}

// openBinary opens the executable of a test case, once per test binary
// (it is not modified after Match has relocated it).
func openBinary(t testing.TB, base string) *gobinary.Binary {
	t.Helper()
	binaries.Lock()
	defer binaries.Unlock()
	if b := binaries.m[base]; b != nil {
		return b
	}
	b, err := gobinary.Open(base + ".exe")
	if err != nil {
		t.Fatal(err)
	}
	binaries.m[base] = b
	return b
}

var binaries = struct {
	sync.Mutex
	m map[string]*gobinary.Binary
}{m: map[string]*gobinary.Binary{}}

func typeCase(t testing.TB, base string) (*heapdump.Dump, *Types) {
	b := openBinary(t, base)
	d, err := heapdump.Open(base+".dump", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := b.MatchDump(d.Params.GoVersion, d.Data.Addr, d.Data.Size, d.BSS.Addr, d.BSS.Size); err != nil {
		t.Fatal(err)
	}
	ty, err := New(d, b)
	if err != nil {
		t.Fatal(err)
	}
	return d, ty
}

func scoreCase(t *testing.T, base string) score {
	d, ty := typeCase(t, base)
	raw, err := os.ReadFile(base + ".truth.json")
	if err != nil {
		t.Fatal(err)
	}
	var tr truthFile
	if err := json.Unmarshal(raw, &tr); err != nil {
		t.Fatal(err)
	}
	byAddr := map[uint64][]truthObject{}
	var addrs []uint64
	for _, o := range tr.Objects {
		a, err := strconv.ParseUint(strings.TrimPrefix(o.Address, "0x"), 16, 64)
		if err != nil {
			t.Fatal(err)
		}
		if byAddr[a] == nil {
			addrs = append(addrs, a)
		}
		byAddr[a] = append(byAddr[a], o)
	}
	sort.Slice(addrs, func(i, j int) bool { return addrs[i] < addrs[j] })
	var s score
	for _, a := range addrs {
		objs := byAddr[a]
		j := d.Find(a)
		switch {
		case j < 0:
			s.missing++
			continue
		case d.Addr(j) != a:
			s.interior++
			continue
		}
		got := shortName(ty.TypeName(j))
		if got == "" {
			s.unknown++
			s.unknownExamples = append(s.unknownExamples, fmt.Sprintf("%#x %s (%s via %s)", a, objs[0].Type, objs[0].Kind, objs[0].Path))
			continue
		}
		ok := false
		for _, o := range objs {
			if shortName(o.Type) == got {
				ok = true
			}
		}
		if ok {
			s.correct++
		} else {
			s.wrong++
			s.wrongExamples = append(s.wrongExamples, fmt.Sprintf("%#x typed %s, truth %s (%s via %s); %s", a, got, objs[0].Type, objs[0].Kind, objs[0].Path, ty.Explain(j)))
		}
	}
	return s
}

// TestAccuracy types every committed dump and compares with its ground
// truth: no object may get a wrong type, and at least 99% of the truth
// objects must be typed.
func TestAccuracy(t *testing.T) {
	exes, err := filepath.Glob(filepath.Join(dumpsDir, "*.exe"))
	if err != nil {
		t.Fatal(err)
	}
	var table []string
	for _, exe := range exes {
		base := strings.TrimSuffix(exe, ".exe")
		name := filepath.Base(base)
		if strings.Contains(name, "stripped") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			s := scoreCase(t, base)
			table = append(table, fmt.Sprintf("%-22s %s", name, s))
			for _, e := range s.wrongExamples[:min(len(s.wrongExamples), 10)] {
				t.Errorf("wrong: %s", e)
			}
			for _, e := range s.unknownExamples[:min(len(s.unknownExamples), 40)] {
				t.Logf("unknown: %s", e)
			}
			if s.total() == 0 {
				t.Fatal("no truth object found in the dump")
			}
			if float64(s.correct) < 0.99*float64(s.total()) {
				t.Errorf("correct %d of %d (%d unknown), want >= 99%%", s.correct, s.total(), s.unknown)
			}
		})
	}
	t.Logf("accuracy:\n%s", strings.Join(table, "\n"))
}
