package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
)

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1 // bad input or a failed run
	exitUsage = 2 // the command line itself is wrong
)

// env is one invocation of the command: where output goes and the options
// shared by all commands.
type env struct {
	stdout, stderr io.Writer
	// terminal is set when stderr is a terminal: only then is a progress
	// bar drawn.
	terminal bool
	// exe is the executable given with --exe (before or after the command)
	// or as the positional argument after DUMP.
	exe string
}

// command is one subcommand.
type command struct {
	name     string
	args     string // synopsis of the positional arguments after [flags]
	summary  string // one line for the command list
	about    string // paragraph for the command's --help
	minArgs  int    // positional arguments required
	maxArgs  int
	exeUsage string                      // help of --exe when it differs from the usual one
	setFlags func(fs *pflag.FlagSet) any // registers flags, returns their holder
	run      func(ctx context.Context, e *env, opts any, args []string) error
}

func commands() []*command {
	return []*command{
		summaryCommand(),
		topCommand(),
		growthCommand(),
		backrefsCommand(),
		chainCommand(),
		refsCommand(),
		objectsCommand(),
		objectCommand(),
	}
}

// usageError is a mistake in the command line (exit 2).
type usageError struct{ msg string }

func (u *usageError) Error() string { return u.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// errHelp ends a run that printed help (exit 0).
var errHelp = errors.New("help shown")

// run parses the command line, runs the command and returns the exit code.
// Errors are printed as one line "heapgraph: ...".
func (e *env) run(ctx context.Context, args []string) int {
	err := e.dispatch(ctx, args)
	var u *usageError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return exitOK
	case errors.As(err, &u):
		fmt.Fprintln(e.stderr, "heapgraph: "+oneLine(err.Error()))
		return exitUsage
	default:
		fmt.Fprintln(e.stderr, "heapgraph: "+oneLine(err.Error()))
		return exitFail
	}
}

// oneLine keeps an error message on one line whatever the layers below
// put in it.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", "; ")), " ")
}

func (e *env) dispatch(ctx context.Context, args []string) error {
	global := pflag.NewFlagSet("heapgraph", pflag.ContinueOnError)
	global.SetOutput(io.Discard)
	global.SetInterspersed(false) // flags after the command belong to it
	global.StringVar(&e.exe, "exe", "", "")
	help := global.BoolP("help", "h", false, "")
	if err := global.Parse(args); err != nil {
		return usagef("%v (see heapgraph --help)", err)
	}
	rest := global.Args()
	if *help || (len(rest) > 0 && rest[0] == "help") {
		if len(rest) > 1 && !*help {
			// "heapgraph help CMD" shows the command's help.
			return e.dispatch(ctx, []string{rest[1], "--help"})
		}
		e.printUsage(e.stdout)
		return errHelp
	}
	if len(rest) == 0 {
		return usagef("no command given (commands: %s; see heapgraph --help)", commandNames())
	}
	for _, c := range commands() {
		if c.name == rest[0] {
			return e.runCommand(ctx, c, rest[1:])
		}
	}
	return usagef("unknown command %q (commands: %s)", rest[0], commandNames())
}

func commandNames() string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return strings.Join(names, ", ")
}

// runCommand parses the command's flags and positional arguments and runs
// it.
func (e *env) runCommand(ctx context.Context, c *command, args []string) error {
	fs := pflag.NewFlagSet(c.name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	opts := c.setFlags(fs)
	exeUsage := "executable `PROGRAM` that wrote the dump: gives types, fields and global names (or give it after DUMP)"
	if c.exeUsage != "" {
		exeUsage = c.exeUsage
	}
	fs.StringVar(&e.exe, "exe", e.exe, exeUsage)
	fs.BoolP("help", "h", false, "show this help")
	err := fs.Parse(args)
	if errors.Is(err, pflag.ErrHelp) || (err == nil && mustBool(fs, "help")) {
		e.printCommandUsage(e.stdout, c, fs)
		return errHelp
	}
	if err != nil {
		return usagef("%s: %v (see heapgraph %s --help)", c.name, err, c.name)
	}
	pos := fs.Args()
	switch {
	case len(pos) < c.minArgs:
		return usagef("%s: too few arguments (usage: heapgraph %s [flags] %s)", c.name, c.name, c.args)
	case len(pos) > c.maxArgs:
		return usagef("%s: too many arguments %q (usage: heapgraph %s [flags] %s)", c.name, pos[c.maxArgs:], c.name, c.args)
	}
	return c.run(ctx, e, opts, pos)
}

func mustBool(fs *pflag.FlagSet, name string) bool {
	v, err := fs.GetBool(name)
	return err == nil && v
}
