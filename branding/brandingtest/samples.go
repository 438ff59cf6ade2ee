// Package brandingtest builds logo uploads for tests: valid PNG, JPEG and
// WebP images and the hostile files a logo upload must refuse.
package brandingtest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
)

// Gradient returns a w×h opaque test image.
func Gradient(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.SetNRGBA(x, y, color.NRGBA{R: uint8(x * 7), G: uint8(y * 13), B: 0x80, A: 0xff})
		}
	}
	return m
}

// PNG returns a w×h PNG carrying a tEXt chunk (metadata a re-encode drops).
func PNG(w, h int) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, Gradient(w, h)); err != nil {
		panic(err)
	}
	p := buf.Bytes()
	meta := chunk("tEXt", []byte("Comment\x00made by brandingtest"))
	out := append([]byte{}, p[:len(p)-12]...)
	out = append(out, meta...)
	return append(out, p[len(p)-12:]...)
}

// JPEG returns a w×h JPEG.
func JPEG(w, h int) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, Gradient(w, h), &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// WebP returns a w×h single-colour lossless WebP (w, h ≤ 16384): each prefix
// code holds one symbol, so even a huge canvas is a few dozen bytes.
func WebP(w, h int, c color.NRGBA) []byte {
	var bw bitWriter
	bw.write(0x2f, 8) // VP8L signature
	bw.write(uint64(w-1), 14)
	bw.write(uint64(h-1), 14)
	bw.write(1, 1) // alpha is used
	bw.write(0, 3) // version 0
	bw.write(0, 1) // no transform
	bw.write(0, 1) // no colour cache
	bw.write(0, 1) // no meta prefix codes
	for _, sym := range []uint8{c.G, c.R, c.B, c.A} {
		bw.write(1, 1) // simple code
		bw.write(0, 1) // one symbol
		bw.write(1, 1) // 8-bit symbol
		bw.write(uint64(sym), 8)
	}
	bw.write(0b0001, 4) // distance: simple code, one 1-bit symbol: 0
	payload := bw.bytes()
	if len(payload)%2 == 1 {
		payload = append(payload, 0)
	}
	out := []byte("RIFF")
	out = binary.LittleEndian.AppendUint32(out, uint32(4+8+len(payload)))
	out = append(out, "WEBPVP8L"...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(payload)))
	return append(out, payload...)
}

// BombPNG returns a small PNG that decodes to w×h pixels (a decompression
// bomb when w and h are large).
func BombPNG(w, h int) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 1, 0, 0, 0, 0) // 1-bit greyscale
	var buf bytes.Buffer
	zw, err := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	if err != nil {
		panic(err)
	}
	row := make([]byte, 1+(w+7)/8)
	for range h {
		if _, err := zw.Write(row); err != nil {
			panic(err)
		}
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, chunk("IHDR", ihdr)...)
	out = append(out, chunk("IDAT", buf.Bytes())...)
	return append(out, chunk("IEND", nil)...)
}

// SVG is a scalable image with a script: never accepted as a logo.
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(document.cookie)"><script>alert(1)</script><rect width="10" height="10"/></svg>`

// Script is a payload appended to an image to smuggle it past a check.
const Script = "<script>alert(document.cookie)</script>"

func chunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[4:]))
}

// bitWriter writes LSB-first bit streams as used by VP8L.
type bitWriter struct {
	buf []byte
	acc uint64
	n   uint
}

func (w *bitWriter) write(v uint64, bits uint) {
	w.acc |= v << w.n
	w.n += bits
	for w.n >= 8 {
		w.buf = append(w.buf, byte(w.acc))
		w.acc >>= 8
		w.n -= 8
	}
}

func (w *bitWriter) bytes() []byte {
	if w.n > 0 {
		w.buf = append(w.buf, byte(w.acc))
		w.acc, w.n = 0, 0
	}
	return w.buf
}
