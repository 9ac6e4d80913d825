#!/usr/bin/env bash
# Rebuilds every test program under testdata/programs with several Go toolchains, runs
# each binary once and keeps its executable, heap dump and ground truth in testdata/dumps:
#   dumps/<program>-go1.XX.exe         the binary (default flags: DWARF kept, not stripped)
#   dumps/<program>-go1.XX.dump        runtime/debug.WriteHeapDump output
#   dumps/<program>-go1.XX.truth.json  ground truth the program recorded about its heap
# plus two variants of leak built with the local Go 1.26 only:
#   dumps/leak-stripped-go1.26.*  (-ldflags='-s -w')   dumps/leak-pie-go1.26.*  (-buildmode=pie)
# and, with Go 1.26 only, growth, which dumps its heap twice while its leak runs; its files
# are kept in their own directory, out of the way of tests that pair every dumps/*.exe
# with one .dump and one .truth.json:
#   dumps/growth/growth-go1.26.exe  dumps/growth/growth-go1.26.1.dump
#   dumps/growth/growth-go1.26.2.dump  dumps/growth/growth-go1.26.truth.json
#
# Usage: testdata/gen.sh [1.22 1.24 ...]   (no argument: every version below)
# Each program is run as: <exe> <out.dump> <out.truth.json>
# except growth: <exe> <out.1.dump> <out.2.dump> <out.truth.json>
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
declare -A toolchains=([1.22]=go1.22.12 [1.24]=go1.24.13 [1.25]=go1.25.9 [1.26]=go1.26.8 [1.27]=go1.27.3)
all_versions=(1.22 1.24 1.25 1.26 1.27)
versions=("$@")
if [ ${#versions[@]} -eq 0 ]; then
	versions=("${all_versions[@]}")
fi

# CGO off and no VCS stamping so that a binary does not depend on the machine or the git
# state; GOFLAGS is reset so a developer's settings cannot change the build.
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOOS=linux GOARCH=amd64
out="$here/dumps"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# build_and_run <program> <version> <output name> [go build flags...]
build_and_run() {
	local prog="$1" ver="$2" name="$3"
	shift 3
	local tc="${toolchains[$ver]:?unknown Go version $ver}"
	echo "gen: $name ($tc)"
	(cd "$here/programs/$prog" && GOTOOLCHAIN="$tc" go build "$@" -o "$work/$name.exe" .)
	"$work/$name.exe" "$work/$name.dump" "$work/$name.truth.json"
	local ext
	for ext in exe dump truth.json; do
		mv -f "$work/$name.$ext" "$out/$name.$ext"
	done
}

# build_and_run_twice <program> <version> <output name>: for a program that writes
# two dumps (growth); the outputs go to dumps/<program>/.
build_and_run_twice() {
	local prog="$1" ver="$2" name="$3"
	local tc="${toolchains[$ver]:?unknown Go version $ver}"
	echo "gen: $name ($tc)"
	(cd "$here/programs/$prog" && GOTOOLCHAIN="$tc" go build -o "$work/$name.exe" .)
	"$work/$name.exe" "$work/$name.1.dump" "$work/$name.2.dump" "$work/$name.truth.json"
	local ext
	mkdir -p "$out/$prog"
	for ext in exe 1.dump 2.dump truth.json; do
		mv -f "$work/$name.$ext" "$out/$prog/$name.$ext"
	done
}

for ver in "${versions[@]}"; do
	for dir in "$here"/programs/*/; do
		prog="$(basename "$dir")"
		if [ "$prog" = growth ]; then
			continue
		fi
		build_and_run "$prog" "$ver" "$prog-go$ver"
	done
	if [ "$ver" = 1.26 ]; then
		build_and_run leak "$ver" "leak-stripped-go$ver" -ldflags='-s -w'
		build_and_run leak "$ver" "leak-pie-go$ver" -buildmode=pie
		build_and_run_twice growth "$ver" "growth-go$ver"
	fi
done
