package main

import (
	"fmt"
	"strings"
)

// progressBar draws "reading x.dump  42% [#####      ]" on stderr, only
// when stderr is a terminal. A nil *progressBar does nothing, so callers
// need not check.
type progressBar struct {
	e     *env
	label string
	last  int // last percentage drawn
}

func (e *env) progressBar(label string) *progressBar {
	if !e.terminal {
		return nil
	}
	return &progressBar{e: e, label: label, last: -1}
}

func (b *progressBar) update(done, total int64) {
	if b == nil || total <= 0 {
		return
	}
	pct := int(done * 100 / total)
	if pct == b.last {
		return
	}
	b.last = pct
	const width = 30
	filled := pct * width / 100
	fmt.Fprintf(b.e.stderr, "\r%s %3d%% [%s%s]", b.label, pct, strings.Repeat("#", filled), strings.Repeat(" ", width-filled))
}

// show draws the label alone, for a step that reports no progress.
func (b *progressBar) show() {
	if b == nil {
		return
	}
	b.last = 0
	fmt.Fprintf(b.e.stderr, "\r%s…", b.label)
}

// done erases the bar.
func (b *progressBar) done() {
	if b == nil || b.last < 0 {
		return
	}
	fmt.Fprintf(b.e.stderr, "\r%s\r", strings.Repeat(" ", len(b.label)+40))
}
