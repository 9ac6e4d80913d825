package render

import (
	"bytes"
	"context"
	"fmt"
	"image/png"

	"github.com/fogleman/gg"
	"github.com/goccy/go-graphviz/gvc"
	"github.com/golang/freetype/truetype"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
)

// pngDPI draws PNGs at twice the screen resolution so text stays sharp
// when GitHub or a browser scales the image down to its column width.
const pngDPI = 144

// pngRenderer draws Graphviz's layout into a bitmap. The library's own PNG
// renderer fills shapes without stroking their outlines and fills edge
// curves, which leaves boxes without borders and edges as black blobs, so
// heapgraph draws with Graphviz's usual semantics: fill with the fill
// colour when asked, then stroke with the pen colour.
type pngRenderer struct {
	*gvc.DefaultRenderEngine
	font *truetype.Font
	dc   *gg.Context
}

func newPNGRenderer() (*pngRenderer, error) {
	ft, err := truetype.Parse(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("render: go font: %w", err)
	}
	return &pngRenderer{DefaultRenderEngine: new(gvc.DefaultRenderEngine), font: ft}, nil
}

// plugins registers the renderer for the "png" format.
func (r *pngRenderer) plugins(ctx context.Context) ([]gvc.Plugin, error) {
	render, err := gvc.NewRenderPlugin(ctx, "png", r)
	if err != nil {
		return nil, err
	}
	device, err := gvc.PNGDevicePlugin(ctx)
	if err != nil {
		return nil, err
	}
	return []gvc.Plugin{render, device}, nil
}

// Graphviz gives points in graph units with y up; the page transform maps
// them to pixels with y down.
func (r *pngRenderer) x(job *gvc.Job, x float64) float64 { return job.Scale().X() * x }
func (r *pngRenderer) y(job *gvc.Job, y float64) float64 { return -job.Scale().Y() * y }

func (r *pngRenderer) BeginPage(_ context.Context, job *gvc.Job) error {
	r.dc = gg.NewContext(int(job.Width()), int(job.Height()))
	t := job.Translation()
	r.dc.Translate(r.x(job, t.X()), r.y(job, t.Y()))
	return nil
}

func (r *pngRenderer) EndPage(_ context.Context, job *gvc.Job) error {
	var buf bytes.Buffer
	if err := png.Encode(&buf, r.dc.Image()); err != nil {
		return fmt.Errorf("render: encoding png: %w", err)
	}
	job.SetOutputData(buf.Bytes())
	job.SetOutputDataPosition(uint(buf.Len()))
	return nil
}

func setColor(dc *gg.Context, c *gvc.Color) {
	rgba := c.RGBAUint()
	dc.SetRGBA255(int(rgba[0]), int(rgba[1]), int(rgba[2]), int(rgba[3]))
}

// paint fills the current path if asked, then strokes it with the pen.
func (r *pngRenderer) paint(job *gvc.Job, filled bool) {
	o := job.Object()
	if filled {
		setColor(r.dc, o.FillColor())
		if o.Pen() == gvc.PenNone {
			r.dc.Fill()
			return
		}
		r.dc.FillPreserve()
	}
	if o.Pen() == gvc.PenNone {
		r.dc.ClearPath()
		return
	}
	scale := job.Scale().X()
	r.dc.SetLineWidth(o.PenWidth() * scale)
	switch o.Pen() {
	case gvc.PenDashed:
		r.dc.SetDash(6*scale, 4*scale)
	case gvc.PenDotted:
		r.dc.SetDash(1.5*scale, 3*scale)
	default:
		r.dc.SetDash()
	}
	setColor(r.dc, o.PenColor())
	r.dc.Stroke()
}

func (r *pngRenderer) Polygon(_ context.Context, job *gvc.Job, pts []*gvc.PointFloat, filled bool) error {
	r.dc.NewSubPath()
	for i, p := range pts {
		if i == 0 {
			r.dc.MoveTo(r.x(job, p.X()), r.y(job, p.Y()))
		} else {
			r.dc.LineTo(r.x(job, p.X()), r.y(job, p.Y()))
		}
	}
	r.dc.ClosePath()
	r.paint(job, filled)
	return nil
}

func (r *pngRenderer) Polyline(_ context.Context, job *gvc.Job, pts []*gvc.PointFloat) error {
	for i, p := range pts {
		if i == 0 {
			r.dc.MoveTo(r.x(job, p.X()), r.y(job, p.Y()))
		} else {
			r.dc.LineTo(r.x(job, p.X()), r.y(job, p.Y()))
		}
	}
	r.paint(job, false)
	return nil
}

// BezierCurve strokes edge splines. The filled flag is ignored: the
// library reports edges as filled, and heapgraph draws no filled curves.
func (r *pngRenderer) BezierCurve(_ context.Context, job *gvc.Job, pts []*gvc.PointFloat, _ bool) error {
	if len(pts) == 0 {
		return nil
	}
	r.dc.MoveTo(r.x(job, pts[0].X()), r.y(job, pts[0].Y()))
	for i := 1; i+2 < len(pts); i += 3 {
		r.dc.CubicTo(r.x(job, pts[i].X()), r.y(job, pts[i].Y()),
			r.x(job, pts[i+1].X()), r.y(job, pts[i+1].Y()),
			r.x(job, pts[i+2].X()), r.y(job, pts[i+2].Y()))
	}
	r.paint(job, false)
	return nil
}

// Ellipse gets the centre and a corner of the bounding box.
func (r *pngRenderer) Ellipse(_ context.Context, job *gvc.Job, pts []*gvc.PointFloat, filled bool) error {
	cx, cy := r.x(job, pts[0].X()), r.y(job, pts[0].Y())
	rx := r.x(job, pts[1].X()) - cx
	ry := r.y(job, pts[1].Y()) - cy
	r.dc.DrawEllipse(cx, cy, abs(rx), abs(ry))
	r.paint(job, filled)
	return nil
}

func (r *pngRenderer) TextSpan(_ context.Context, job *gvc.Job, p *gvc.PointFloat, span *gvc.TextSpan) error {
	face := truetype.NewFace(r.font, &truetype.Options{
		Size:    span.Font().Size() * job.Scale().X(),
		Hinting: font.HintingNone,
	})
	defer face.Close()
	r.dc.SetFontFace(face)
	setColor(r.dc, job.Object().PenColor())
	x := r.x(job, p.X())
	y := r.y(job, p.Y()+span.YOffsetCenterLine()+span.YOffsetLayout())
	switch span.Just() {
	case 'l':
		r.dc.DrawStringAnchored(span.Text(), x, y, 0, 0)
	case 'r':
		r.dc.DrawStringAnchored(span.Text(), x, y, 1, 0)
	default:
		r.dc.DrawStringAnchored(span.Text(), x, y, 0.5, 0)
	}
	return nil
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
