package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// dumpAndProgram takes the positional DUMP [PROGRAM] and records PROGRAM
// as the executable. Giving two different executables is a usage error.
func (e *env) dumpAndProgram(pos []string) (string, error) {
	if len(pos) == 0 {
		return "", usagef("no DUMP given")
	}
	if len(pos) > 1 {
		if e.exe != "" && e.exe != pos[1] {
			return "", usagef("two executables given: --exe %s and %s", e.exe, pos[1])
		}
		e.exe = pos[1]
	}
	return pos[0], nil
}

// parseAddr reads an address as Go prints pointers: hexadecimal with or
// without 0x.
func parseAddr(s string) (uint64, error) {
	v, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X"), 16, 64)
	if err != nil {
		return 0, fmt.Errorf("bad address %q: want hexadecimal like 0xc000012345", s)
	}
	return v, nil
}

// looksLikeAddr tells an address argument from a file name.
func looksLikeAddr(s string) bool {
	return strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X")
}

// compileTypeRE compiles a --type, --ignore or --highlight pattern; flag
// names the flag for the error message.
func compileTypeRE(flag, pattern string) (*regexp.Regexp, error) {
	if pattern == "" {
		return nil, nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("--%s: bad regular expression: %v", flag, err)
	}
	return re, nil
}

// checkChoice validates an enumerated flag value.
func checkChoice(flag, value string, choices ...string) error {
	for _, c := range choices {
		if value == c {
			return nil
		}
	}
	return usagef("--%s %s: want one of %s", flag, value, strings.Join(choices, ", "))
}
