package heapdump

import (
	"strconv"
	"strings"
)

// goVersion is what the layout rules need from the dumping program's
// runtime.Version(): the minor release and the GOEXPERIMENT list.
type goVersion struct {
	minor int  // 26 for go1.26.8; newestMinor when unknown
	known bool // the string named a release (or a devel build of one)
	exps  []string
}

// newestMinor stands for "a release at least as new as any this package
// knows": unknown and devel versions follow the newest rules.
const newestMinor = 1 << 30

// parseGoVersion parses runtime.Version() strings such as "go1.26.8",
// "go1.27rc1", "go1.25.9 X:greenteagc,jsonv2", "go1.26.8-X:nogreenteagc"
// or "devel go1.27-1a2b3c4 Tue Jan 1 00:00:00 2026 +0000 X:nogreenteagc".
// The linker appends the GOEXPERIMENT list after a space up to Go 1.25,
// and from Go 1.26 after "-" when the version has no "-" yet
// (go.dev/issue/75953). Anything it cannot read is treated as the newest
// release.
func parseGoVersion(s string) goVersion {
	v := goVersion{minor: newestMinor}
	fields := strings.Fields(s)
	for i, f := range fields {
		if exps, ok := strings.CutPrefix(f, "X:"); ok {
			v.exps = append(v.exps, strings.Split(exps, ",")...)
			continue
		}
		if rel, exps, ok := strings.Cut(f, "-X:"); ok {
			v.exps = append(v.exps, strings.Split(exps, ",")...)
			f = rel
		}
		// The release is the first field, or the second after "devel".
		if v.known || !(i == 0 || (i == 1 && fields[0] == "devel")) {
			continue
		}
		if minor, ok := parseMinor(f); ok {
			v.minor, v.known = minor, true
		}
	}
	return v
}

// parseMinor reads N from "go1.N", "go1.N.P", "go1.NrcK", "go1.NbetaK" or
// "go1.N-hash".
func parseMinor(f string) (int, bool) {
	rest, ok := strings.CutPrefix(f, "go1.")
	if !ok {
		return 0, false
	}
	end := 0
	for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
		end++
	}
	n, err := strconv.Atoi(rest[:end])
	if err != nil {
		return 0, false
	}
	return n, true
}

// experiment reports whether GOEXPERIMENT name was set (+1), explicitly
// unset with "no" + name (-1), or not mentioned (0).
func (v goVersion) experiment(name string) int {
	r := 0
	for _, e := range v.exps {
		switch e {
		case name:
			r = 1
		case "no" + name:
			r = -1
		}
	}
	return r
}
