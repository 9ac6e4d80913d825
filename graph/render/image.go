package render

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/goccy/go-graphviz"
)

// Format is an output format of an image.
type Format string

// The formats Write can produce.
const (
	DOT Format = "dot"
	SVG Format = "svg"
	PNG Format = "png"
)

// ParseFormat checks a format name given by the user ("svg", "png", "dot").
func ParseFormat(name string) (Format, error) {
	switch f := Format(strings.ToLower(name)); f {
	case DOT, SVG, PNG:
		return f, nil
	}
	return "", fmt.Errorf("unknown image format %q (want svg, png or dot)", name)
}

// FormatForPath picks the format from a file name's extension.
func FormatForPath(path string) (Format, error) {
	ext := strings.TrimPrefix(filepath.Ext(path), ".")
	if ext == "" {
		return "", fmt.Errorf("cannot tell the image format of %q: name it .svg, .png or .dot", path)
	}
	f, err := ParseFormat(ext)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// Write draws g in format f to w.
func Write(ctx context.Context, w io.Writer, g *Graph, f Format) error {
	if f == DOT {
		return WriteDOT(w, g)
	}
	if f != SVG && f != PNG {
		return fmt.Errorf("render: unknown format %q", f)
	}
	var dot bytes.Buffer
	if err := WriteDOT(&dot, g); err != nil {
		return err
	}
	return layout(ctx, w, dot.Bytes(), f)
}

// layout runs Graphviz's dot layout on a DOT text and renders it.
func layout(ctx context.Context, w io.Writer, dot []byte, f Format) error {
	pngr, err := newPNGRenderer()
	if err != nil {
		return err
	}
	plugins, err := pngr.plugins(ctx)
	if err != nil {
		return fmt.Errorf("render: registering png renderer: %w", err)
	}
	gv, err := graphviz.NewWithPlugins(ctx, plugins...)
	if err != nil {
		return fmt.Errorf("render: starting graphviz: %w", err)
	}
	defer gv.Close()
	parsed, err := graphviz.ParseBytes(dot)
	if err != nil {
		return fmt.Errorf("render: graphviz rejected the graph: %w", err)
	}
	defer parsed.Close()
	if f == PNG {
		parsed.SetDPI(pngDPI)
	}
	var out bytes.Buffer
	if err := gv.Render(ctx, parsed, graphviz.Format(f), &out); err != nil {
		return fmt.Errorf("render: drawing %s: %w", f, err)
	}
	_, err = w.Write(out.Bytes())
	return err
}
