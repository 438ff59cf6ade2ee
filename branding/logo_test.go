package branding

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"strings"
	"testing"

	"golang.org/x/image/webp"

	"workrate/branding/brandingtest"
	"workrate/field"
)

// webpLossless1x1 is a 1×1 fully transparent lossless (VP8L) WebP.
var webpLossless1x1 = []byte{
	0x52, 0x49, 0x46, 0x46, 0x1a, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50,
	0x56, 0x50, 0x38, 0x4c, 0x0d, 0x00, 0x00, 0x00, 0x2f, 0x00, 0x00, 0x00,
	0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07, 0x00,
}

// webpLossy1x1 is a 1×1 grey lossy (VP8) WebP.
var webpLossy1x1 = []byte{
	0x52, 0x49, 0x46, 0x46, 0x22, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50,
	0x56, 0x50, 0x38, 0x20, 0x16, 0x00, 0x00, 0x00, 0x30, 0x01, 0x00, 0x9d,
	0x01, 0x2a, 0x01, 0x00, 0x01, 0x00, 0x0e, 0xc0, 0xfe, 0x25, 0xa4, 0x00,
	0x03, 0x70, 0x00, 0x00, 0x00, 0x00,
}

// webpAlpha1x1 is a 1×1 lossy WebP with an ALPH chunk (extended VP8X container).
var webpAlpha1x1 = []byte{
	0x52, 0x49, 0x46, 0x46, 0x4a, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50,
	0x56, 0x50, 0x38, 0x58, 0x0a, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x41, 0x4c, 0x50, 0x48, 0x0c, 0x00,
	0x00, 0x00, 0x11, 0x07, 0x10, 0x11, 0xfd, 0x0f, 0x44, 0x44, 0xff, 0x03,
	0x00, 0x00, 0x56, 0x50, 0x38, 0x20, 0x18, 0x00, 0x00, 0x00, 0x14, 0x01,
	0x00, 0x9d, 0x01, 0x2a, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0xfe, 0x00,
	0x00, 0x0d, 0xc0, 0x00, 0xfe, 0xe6, 0xb5, 0x00, 0x00, 0x00,
}

// testImage returns a w×h NRGBA gradient with a semi-transparent corner.
func testImage(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.SetNRGBA(x, y, color.NRGBA{R: uint8(x * 7), G: uint8(y * 13), B: 0x80, A: 0xff})
		}
	}
	m.SetNRGBA(0, 0, color.NRGBA{R: 10, G: 20, B: 30, A: 0x40})
	return m
}

// solidImage returns a w×h image filled with c.
func solidImage(w, h int, c color.NRGBA) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(m.Pix); i += 4 {
		m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return m
}

func encodePNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatalf("png.Encode: %v", err)
	}
	return buf.Bytes()
}

func encodeJPEG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatalf("jpeg.Encode: %v", err)
	}
	return buf.Bytes()
}

func encodeGIF(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := gif.Encode(&buf, m, nil); err != nil {
		t.Fatalf("gif.Encode: %v", err)
	}
	return buf.Bytes()
}

// pngChunk builds a PNG chunk with a valid CRC.
func pngChunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[4:]))
}

// insertBeforeIEND inserts chunk just before the final 12-byte IEND chunk.
func insertBeforeIEND(p, chunk []byte) []byte {
	out := append([]byte{}, p[:len(p)-12]...)
	out = append(out, chunk...)
	return append(out, p[len(p)-12:]...)
}

// bombPNG builds a 1-bit greyscale PNG whose IHDR claims w×h. With validIDAT
// the zero pixels are really zlib-compressed (a genuine decompression bomb of
// w*h bytes once decoded to image.Gray); otherwise IDAT is garbage, so only a
// check made before decoding can report anything other than logo.corrupt.
func bombPNG(t testing.TB, w, h int, validIDAT bool) []byte {
	t.Helper()
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 1, 0, 0, 0, 0) // bit depth 1, greyscale, deflate, no filter, no interlace
	idat := []byte("this is not a zlib stream")
	if validIDAT {
		var buf bytes.Buffer
		zw, err := zlib.NewWriterLevel(&buf, zlib.BestCompression)
		if err != nil {
			t.Fatalf("zlib: %v", err)
		}
		row := make([]byte, 1+(w+7)/8)
		for range h {
			if _, err := zw.Write(row); err != nil {
				t.Fatalf("zlib write: %v", err)
			}
		}
		if err := zw.Close(); err != nil {
			t.Fatalf("zlib close: %v", err)
		}
		idat = buf.Bytes()
	}
	out := []byte(pngSignature)
	out = append(out, pngChunk("IHDR", ihdr)...)
	out = append(out, pngChunk("IDAT", idat)...)
	return append(out, pngChunk("IEND", nil)...)
}

func TestWebPFixturesAreValid(t *testing.T) {
	tests := []struct {
		name       string
		data       []byte
		wantW      int
		wantH      int
		wantPixel  color.NRGBA
		checkPixel bool
	}{
		{name: "lossless 1x1 literal", data: webpLossless1x1, wantW: 1, wantH: 1, wantPixel: color.NRGBA{}, checkPixel: true},
		{name: "lossy 1x1 literal", data: webpLossy1x1, wantW: 1, wantH: 1},
		{name: "alpha 1x1 literal", data: webpAlpha1x1, wantW: 1, wantH: 1},
		{name: "generated solid 30x10", data: brandingtest.WebP(30, 10, color.NRGBA{R: 0x4f, G: 0x46, B: 0xe5, A: 0xff}), wantW: 30, wantH: 10, wantPixel: color.NRGBA{R: 0x4f, G: 0x46, B: 0xe5, A: 0xff}, checkPixel: true},
		{name: "generated solid 3x7 translucent", data: brandingtest.WebP(3, 7, color.NRGBA{R: 1, G: 2, B: 3, A: 0x80}), wantW: 3, wantH: 7, wantPixel: color.NRGBA{R: 1, G: 2, B: 3, A: 0x80}, checkPixel: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := webp.Decode(bytes.NewReader(tt.data))
			if err != nil {
				t.Fatalf("webp.Decode: %v", err)
			}
			if got := m.Bounds().Size(); got != image.Pt(tt.wantW, tt.wantH) {
				t.Fatalf("size = %v, want %dx%d", got, tt.wantW, tt.wantH)
			}
			if tt.checkPixel {
				got := color.NRGBAModel.Convert(m.At(tt.wantW-1, tt.wantH-1)).(color.NRGBA)
				if got != tt.wantPixel {
					t.Fatalf("pixel = %v, want %v", got, tt.wantPixel)
				}
			}
		})
	}
}

func TestProcessLogoAccepts(t *testing.T) {
	src := testImage(40, 20)
	pngData := encodePNG(t, src)
	jpegData := encodeJPEG(t, testImage(48, 32))
	withText := insertBeforeIEND(pngData, pngChunk("tEXt", []byte("Comment\x00<script>alert(1)</script>")))
	brand := color.NRGBA{R: 0x4f, G: 0x46, B: 0xe5, A: 0xff}

	tests := []struct {
		name      string
		data      []byte
		wantW     int
		wantH     int
		wantPixel *color.NRGBA // pixel (w-1, h-1) after re-encoding, for lossless inputs
	}{
		{name: "png", data: pngData, wantW: 40, wantH: 20, wantPixel: &color.NRGBA{R: uint8(39 * 7 % 256), G: uint8(19 * 13 % 256), B: 0x80, A: 0xff}},
		{name: "png with script in tEXt metadata", data: withText, wantW: 40, wantH: 20},
		{name: "png at max width", data: encodePNG(t, testImage(MaxLogoPixels, 1)), wantW: MaxLogoPixels, wantH: 1},
		{name: "png at max height", data: encodePNG(t, testImage(1, MaxLogoPixels)), wantW: 1, wantH: MaxLogoPixels},
		{name: "jpeg", data: jpegData, wantW: 48, wantH: 32},
		{name: "jpeg with zero padding after EOI", data: append(append([]byte{}, jpegData...), 0, 0, 0, 0), wantW: 48, wantH: 32},
		{name: "jpeg with 0xff padding after EOI", data: append(append([]byte{}, jpegData...), 0xff, 0xff), wantW: 48, wantH: 32},
		{name: "webp lossless literal", data: webpLossless1x1, wantW: 1, wantH: 1, wantPixel: &color.NRGBA{}},
		{name: "webp lossy literal", data: webpLossy1x1, wantW: 1, wantH: 1},
		{name: "webp alpha literal", data: webpAlpha1x1, wantW: 1, wantH: 1},
		{name: "webp generated", data: brandingtest.WebP(30, 10, brand), wantW: 30, wantH: 10, wantPixel: &brand},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := ProcessLogo(tt.data)
			if err != nil {
				t.Fatalf("ProcessLogo: %v", err)
			}
			if l.Width != tt.wantW || l.Height != tt.wantH {
				t.Fatalf("Logo size = %dx%d, want %dx%d", l.Width, l.Height, tt.wantW, tt.wantH)
			}
			m, err := png.Decode(bytes.NewReader(l.PNG))
			if err != nil {
				t.Fatalf("output is not a PNG: %v", err)
			}
			if got := m.Bounds().Size(); got != image.Pt(tt.wantW, tt.wantH) {
				t.Fatalf("PNG size = %v, want %dx%d", got, tt.wantW, tt.wantH)
			}
			sum := sha256.Sum256(l.PNG)
			if want := hex.EncodeToString(sum[:]); l.Hash != want {
				t.Fatalf("Hash = %q, want %q", l.Hash, want)
			}
			if tt.wantPixel != nil {
				got := color.NRGBAModel.Convert(m.At(tt.wantW-1, tt.wantH-1)).(color.NRGBA)
				if got != *tt.wantPixel {
					t.Fatalf("pixel = %v, want %v", got, *tt.wantPixel)
				}
			}
			if bytes.Contains(l.PNG, []byte("<script>")) || bytes.Contains(l.PNG, []byte("tEXt")) {
				t.Fatal("re-encoded PNG still carries the metadata payload")
			}
		})
	}
}

func TestProcessLogoHash(t *testing.T) {
	a := encodePNG(t, testImage(8, 8))
	b := encodePNG(t, testImage(9, 8))
	la1, err := ProcessLogo(a)
	if err != nil {
		t.Fatalf("ProcessLogo(a): %v", err)
	}
	la2, err := ProcessLogo(a)
	if err != nil {
		t.Fatalf("ProcessLogo(a) again: %v", err)
	}
	lb, err := ProcessLogo(b)
	if err != nil {
		t.Fatalf("ProcessLogo(b): %v", err)
	}
	tests := []struct {
		name string
		ok   bool
	}{
		{name: "full 64 hex chars", ok: len(la1.Hash) == 64 && strings.Trim(la1.Hash, "0123456789abcdef") == ""},
		{name: "deterministic", ok: la1.Hash == la2.Hash},
		{name: "different images differ", ok: la1.Hash != lb.Hash},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.ok {
				t.Fatalf("hashes: a=%q a'=%q b=%q", la1.Hash, la2.Hash, lb.Hash)
			}
		})
	}
}

func TestProcessLogoRejects(t *testing.T) {
	pngData := encodePNG(t, testImage(40, 20))
	jpegData := encodeJPEG(t, testImage(48, 32))
	webpData := brandingtest.WebP(30, 10, color.NRGBA{R: 1, G: 2, B: 3, A: 0xff})
	script := []byte("<script>alert(document.cookie)</script>")

	badCRC := append([]byte{}, pngData...)
	badCRC[len(badCRC)-13] ^= 0xff // last byte of the IDAT CRC

	zeroWidth := bombPNG(t, 0, 10, false)
	hugeDecl := append([]byte{}, webpData...)
	binary.LittleEndian.PutUint32(hugeDecl[4:], 1<<30) // RIFF size beyond the data

	tests := []struct {
		name string
		data []byte
		want error
	}{
		{name: "nil", data: nil, want: ErrLogoEmpty},
		{name: "empty", data: []byte{}, want: ErrLogoEmpty},
		{name: "over 1 MiB", data: append([]byte(pngSignature), make([]byte, MaxLogoBytes)...), want: ErrLogoTooLarge},
		{name: "svg", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>`), want: ErrLogoFormat},
		{name: "svg with xml prolog", data: []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`), want: ErrLogoFormat},
		{name: "text file", data: []byte("hello, this is not an image\n"), want: ErrLogoFormat},
		{name: "html", data: []byte("<!doctype html><script>alert(1)</script>"), want: ErrLogoFormat},
		{name: "gif", data: encodeGIF(t, testImage(10, 10)), want: ErrLogoFormat},
		{name: "bmp magic", data: []byte("BM\x3a\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00"), want: ErrLogoFormat},
		{name: "riff but not webp", data: []byte("RIFF\x04\x00\x00\x00WAVEfmt "), want: ErrLogoFormat},
		{name: "png with script appended", data: append(append([]byte{}, pngData...), script...), want: ErrLogoTrailingData},
		{name: "png with one zero byte appended", data: append(append([]byte{}, pngData...), 0), want: ErrLogoTrailingData},
		{name: "png followed by a second png", data: append(append([]byte{}, pngData...), pngData...), want: ErrLogoTrailingData},
		{name: "jpeg with script appended", data: append(append([]byte{}, jpegData...), script...), want: ErrLogoTrailingData},
		{name: "jpeg with zip-like payload appended", data: append(append([]byte{}, jpegData...), "PK\x03\x04payload"...), want: ErrLogoTrailingData},
		{name: "webp with script appended", data: append(append([]byte{}, webpData...), script...), want: ErrLogoTrailingData},
		{name: "png bomb 10000x10000 valid idat", data: bombPNG(t, 10000, 10000, true), want: ErrLogoDimensions},
		{name: "png bomb 10000x10000 garbage idat", data: bombPNG(t, 10000, 10000, false), want: ErrLogoDimensions},
		{name: "webp bomb 10000x10000", data: brandingtest.WebP(10000, 10000, color.NRGBA{A: 0xff}), want: ErrLogoDimensions},
		{name: "png one pixel too wide", data: encodePNG(t, testImage(MaxLogoPixels+1, 1)), want: ErrLogoDimensions},
		{name: "png one pixel too tall", data: encodePNG(t, testImage(1, MaxLogoPixels+1)), want: ErrLogoDimensions},
		{name: "jpeg too wide", data: encodeJPEG(t, solidImage(MaxLogoPixels+1, 8, color.NRGBA{A: 0xff})), want: ErrLogoDimensions},
		{name: "png zero width", data: zeroWidth, want: ErrLogoCorrupt},
		{name: "png truncated", data: pngData[:len(pngData)/2], want: ErrLogoCorrupt},
		{name: "png without IEND", data: pngData[:len(pngData)-12], want: ErrLogoCorrupt},
		{name: "png signature only", data: []byte(pngSignature), want: ErrLogoCorrupt},
		{name: "png bad crc", data: badCRC, want: ErrLogoCorrupt},
		{name: "jpeg truncated", data: jpegData[:len(jpegData)/2], want: ErrLogoCorrupt},
		{name: "jpeg without EOI", data: jpegData[:len(jpegData)-2], want: ErrLogoCorrupt},
		{name: "jpeg magic only", data: []byte{0xff, 0xd8, 0xff}, want: ErrLogoCorrupt},
		{name: "webp truncated", data: webpData[:len(webpData)-4], want: ErrLogoCorrupt},
		{name: "webp riff size beyond data", data: hugeDecl, want: ErrLogoCorrupt},
		{name: "webp header only", data: []byte("RIFF\x04\x00\x00\x00WEBP"), want: ErrLogoCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := ProcessLogo(tt.data)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ProcessLogo error = %v, want %v", err, tt.want)
			}
			var e *field.Error
			if !errors.As(err, &e) || e.Code != tt.want.(*field.Error).Code {
				t.Fatalf("errors.As code = %v, want %q", e, tt.want.(*field.Error).Code)
			}
			if l.PNG != nil || l.Hash != "" {
				t.Fatalf("rejected logo returned data: %+v", l)
			}
		})
	}
}

func TestBombHeadersAreWellFormed(t *testing.T) {
	// Guards the rejection tests above: the bombs must be refused for their
	// size, not because the crafted header is itself broken.
	tests := []struct {
		name   string
		data   []byte
		config func(io.Reader) (image.Config, error)
	}{
		{name: "png", data: bombPNG(t, 10000, 10000, true), config: png.DecodeConfig},
		{name: "png garbage idat", data: bombPNG(t, 10000, 10000, false), config: png.DecodeConfig},
		{name: "webp", data: brandingtest.WebP(10000, 10000, color.NRGBA{A: 0xff}), config: webp.DecodeConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.data) > MaxLogoBytes {
				t.Fatalf("bomb is %d bytes, must fit under MaxLogoBytes", len(tt.data))
			}
			cfg, err := tt.config(bytes.NewReader(tt.data))
			if err != nil {
				t.Fatalf("DecodeConfig: %v", err)
			}
			if cfg.Width != 10000 || cfg.Height != 10000 {
				t.Fatalf("config = %dx%d, want 10000x10000", cfg.Width, cfg.Height)
			}
		})
	}
}

func TestDecoderPanicsBecomeErrors(t *testing.T) {
	tests := []struct {
		name string
		run  func() error
	}{
		{name: "decode", run: func() error {
			_, err := safeDecode(func(io.Reader) (image.Image, error) { panic("boom") }, []byte{1})
			return err
		}},
		{name: "decode config", run: func() error {
			_, err := safeDecodeConfig(func(io.Reader) (image.Config, error) { panic(fmt.Errorf("boom")) }, []byte{1})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.run(); err == nil || !strings.Contains(err.Error(), "boom") {
				t.Fatalf("err = %v, want recovered panic", err)
			}
		})
	}
}

func TestFavicon(t *testing.T) {
	red := color.NRGBA{R: 0xff, A: 0xff}
	logo := func(w, h int) Logo {
		l, err := ProcessLogo(encodePNG(t, solidImage(w, h, red)))
		if err != nil {
			t.Fatalf("ProcessLogo: %v", err)
		}
		return l
	}
	tests := []struct {
		name        string
		logo        Logo
		opaque      []image.Point
		transparent []image.Point
	}{
		{name: "wide", logo: logo(200, 100), opaque: []image.Point{{0, 16}, {63, 47}, {32, 32}}, transparent: []image.Point{{32, 0}, {32, 15}, {32, 48}, {32, 63}}},
		{name: "tall", logo: logo(50, 200), opaque: []image.Point{{24, 0}, {39, 63}, {32, 32}}, transparent: []image.Point{{0, 32}, {23, 32}, {40, 32}, {63, 32}}},
		{name: "square small upscaled", logo: logo(10, 10), opaque: []image.Point{{0, 0}, {63, 63}, {32, 32}}},
		{name: "square large downscaled", logo: logo(MaxLogoPixels, MaxLogoPixels), opaque: []image.Point{{0, 0}, {63, 63}}},
		{name: "one pixel line", logo: logo(1000, 1), opaque: []image.Point{{0, 31}, {63, 31}}, transparent: []image.Point{{32, 30}, {32, 32}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Favicon(tt.logo)
			if err != nil {
				t.Fatalf("Favicon: %v", err)
			}
			m, err := png.Decode(bytes.NewReader(out))
			if err != nil {
				t.Fatalf("favicon is not a PNG: %v", err)
			}
			if got := m.Bounds(); got != image.Rect(0, 0, FaviconSize, FaviconSize) {
				t.Fatalf("bounds = %v, want 64x64", got)
			}
			for _, p := range tt.opaque {
				if got := color.NRGBAModel.Convert(m.At(p.X, p.Y)).(color.NRGBA); got != red {
					t.Errorf("pixel %v = %v, want %v", p, got, red)
				}
			}
			for _, p := range tt.transparent {
				if _, _, _, a := m.At(p.X, p.Y).RGBA(); a != 0 {
					t.Errorf("pixel %v alpha = %d, want transparent", p, a)
				}
			}
		})
	}
}

func TestFaviconRejectsInvalidLogo(t *testing.T) {
	tests := []struct {
		name string
		logo Logo
		want error
	}{
		{name: "zero value", logo: Logo{}, want: ErrLogoEmpty},
		{name: "not an image", logo: Logo{PNG: []byte("nope")}, want: ErrLogoFormat},
		{name: "truncated png", logo: Logo{PNG: encodePNG(t, testImage(20, 20))[:40]}, want: ErrLogoCorrupt},
		{name: "oversized png", logo: Logo{PNG: bombPNG(t, 10000, 10000, false)}, want: ErrLogoDimensions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Favicon(tt.logo); !errors.Is(err, tt.want) {
				t.Fatalf("Favicon error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestErrorCodes(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		target   error
		wantIs   bool
		wantCode string
	}{
		{name: "sentinel itself", err: ErrLogoEmpty, target: ErrLogoEmpty, wantIs: true, wantCode: field.LogoEmpty},
		{name: "wrapped", err: fmt.Errorf("ctx: %w", ErrLogoCorrupt), target: ErrLogoCorrupt, wantIs: true, wantCode: field.LogoCorrupt},
		{name: "fresh value with same code", err: &field.Error{Code: field.LogoTrailingData}, target: ErrLogoTrailingData, wantIs: true, wantCode: field.LogoTrailingData},
		{name: "different code", err: ErrLogoFormat, target: ErrLogoCorrupt, wantIs: false, wantCode: field.LogoFormat},
		{name: "colour", err: fmt.Errorf("x: %w", ErrColor), target: ErrColor, wantIs: true, wantCode: field.InvalidColor},
		{name: "dimensions", err: ErrLogoDimensions, target: ErrLogoDimensions, wantIs: true, wantCode: field.LogoDimensions},
		{name: "too large", err: ErrLogoTooLarge, target: ErrLogoTooLarge, wantIs: true, wantCode: field.LogoTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errors.Is(tt.err, tt.target); got != tt.wantIs {
				t.Fatalf("errors.Is = %v, want %v", got, tt.wantIs)
			}
			var e *field.Error
			if !errors.As(tt.err, &e) || e.Code != tt.wantCode {
				t.Fatalf("code = %v, want %q", e, tt.wantCode)
			}
			if msg := e.Error(); !strings.Contains(msg, e.Code) {
				t.Fatalf("Error() = %q, want it to name the code", msg)
			}
		})
	}
}

// fuzzSeeds returns valid images and hostile samples for FuzzProcessLogo.
func fuzzSeeds(t testing.TB) [][]byte {
	pngData := encodePNG(t, testImage(12, 9))
	jpegData := encodeJPEG(t, testImage(16, 8))
	return [][]byte{
		pngData,
		jpegData,
		webpLossless1x1,
		webpLossy1x1,
		webpAlpha1x1,
		brandingtest.WebP(5, 3, color.NRGBA{R: 9, G: 8, B: 7, A: 6}),
		append(append([]byte{}, pngData...), "<script>alert(1)</script>"...),
		append(append([]byte{}, jpegData...), 0, 0),
		pngData[:len(pngData)/2],
		jpegData[:len(jpegData)/2],
		bombPNG(t, 10000, 10000, false),
		encodeGIF(t, testImage(4, 4)),
		[]byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`),
		[]byte("plain text"),
		{},
	}
}

func FuzzProcessLogo(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ProcessLogo(data)
		if err != nil {
			var e *field.Error
			if !errors.As(err, &e) || !strings.HasPrefix(e.Code, "field.logo_") {
				t.Fatalf("error without a logo code: %v", err)
			}
			return
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(l.PNG))
		if err != nil {
			t.Fatalf("accepted output is not a PNG: %v", err)
		}
		if cfg.Width != l.Width || cfg.Height != l.Height || !validDimensions(cfg.Width, cfg.Height) {
			t.Fatalf("output %dx%d, Logo %dx%d", cfg.Width, cfg.Height, l.Width, l.Height)
		}
		if _, err := png.Decode(bytes.NewReader(l.PNG)); err != nil {
			t.Fatalf("accepted output does not decode: %v", err)
		}
		if sum := sha256.Sum256(l.PNG); hex.EncodeToString(sum[:]) != l.Hash {
			t.Fatalf("Hash does not match PNG")
		}
		again, err := ProcessLogo(l.PNG)
		if err != nil || again.Width != l.Width || again.Height != l.Height {
			t.Fatalf("re-processing output: %+v, %v", again, err)
		}
		fav, err := Favicon(l)
		if err != nil {
			t.Fatalf("Favicon: %v", err)
		}
		if fc, err := png.DecodeConfig(bytes.NewReader(fav)); err != nil || fc.Width != FaviconSize || fc.Height != FaviconSize {
			t.Fatalf("favicon config %+v, %v", fc, err)
		}
	})
}
