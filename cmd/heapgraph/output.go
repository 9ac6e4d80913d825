package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/heapgraph/heapgraph/graph/render"
)

// writeOutput sends a command's output to stdout, or to the file path
// when one is given. The output is produced in memory first so that a
// failed run leaves no half-written file.
func (e *env) writeOutput(path string, write func(io.Writer) error) error {
	if path == "" {
		return write(e.stdout)
	}
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return err
	}
	return nil
}

// imageFormat decides the format of an image: the --format flag if given,
// else the extension of -o, else def.
func imageFormat(flagValue, outPath string, def render.Format) (render.Format, error) {
	if flagValue != "" {
		f, err := render.ParseFormat(flagValue)
		if err != nil {
			return "", usagef("--format: %v", err)
		}
		return f, nil
	}
	if outPath != "" {
		f, err := render.FormatForPath(outPath)
		if err != nil {
			return "", usagef("-o: %v", err)
		}
		return f, nil
	}
	return def, nil
}

// textOrImageFormat decides the format of a command that writes text,
// JSON or an image: the --format flag if given, else the extension of -o
// (.txt or none: text, .json, .svg, .png, .dot).
func textOrImageFormat(flagValue, outPath string) (string, error) {
	format := flagValue
	if format == "" {
		switch ext := strings.ToLower(filepath.Ext(outPath)); ext {
		case "", ".txt":
			format = "text"
		case ".json":
			format = "json"
		default:
			f, err := imageFormat("", outPath, render.SVG)
			if err != nil {
				return "", err
			}
			format = string(f)
		}
	}
	if err := checkChoice("format", format, "text", "json", "svg", "png", "dot"); err != nil {
		return "", err
	}
	return format, nil
}

// writeImage renders g in format f to -o or stdout.
func (e *env) writeImage(ctx context.Context, outPath string, g *render.Graph, f render.Format) error {
	return e.writeOutput(outPath, func(w io.Writer) error {
		if err := render.Write(ctx, w, g, f); err != nil {
			return fmt.Errorf("drawing the image: %w", err)
		}
		return nil
	})
}
