// Command leak is heapgraph's bundled example: a small service that leaks one
// BackendManager per session.
//
// The bug: BackendManager.Config memoizes its result in a process-wide cache keyed by the
// receiver. Every manager that ever asked for its config stays in that cache after its
// session ends, together with everything it points to (config, connections, logger,
// context, callback closure).
//
// The heap also holds, on purpose:
//   - two managers kept alive only by a goroutine parked forever on a channel;
//   - a connection with a finalizer (runtime.SetFinalizer);
//   - managers of sessions that never asked for their config: nothing references them,
//     they are garbage the dump still contains (the GC is off when they are made).
//
// Usage: leak <out.dump> <out.truth.json>
package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"heapgraph.test/truth"
)

const (
	leakedSessions  = 20
	watchdogs       = 2
	garbageSessions = 4
	connsPerBackend = 3
)

// Config is the parsed configuration of one backend.
type Config struct {
	Endpoint string
	Timeout  time.Duration
	Retries  int
	Labels   map[string]string
}

// Conn is a pooled connection to a backend.
type Conn struct {
	ID      int
	Addr    string
	buf     []byte
	owner   *BackendManager
	healthy bool
}

// Logger is what a BackendManager logs through.
type Logger interface {
	Logf(format string, args ...any)
}

type prefixLogger struct {
	prefix string
	lines  []string
}

func (l *prefixLogger) Logf(format string, args ...any) {
	l.lines = append(l.lines, l.prefix+fmt.Sprintf(format, args...))
}

// BackendManager owns the connections of one session to one backend.
type BackendManager struct {
	name    string
	config  *Config
	conns   []*Conn
	ctx     context.Context
	cancel  context.CancelFunc
	log     Logger
	onEvent func(event string)
	stats   [8]int64
}

// memo caches one computed result per key.
type memo struct {
	mu sync.Mutex
	m  map[any]*Config
}

func (c *memo) get(key any, compute func() *Config) *Config {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.m[key]; ok {
		return v
	}
	v := compute()
	c.m[key] = v
	return v
}

// configCache is the leak: keyed by *BackendManager, never pruned.
var configCache = memo{m: map[any]*Config{}}

// serverCtx is the parent of every session's context.
var serverCtx, stopServer = context.WithCancel(context.Background())

// neverClosed parks the watchdog goroutines forever.
var neverClosed = make(chan struct{})

//go:noinline
func newBackendManager(name string) *BackendManager {
	ctx, cancel := context.WithCancel(serverCtx)
	b := &BackendManager{
		name:   name,
		ctx:    ctx,
		cancel: cancel,
		log:    &prefixLogger{prefix: name + ": "},
	}
	b.onEvent = func(event string) {
		b.stats[0]++
		b.log.Logf("event %s", event)
	}
	for i := 0; i < connsPerBackend; i++ {
		b.conns = append(b.conns, &Conn{
			ID:    i,
			Addr:  fmt.Sprintf("10.0.0.%d:%d", i+1, 5432),
			buf:   make([]byte, 256),
			owner: b,
		})
	}
	return b
}

// Config returns the backend's configuration, computing it once per manager.
func (b *BackendManager) Config() *Config {
	return configCache.get(b, func() *Config {
		return &Config{
			Endpoint: "https://" + b.name + ".internal",
			Timeout:  5 * time.Second,
			Retries:  3,
			Labels:   map[string]string{"backend": b.name, "tier": "gold"},
		}
	})
}

// Close ends the session. It does not (and cannot) remove b from configCache.
func (b *BackendManager) Close() {
	b.onEvent("close")
	b.cancel()
}

// handleSession serves one session; askConfig says whether it reads its config.
func handleSession(id int, askConfig bool) *BackendManager {
	b := newBackendManager(fmt.Sprintf("backend-%02d", id))
	if askConfig {
		b.config = b.Config()
	}
	b.onEvent("served")
	b.Close()
	return b
}

// startWatchdog starts a goroutine that holds a manager in a local variable and parks
// forever. It returns that goroutine's id and the manager's address for the truth file.
func startWatchdog(i int) (int64, truth.Local) {
	type started struct {
		id    int64
		local truth.Local
	}
	ready := make(chan started)
	go func() {
		b := newBackendManager(fmt.Sprintf("watchdog-%d", i))
		ready <- started{truth.GoroutineID(), truth.LocalOf(b)}
		<-neverClosed
		runtime.KeepAlive(b)
	}()
	s := <-ready
	return s.id, s.local
}

// watchdog is a parked goroutine, for the truth file.
type watchdog struct {
	id    int64
	local truth.Local
}

// serve runs the service: sessions that leak their manager, then the watchdogs.
func serve() (finalized truth.Local, wds []watchdog) {
	for i := 0; i < leakedSessions; i++ {
		b := handleSession(i, true)
		if i == 0 {
			c := b.conns[0]
			runtime.SetFinalizer(c, func(c *Conn) { c.healthy = false })
			finalized = truth.LocalOf(c)
		}
	}
	for i := 0; i < watchdogs; i++ {
		id, l := startWatchdog(i)
		wds = append(wds, watchdog{id, l})
	}
	return finalized, wds
}

// recordTruth walks the program's roots and writes what it finds to path.
func recordTruth(path string, finalized truth.Local, wds []watchdog) error {
	rec := truth.New("leak")
	rec.Global("main.configCache", &configCache, "bss")
	rec.Global("main.serverCtx", &serverCtx, "bss")
	rec.Global("main.stopServer", &stopServer, "bss")
	rec.Global("main.neverClosed", &neverClosed, "bss")
	for i, w := range wds {
		rec.Goroutine(fmt.Sprintf("watchdog-%d", i), w.id, w.local)
	}
	rec.Finalizer(finalized)
	rec.FactString("leaked_type", "main.BackendManager")
	rec.FactString("leaked_via", "main.configCache")
	rec.Fact("leaked_count", leakedSessions)
	rec.Fact("goroutine_held_count", watchdogs)
	rec.Fact("garbage_count", garbageSessions)
	rec.Fact("live_count", leakedSessions+watchdogs)
	if err := rec.Walk(); err != nil {
		return err
	}
	return rec.WriteFile(path)
}

func run(dumpPath, truthPath string) error {
	debug.SetGCPercent(-1) // no GC while building: the dump shows what we built
	finalized, wds := serve()
	runtime.GC()
	if err := recordTruth(truthPath, finalized, wds); err != nil {
		return err
	}
	runtime.GC() // drop what the truth walk allocated; the GC stays off from here on

	// Sessions that never ask for their config: nothing keeps their managers.
	var garbage [garbageSessions]truth.Local
	for i := range garbage {
		garbage[i] = truth.LocalOf(handleSession(100+i, false))
	}
	if err := truth.WriteHeapDump(dumpPath); err != nil {
		return err
	}
	return truth.FinishFile(truthPath, garbage[:])
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: leak <out.dump> <out.truth.json>")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "leak:", err)
		os.Exit(1)
	}
}
