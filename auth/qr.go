package auth

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"github.com/boombuler/barcode/qr"
)

// qrQuietZone is the white border, in modules, that scanners need around a code.
const qrQuietZone = 4

// MaxQRSize bounds the side of a QR image in pixels.
const MaxQRSize = 2048

// QRCodePNG renders text as a black-on-white QR code (error correction level M)
// in a PNG of size×size pixels, drawn on the server so that a TOTP secret never
// leaves for an outside service. Each module is a whole number of pixels; the
// rest of the square is white margin. A size too small for the code, or above
// MaxQRSize, is an error.
func QRCodePNG(text string, size int) ([]byte, error) {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("auth: encode QR code: %w", err)
	}
	modules := code.Bounds().Dx()
	total := modules + 2*qrQuietZone
	scale := size / total
	if size > MaxQRSize || scale < 1 {
		return nil, fmt.Errorf("auth: QR code of %d modules does not fit %d pixels (at least %d, at most %d)", modules, size, total, MaxQRSize)
	}
	img := image.NewPaletted(image.Rect(0, 0, size, size), color.Palette{color.White, color.Black})
	offset := (size - modules*scale) / 2
	for y := range modules {
		for x := range modules {
			if !isDark(code.At(x, y)) {
				continue
			}
			for dy := range scale {
				row := (offset+y*scale+dy)*img.Stride + offset + x*scale
				for dx := range scale {
					img.Pix[row+dx] = 1
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("auth: encode QR PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// isDark reports whether a module colour is the code's foreground.
func isDark(c color.Color) bool {
	return color.GrayModel.Convert(c).(color.Gray).Y < 0x80
}
