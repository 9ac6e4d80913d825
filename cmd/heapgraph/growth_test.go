package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
)

// The growth program (testdata/programs/growth) dumps its heap twice while
// its leak runs and records the objects per type at each moment.
const (
	growthOld   = "../../testdata/dumps/growth/growth-go1.26.1.dump"
	growthNew   = "../../testdata/dumps/growth/growth-go1.26.2.dump"
	growthExe   = "../../testdata/dumps/growth/growth-go1.26.exe"
	growthTruth = "../../testdata/dumps/growth/growth-go1.26.truth.json"
)

// growthTruthDoc is the growth program's truth file.
type growthTruthDoc struct {
	GoVersion string `json:"go_version"`
	Facts     struct {
		LeakedType      string `json:"leaked_type"`
		LeakedFirst     int    `json:"leaked_first"`
		LeakedBetween   int    `json:"leaked_between"`
		ConnsPerManager int    `json:"conns_per_manager"`
	} `json:"facts"`
	Counts1 map[string]int `json:"counts_1"`
	Counts2 map[string]int `json:"counts_2"`
}

func readGrowthTruth(t *testing.T) *growthTruthDoc {
	t.Helper()
	needFile(t, growthTruth)
	b, err := os.ReadFile(growthTruth)
	if err != nil {
		t.Fatal(err)
	}
	var doc growthTruthDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", growthTruth, err)
	}
	if doc.Facts.LeakedType == "" || doc.Facts.LeakedBetween <= 0 || doc.Counts2[doc.Facts.LeakedType] == 0 {
		t.Fatalf("%s: incomplete truth %+v", growthTruth, doc)
	}
	return &doc
}

// growthSummaryJSON is the part of `summary --format json` the growth
// totals are checked against.
type growthSummaryJSON struct {
	Objects          int    `json:"objects"`
	Bytes            uint64 `json:"bytes"`
	ReachableObjects int    `json:"reachable_objects"`
	ReachableBytes   uint64 `json:"reachable_bytes"`
}

// growthJSON is the growth --format json contract.
type growthJSON struct {
	Reachable bool            `json:"reachable"`
	Old       growthDumpJSON  `json:"old"`
	New       growthDumpJSON  `json:"new"`
	Rows      []growthRowJSON `json:"rows"`
}

type growthDumpJSON struct {
	Path       string `json:"path"`
	Executable string `json:"executable"`
	Objects    int    `json:"objects"`
	Bytes      uint64 `json:"bytes"`
}

type growthRowJSON struct {
	Type          string  `json:"type"`
	SizeClass     uint64  `json:"size_class"`
	CountOld      int     `json:"count_old"`
	CountNew      int     `json:"count_new"`
	CountDelta    int64   `json:"count_delta"`
	BytesOld      uint64  `json:"bytes_old"`
	BytesNew      uint64  `json:"bytes_new"`
	BytesDelta    int64   `json:"bytes_delta"`
	RetainedOld   *uint64 `json:"retained_old"`
	RetainedNew   *uint64 `json:"retained_new"`
	RetainedDelta *int64  `json:"retained_delta"`
}

func growthOf(t *testing.T, args ...string) growthJSON {
	t.Helper()
	needFile(t, growthOld)
	needFile(t, growthNew)
	out := ok(t, append([]string{"growth", "--format", "json"}, args...)...)
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields()
	var g growthJSON
	if err := dec.Decode(&g); err != nil {
		t.Fatalf("growth JSON: %v\n%s", err, out)
	}
	if g.Rows == nil {
		t.Fatalf("growth JSON: rows is not an array:\n%s", out)
	}
	return g
}

// checkRows checks what holds for every row: deltas are new minus old, a
// type is named or has a size class (never both), no type appears twice.
func checkRows(t *testing.T, g growthJSON) {
	t.Helper()
	seen := map[growthRowJSON]bool{}
	for _, r := range g.Rows {
		if r.CountDelta != int64(r.CountNew)-int64(r.CountOld) || r.BytesDelta != int64(r.BytesNew)-int64(r.BytesOld) {
			t.Errorf("row %+v: deltas are not new - old", r)
		}
		if (r.Type == "") == (r.SizeClass == 0) {
			t.Errorf("row %+v: want a type or a size class", r)
		}
		key := growthRowJSON{Type: r.Type, SizeClass: r.SizeClass}
		if seen[key] {
			t.Errorf("row %q/%d appears twice", r.Type, r.SizeClass)
		}
		seen[key] = true
	}
}

func findRow(g growthJSON, typ string, sizeClass uint64) *growthRowJSON {
	for i, r := range g.Rows {
		if r.Type == typ && r.SizeClass == sizeClass {
			return &g.Rows[i]
		}
	}
	return nil
}

// TestGrowthWithExe: with the executable, every type the program defines
// has, in each dump, the count the program recorded, so the leaked type
// grows by exactly the sessions served between the dumps; it is the row
// that grew most.
func TestGrowthWithExe(t *testing.T) {
	truth := readGrowthTruth(t)
	leaked := truth.Facts.LeakedType
	g := growthOf(t, "--exe", growthExe, growthOld, growthNew)
	checkRows(t, g)
	if g.Old.Path != growthOld || g.New.Path != growthNew || g.Old.Executable != growthExe || g.New.Executable != growthExe {
		t.Errorf("old %+v, new %+v: want the paths given", g.Old, g.New)
	}
	if len(g.Rows) == 0 || g.Rows[0].Type != leaked {
		t.Fatalf("first row %+v, want %s (it grew the most bytes)", g.Rows, leaked)
	}
	r := g.Rows[0]
	if r.CountOld != truth.Facts.LeakedFirst || r.CountDelta != int64(truth.Facts.LeakedBetween) {
		t.Errorf("%s: %d -> %d (%+d), want %d -> +%d", leaked, r.CountOld, r.CountNew, r.CountDelta, truth.Facts.LeakedFirst, truth.Facts.LeakedBetween)
	}
	if r.BytesOld == 0 || r.BytesNew*uint64(r.CountOld) != r.BytesOld*uint64(r.CountNew) {
		t.Errorf("%s: bytes %d -> %d for %d -> %d objects of one size", leaked, r.BytesOld, r.BytesNew, r.CountOld, r.CountNew)
	}
	for i := 1; i < len(g.Rows); i++ {
		if g.Rows[i].BytesDelta > g.Rows[i-1].BytesDelta {
			t.Errorf("rows not sorted by bytes_delta: %+v before %+v", g.Rows[i-1], g.Rows[i])
		}
	}
	for _, r := range g.Rows {
		if r.CountDelta <= 0 && r.BytesDelta <= 0 {
			t.Errorf("row %+v did not grow (no --all)", r)
		}
		if r.RetainedDelta != nil {
			t.Errorf("row %+v: retained without --sort retained", r)
		}
	}

	// Every type of package main the program recorded, in both dumps.
	all := growthOf(t, "--exe", growthExe, "--all", "--limit", "0", growthOld, growthNew)
	checkRows(t, all)
	checked := 0
	for typ, n2 := range truth.Counts2 {
		if !strings.HasPrefix(typ, "main.") {
			continue // string data, backing arrays: the runtime makes some too
		}
		checked++
		r := findRow(all, typ, 0)
		if r == nil {
			t.Errorf("%s: no row", typ)
			continue
		}
		if r.CountOld != truth.Counts1[typ] || r.CountNew != n2 {
			t.Errorf("%s: %d -> %d objects, truth %d -> %d", typ, r.CountOld, r.CountNew, truth.Counts1[typ], n2)
		}
	}
	if checked < 3 {
		t.Errorf("truth has only %d main types", checked)
	}
	// With --all and no limit the rows add up to the dumps' totals.
	var objsOld, objsNew int
	var bytesOld, bytesNew uint64
	for _, r := range all.Rows {
		objsOld += r.CountOld
		objsNew += r.CountNew
		bytesOld += r.BytesOld
		bytesNew += r.BytesNew
	}
	if objsOld != all.Old.Objects || objsNew != all.New.Objects || bytesOld != all.Old.Bytes || bytesNew != all.New.Bytes {
		t.Errorf("rows add up to %d/%d objects, %d/%d bytes; dumps say %+v, %+v", objsOld, objsNew, bytesOld, bytesNew, all.Old, all.New)
	}
	// By default only reachable objects are counted; --reachable=false
	// counts the garbage too. Both agree with summary.
	var s growthSummaryJSON
	if err := json.Unmarshal(ok(t, "summary", "--format", "json", growthNew), &s); err != nil {
		t.Fatal(err)
	}
	// (The runtime leaves a few objects of its own unswept in these dumps,
	// see summary's garbage_objects, so the two counts differ.)
	if !all.Reachable || all.New.Objects != s.ReachableObjects || all.New.Bytes != s.ReachableBytes {
		t.Errorf("growth counts %d objects, %d bytes (reachable %v) in the new dump; summary: %d reachable, %d bytes",
			all.New.Objects, all.New.Bytes, all.Reachable, s.ReachableObjects, s.ReachableBytes)
	}
	everything := growthOf(t, "--exe", growthExe, "--reachable=false", "--all", "--limit", "0", growthOld, growthNew)
	checkRows(t, everything)
	if everything.Reachable || everything.New.Objects != s.Objects || everything.New.Bytes != s.Bytes {
		t.Errorf("--reachable=false counts %d objects, %d bytes (reachable %v) in the new dump; summary %d, %d",
			everything.New.Objects, everything.New.Bytes, everything.Reachable, s.Objects, s.Bytes)
	}
	if r := findRow(everything, leaked, 0); r == nil || r.CountDelta != int64(truth.Facts.LeakedBetween) {
		t.Errorf("--reachable=false: %s row %+v, want +%d", leaked, r, truth.Facts.LeakedBetween)
	}
}

// TestGrowthWithoutExe: without the executable the leaked objects have no
// type, and their size-class row grows by the same amount.
func TestGrowthWithoutExe(t *testing.T) {
	truth := readGrowthTruth(t)
	leaked := truth.Facts.LeakedType
	typed := findRow(growthOf(t, "--exe", growthExe, growthOld, growthNew), leaked, 0)
	if typed == nil || typed.CountNew == 0 {
		t.Fatalf("no %s row with --exe", leaked)
	}
	slot := typed.BytesNew / uint64(typed.CountNew)

	g := growthOf(t, "--limit", "0", growthOld, growthNew)
	checkRows(t, g)
	if g.Old.Executable != "" || findRow(g, leaked, 0) != nil {
		t.Errorf("without --exe: executable %q, or a %s row", g.Old.Executable, leaked)
	}
	r := findRow(g, "", slot)
	if r == nil {
		t.Fatalf("no size class %d row:\n%+v", slot, g.Rows)
	}
	// The program gives BackendManager a size class of its own, so the row
	// holds exactly the managers.
	if r.CountOld != truth.Counts1[leaked] || r.CountNew != truth.Counts2[leaked] || r.CountDelta != int64(truth.Facts.LeakedBetween) {
		t.Errorf("size class %d: %d -> %d (%+d), want %d -> %d (+%d)", slot, r.CountOld, r.CountNew, r.CountDelta,
			truth.Counts1[leaked], truth.Counts2[leaked], truth.Facts.LeakedBetween)
	}
	if g.Rows[0] != *r {
		t.Errorf("first row %+v, want the size class %d row", g.Rows[0], slot)
	}
}

// TestGrowthText: the table leads with the leaked type and its signed
// deltas, under one line per dump.
func TestGrowthText(t *testing.T) {
	truth := readGrowthTruth(t)
	out := string(ok(t, "growth", "--exe", growthExe, "--limit", "2", growthOld, growthNew))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 7 {
		t.Fatalf("want 2 dump lines, a blank, a header, 2 rows and a \"more\" line:\n%s", out)
	}
	if !strings.HasPrefix(lines[0], "old: "+growthOld+" (") || !strings.HasPrefix(lines[1], "new: "+growthNew+" (") {
		t.Errorf("dump lines:\n%s", out)
	}
	if f := strings.Fields(lines[3]); strings.Join(f, " ") != "COUNT +COUNT BYTES +BYTES TYPE" {
		t.Errorf("header %q", lines[3])
	}
	f := strings.Fields(lines[4])
	wantCount := []string{strconv.Itoa(truth.Counts2[truth.Facts.LeakedType]), "+" + strconv.Itoa(truth.Facts.LeakedBetween)}
	if len(f) < 3 || f[0] != wantCount[0] || f[1] != wantCount[1] || f[len(f)-1] != truth.Facts.LeakedType || !strings.HasPrefix(f[4], "+") {
		t.Errorf("first row %q, want %v ... %s", lines[4], wantCount, truth.Facts.LeakedType)
	}
	if !strings.HasPrefix(lines[6], "... ") || !strings.HasSuffix(lines[6], " more types grew (--limit 0 shows all)") {
		t.Errorf("last line %q", lines[6])
	}

	// Swapped, nothing grew; with --all the managers shrank.
	if out := string(ok(t, "growth", "--exe", growthExe, growthNew, growthOld)); !strings.HasSuffix(out, "\nno type grew (--all lists every type)\n") {
		t.Errorf("new -> old:\n%s", out)
	}
	g := growthOf(t, "--exe", growthExe, "--all", "--limit", "0", growthNew, growthOld)
	if r := findRow(g, truth.Facts.LeakedType, 0); r == nil || r.CountDelta != -int64(truth.Facts.LeakedBetween) || r.BytesDelta >= 0 {
		t.Errorf("new -> old: %+v, want %d fewer", r, truth.Facts.LeakedBetween)
	}
	if last := g.Rows[len(g.Rows)-1]; last.BytesDelta >= 0 {
		t.Errorf("new -> old --all: last row %+v, want the largest shrink last", last)
	}
}

// TestGrowthOptions: per-dump executables, sorting by count and by
// retained bytes.
func TestGrowthOptions(t *testing.T) {
	truth := readGrowthTruth(t)
	leaked := truth.Facts.LeakedType
	both := ok(t, "growth", "--format", "json", "--exe", growthExe, growthOld, growthNew)
	each := ok(t, "growth", "--format", "json", "--old-exe", growthExe, "--new-exe", growthExe, growthOld, growthNew)
	if !bytes.Equal(both, each) {
		t.Errorf("--old-exe/--new-exe differ from --exe:\n%s\n%s", both, each)
	}
	// PROGRAM after the dumps is --exe; so is --exe before the command.
	third := ok(t, "growth", "--format", "json", growthOld, growthNew, growthExe)
	if !bytes.Equal(both, third) {
		t.Errorf("PROGRAM after NEW.dump differs from --exe:\n%s\n%s", both, third)
	}
	global := ok(t, "--exe", growthExe, "growth", "--format", "json", growthOld, growthNew)
	if !bytes.Equal(both, global) {
		t.Errorf("--exe before the command differs from --exe after it:\n%s\n%s", both, global)
	}
	// Only the old dump typed: the managers are unknown in the old one, so
	// their typed row starts from zero.
	half := growthOf(t, "--new-exe", growthExe, "--all", "--limit", "0", growthOld, growthNew)
	if r := findRow(half, leaked, 0); r == nil || r.CountOld != 0 || r.CountNew != truth.Counts2[leaked] || half.Old.Executable != "" {
		t.Errorf("--new-exe only: %s row %+v", leaked, r)
	}

	byCount := growthOf(t, "--exe", growthExe, "--sort", "count", growthOld, growthNew)
	for i := 1; i < len(byCount.Rows); i++ {
		if byCount.Rows[i].CountDelta > byCount.Rows[i-1].CountDelta {
			t.Errorf("--sort count: %+v before %+v", byCount.Rows[i-1], byCount.Rows[i])
		}
	}
	// Each manager retains its conns and their buffers, config and name.
	byRetained := growthOf(t, "--exe", growthExe, "--sort", "retained", growthOld, growthNew)
	r := findRow(byRetained, leaked, 0)
	if r == nil || r.RetainedDelta == nil {
		t.Fatalf("--sort retained: %s row %+v without retained sizes", leaked, r)
	}
	if *r.RetainedDelta != int64(*r.RetainedNew)-int64(*r.RetainedOld) || *r.RetainedDelta <= r.BytesDelta {
		t.Errorf("--sort retained: %s retained %d -> %d (%+d), shallow %+d", leaked, *r.RetainedOld, *r.RetainedNew, *r.RetainedDelta, r.BytesDelta)
	}
	for i := 1; i < len(byRetained.Rows); i++ {
		if *byRetained.Rows[i].RetainedDelta > *byRetained.Rows[i-1].RetainedDelta {
			t.Errorf("--sort retained: %+v before %+v", byRetained.Rows[i-1], byRetained.Rows[i])
		}
	}
}

func TestGrowthErrors(t *testing.T) {
	fails(t, 2, "growth: too few arguments (usage: heapgraph growth [flags] OLD.dump NEW.dump [PROGRAM])", "growth", "a.dump")
	fails(t, 2, `too many arguments ["d"]`, "growth", "a.dump", "b.dump", "c", "d")
	fails(t, 2, "two executables given: --exe a.exe and b.exe", "growth", "--exe", "a.exe", "a.dump", "b.dump", "b.exe")
	fails(t, 2, "--sort size: want one of bytes, count, retained", "growth", "--sort", "size", "a.dump", "b.dump")
	fails(t, 1, "no-such.dump", "growth", growthOld, "no-such.dump")
	needFile(t, leakExe)
	// The leak program did not write the growth dumps: the error says
	// which dump it is about.
	fails(t, 1, growthOld+": "+leakExe, "growth", "--exe", leakExe, growthOld, growthNew)
	fails(t, 1, growthNew+": "+leakExe, "growth", "--exe", growthExe, "--new-exe", leakExe, growthOld, growthNew)
}

// TestGrowthReadmeExample runs the growth example of README.md and checks
// that the README shows what the command prints.
func TestGrowthReadmeExample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const prompt = "$ heapgraph growth "
	_, block, found := strings.Cut(string(readme), prompt)
	if !found {
		t.Fatal("README.md has no growth example")
	}
	block, _, _ = strings.Cut(block, "```")
	cmdLine, want, _ := strings.Cut(block, "\n")
	args := append([]string{"growth"}, strings.Fields(cmdLine)...)
	for i, a := range args {
		if strings.HasPrefix(a, "testdata/") {
			needFile(t, "../../"+a)
			args[i] = "../../" + a
		}
	}
	got := strings.ReplaceAll(string(ok(t, args...)), "../../testdata/", "testdata/")
	if got != want {
		t.Errorf("README.md shows\n%s\nthe command prints\n%s", want, got)
	}
}
