package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"github.com/uptrace/bun"

	"workrate/branding"
)

// The demo agency's white label: its clients never see the platform's name.
const (
	demoPlatformName = "Northwind Client Hub"
	demoColor        = "#0f5e8c"
)

// brandDemo white-labels the demo agency once: its platform name, colour and
// a monogram logo drawn here. An agency that already has a white label
// (from an earlier run, or changed by hand since) is left as it is.
func brandDemo(ctx context.Context, db *bun.DB, agencyID string) error {
	brands := branding.NewStore(db)
	st, err := brands.Get(ctx, agencyID)
	if err != nil {
		return err
	}
	if st.WhiteLabel() {
		return nil
	}
	if _, err := brands.SetText(ctx, agencyID, demoPlatformName, demoColor); err != nil {
		return err
	}
	raw, err := monogram('N', color.NRGBA{R: 0x0f, G: 0x5e, B: 0x8c, A: 0xff})
	if err != nil {
		return err
	}
	logo, err := branding.ProcessLogo(raw)
	if err != nil {
		return fmt.Errorf("demo logo: %w", err)
	}
	fav, err := branding.Favicon(logo)
	if err != nil {
		return fmt.Errorf("demo favicon: %w", err)
	}
	_, err = brands.SetLogo(ctx, agencyID, logo, fav)
	return err
}

// monogram draws a 256×256 PNG: a rounded square of bg with a white capital
// letter (only 'N' has strokes; any other letter draws the square alone).
func monogram(letter rune, bg color.NRGBA) ([]byte, error) {
	const size, radius, stroke = 256, 48, 36
	const left, right, top, bottom = 68, 188, 60, 196
	m := image.NewNRGBA(image.Rect(0, 0, size, size))
	white := color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	for y := range size {
		for x := range size {
			if !insideRounded(x, y, size, radius) {
				continue
			}
			c := bg
			if letter == 'N' && y >= top && y < bottom {
				// Two uprights and the diagonal between them.
				diag := left + stroke/2 + (y-top)*(right-left-stroke)/(bottom-top)
				if x >= left && x < left+stroke || x >= right-stroke && x < right || x >= diag-stroke/2 && x < diag+stroke/2 {
					c = white
				}
			}
			m.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		return nil, fmt.Errorf("demo logo: %w", err)
	}
	return buf.Bytes(), nil
}

// insideRounded reports whether (x, y) lies in a size×size square with corners of radius r.
func insideRounded(x, y, size, r int) bool {
	cx, cy := x, y
	switch {
	case x < r:
		cx = r
	case x >= size-r:
		cx = size - r - 1
	}
	switch {
	case y < r:
		cy = r
	case y >= size-r:
		cy = size - r - 1
	}
	dx, dy := x-cx, y-cy
	return dx*dx+dy*dy <= r*r
}
