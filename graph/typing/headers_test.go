package typing

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestPropagationAgreesWithHeaders types each dump without malloc headers
// and checks every object that has one: propagation must have found the
// header's type (or an array of it, or a type it starts with), or nothing. This covers the
// runtime's own objects, which no truth file lists.
func TestPropagationAgreesWithHeaders(t *testing.T) {
	exes, err := filepath.Glob(filepath.Join(dumpsDir, "*.exe"))
	if err != nil {
		t.Fatal(err)
	}
	checked, agreed := 0, 0
	for _, exe := range exes {
		base := strings.TrimSuffix(exe, ".exe")
		if strings.Contains(base, "stripped") {
			continue
		}
		d, withHeaders := typeCase(t, base)
		blind, err := newTypes(d, withHeaders.b, options{ignoreHeaders: true})
		if err != nil {
			t.Fatal(err)
		}
		for i := range d.NumObjects() {
			h := d.Object(i).HeaderType
			want := withHeaders.b.TypeByRuntimeAddr(h)
			if want == nil {
				continue
			}
			checked++
			got := &blind.tt.types[blind.typ[i]]
			if blind.typ[i] == 0 {
				continue
			}
			// A type the header's type starts with (runtime.m in a
			// runtime.mPadded) is the same object seen through a pointer
			// to its first field.
			if got.elem != want && !extends(&objType{elem: want, size: want.Size}, got) {
				t.Errorf("%s: object %#x: propagation says %s, its header %s (%s)", filepath.Base(base), d.Addr(i), got.name, want.Name, blind.Explain(i))
				continue
			}
			agreed++
		}
	}
	t.Logf("%d objects with a malloc header: propagation alone typed %d of them, all alike", checked, agreed)
	if agreed == 0 {
		t.Error("propagation typed no object with a header")
	}
}

// TestWrongExecutable types dumps with the executable of another program
// (bypassing Match, which would refuse it): the types are nonsense, but
// typing must finish without a panic and every type must fit its object.
func TestWrongExecutable(t *testing.T) {
	for _, pair := range [][2]string{{"leak-go1.26", "shapes-go1.26"}, {"shapes-go1.22", "leak-go1.22"}, {"tiny-go1.27", "shapes-go1.27"}} {
		d, _ := typeCase(t, filepath.Join(dumpsDir, pair[0]))
		ty, err := New(d, openBinary(t, filepath.Join(dumpsDir, pair[1])))
		if err != nil {
			t.Fatal(err)
		}
		for i := range d.NumObjects() {
			if ot := &ty.tt.types[ty.typ[i]]; ot.size > d.ObjectSize(i) {
				t.Errorf("%s typed with %s: object %#x (%d bytes) typed %s (%d bytes)", pair[0], pair[1], d.Addr(i), d.ObjectSize(i), ot.name, ot.size)
			}
			ty.Explain(i)
			ty.FieldName(i, 8)
		}
	}
}
