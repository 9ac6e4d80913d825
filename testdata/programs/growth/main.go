// Command growth dumps its heap twice while a leak runs, for `heapgraph growth`.
//
// Every session appends its BackendManager to the global main.sessions and never
// removes it. The program serves firstSessions sessions, writes the first dump, serves
// moreSessions more and writes the second dump: between the two dumps
// main.BackendManager grows by exactly moreSessions objects, main.Conn by
// moreSessions*connsPerManager, main.Config by moreSessions.
//
// The managers are held only through typed pointers (no interface), so without the
// executable heapgraph cannot name them: they are then counted in the size-class row of
// their slot size, which nothing else in this heap shares (BackendManager is 416 bytes;
// see the test that checks it).
//
// Usage: growth <out.1.dump> <out.2.dump> <out.truth.json>
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	"heapgraph.test/truth"
)

const (
	firstSessions   = 30
	moreSessions    = 12
	connsPerManager = 2
)

// Config is the configuration of one backend.
type Config struct {
	Endpoint string
	Retries  int
}

// Conn is a pooled connection to a backend.
type Conn struct {
	ID    int
	buf   []byte
	owner *BackendManager
}

// BackendManager owns the connections of one session. stats makes it 416 bytes, a
// size class the rest of this heap does not use.
type BackendManager struct {
	name   string
	config *Config
	conns  []*Conn
	stats  [46]int64
}

// sessions is the leak: every manager ever made, never pruned. Its capacity is
// reserved up front so that its backing array is the same object in both dumps.
var sessions = make([]*BackendManager, 0, 64)

//go:noinline
func serveSession(id int) {
	b := &BackendManager{
		name:   fmt.Sprintf("backend-%02d", id),
		config: &Config{Endpoint: fmt.Sprintf("https://backend-%02d.internal", id), Retries: 3},
	}
	for i := 0; i < connsPerManager; i++ {
		b.conns = append(b.conns, &Conn{ID: i, buf: make([]byte, 96), owner: b})
	}
	b.stats[0]++
	sessions = append(sessions, b)
}

// snapshot frees construction garbage, records the counts per type reachable from
// main.sessions and writes a dump.
func snapshot(dumpPath string) (map[string]int, error) {
	runtime.GC()
	rec := truth.New("growth")
	rec.Global("main.sessions", &sessions, "bss")
	if err := rec.Walk(); err != nil {
		return nil, err
	}
	counts := rec.Counts()
	runtime.GC() // drop what the walk allocated
	if err := truth.WriteHeapDump(dumpPath); err != nil {
		return nil, err
	}
	return counts, nil
}

func run(dump1, dump2, truthPath string) error {
	debug.SetGCPercent(-1) // no GC between snapshots: the dumps show what we built
	id := 0
	for ; id < firstSessions; id++ {
		serveSession(id)
	}
	first, err := snapshot(dump1)
	if err != nil {
		return err
	}
	for ; id < firstSessions+moreSessions; id++ {
		serveSession(id)
	}
	second, err := snapshot(dump2)
	if err != nil {
		return err
	}
	return writeTruth(truthPath, first, second)
}

// writeTruth writes the truth file by hand (encoding/json would add ~380 KB to the
// committed binary). Type names and versions hold no characters that strconv.Quote
// and JSON escape differently.
func writeTruth(path string, first, second map[string]int) error {
	var b strings.Builder
	q := strconv.Quote
	fmt.Fprintf(&b, "{\n  \"program\": \"growth\",\n  \"go_version\": %s,\n  \"goarch\": %s,\n  \"goos\": %s,\n",
		q(runtime.Version()), q(runtime.GOARCH), q(runtime.GOOS))
	fmt.Fprintf(&b, "  \"facts\": {\"leaked_type\": \"main.BackendManager\", \"leaked_first\": %d, \"leaked_between\": %d, \"conns_per_manager\": %d},\n",
		firstSessions, moreSessions, connsPerManager)
	fmt.Fprintf(&b, "  \"counts_1\": %s,\n  \"counts_2\": %s\n}\n", countsJSON(first), countsJSON(second))
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func countsJSON(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	items := make([]string, len(keys))
	for i, k := range keys {
		items[i] = strconv.Quote(k) + ": " + strconv.Itoa(m[k])
	}
	return "{\n    " + strings.Join(items, ",\n    ") + "\n  }"
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: growth <out.1.dump> <out.2.dump> <out.truth.json>")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3]); err != nil {
		fmt.Fprintln(os.Stderr, "growth:", err)
		os.Exit(1)
	}
}
