package auth

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	"github.com/boombuler/barcode/qr"
)

func TestQRCodePNG(t *testing.T) {
	text := TOTPURI("Acme Agency", "jane@example.com", rfcSecret)
	for _, size := range []int{200, 256, 333} {
		t.Run("", func(t *testing.T) {
			b, err := QRCodePNG(text, size)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("PNG does not decode: %v", err)
			}
			if got := img.Bounds(); got != image.Rect(0, 0, size, size) {
				t.Fatalf("bounds %v, want %dx%d", got, size, size)
			}
			// Each module's centre shows the encoder's module, and the quiet
			// zone around the code is white.
			code, err := qr.Encode(text, qr.M, qr.Auto)
			if err != nil {
				t.Fatal(err)
			}
			modules := code.Bounds().Dx()
			scale := size / (modules + 2*qrQuietZone)
			offset := (size - modules*scale) / 2
			if offset < qrQuietZone*scale {
				t.Fatalf("margin %d px, want at least %d", offset, qrQuietZone*scale)
			}
			for y := range modules {
				for x := range modules {
					want := isDark(code.At(x, y))
					if got := isDark(img.At(offset+x*scale+scale/2, offset+y*scale+scale/2)); got != want {
						t.Fatalf("module (%d,%d) dark=%v, want %v", x, y, got, want)
					}
				}
			}
			for i := range offset {
				for _, p := range []image.Point{{i, i}, {size - 1 - i, i}, {i, size / 2}, {size / 2, size - 1 - i}} {
					if isDark(img.At(p.X, p.Y)) {
						t.Fatalf("quiet zone pixel %v is dark", p)
					}
				}
			}
			// The top-left finder pattern starts at the first module.
			if !isDark(img.At(offset, offset)) {
				t.Error("no finder pattern at the top-left corner")
			}
		})
	}
}

func TestQRCodePNGRefusesSizesThatDoNotFit(t *testing.T) {
	text := TOTPURI("Acme Agency", "jane@example.com", rfcSecret)
	for _, size := range []int{0, -5, 40, MaxQRSize + 1} {
		if _, err := QRCodePNG(text, size); err == nil {
			t.Errorf("size %d accepted", size)
		}
	}
}
