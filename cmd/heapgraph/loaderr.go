package main

import (
	"errors"
	"io/fs"
	"os"
	"strings"
)

// dumpError is an error opening a dump, worded for the command line: one
// "heapgraph: " prefix and the file named once. It keeps the library's
// error for errors.Is and errors.As.
type dumpError struct {
	msg string
	err error
}

func (e *dumpError) Error() string { return e.msg }
func (e *dumpError) Unwrap() error { return e.err }

// openDumpError rewords an error of heapdump.Open on path: the os error
// alone when the file cannot be read ("open x: no such file or
// directory"), else "path: what is wrong", without the package prefix the
// library puts on its messages.
func openDumpError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &dumpError{msg: pe.Error(), err: err}
	}
	if fi, serr := os.Stat(path); serr == nil && fi.IsDir() {
		return &dumpError{msg: path + ": is a directory, not a heap dump", err: err}
	}
	msg := strings.TrimPrefix(err.Error(), "heapdump: ")
	if !strings.Contains(msg, path) {
		msg = path + ": " + msg
	}
	return &dumpError{msg: msg, err: err}
}

// stepError words an error of one step of loading a dump for the command
// line: "context: what is wrong", without the package prefix ("graph: ",
// "typing: ") the library puts on its messages.
func stepError(context string, err error) error {
	msg := err.Error()
	for _, pkg := range []string{"graph: ", "typing: "} {
		msg = strings.TrimPrefix(msg, pkg)
	}
	return &dumpError{msg: context + ": " + msg, err: err}
}
