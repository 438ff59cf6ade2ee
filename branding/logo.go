package branding

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

// MaxLogoBytes is the largest accepted logo upload, in bytes.
const MaxLogoBytes = 1 << 20

// ReadLogo reads at most MaxLogoBytes+1 bytes of r: one more than allowed
// tells a file that is too large without reading all of it.
func ReadLogo(r io.Reader) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r, MaxLogoBytes+1))
}

// MaxLogoPixels is the largest accepted logo width and height, in pixels.
const MaxLogoPixels = 2000

// FaviconSize is the width and height, in pixels, of the PNG produced by Favicon.
const FaviconSize = 64

// Logo is a validated logo, re-encoded as PNG.
type Logo struct {
	// PNG is the re-encoded image; metadata and appended payloads are gone.
	PNG []byte
	// Hash is the full 64-char lowercase hex SHA-256 of PNG.
	Hash string
	// Width is the image width in pixels.
	Width int
	// Height is the image height in pixels.
	Height int
}

// imageFormat holds the functions used to validate and decode one format.
type imageFormat struct {
	name         string
	decodeConfig func(io.Reader) (image.Config, error)
	decode       func(io.Reader) (image.Image, error)
	end          func([]byte) (int, error) // offset just past the image stream
	padding      bool                      // 0x00/0xff filler allowed after end
}

const pngSignature = "\x89PNG\r\n\x1a\n"

// ProcessLogo validates an uploaded logo and re-encodes it as PNG.
//
// The format is recognised by content only (PNG, JPEG or WebP). Dimensions are
// read from the header and checked before any pixel data is decoded, bytes
// after the end of the image stream are refused, and the decoded image is
// re-encoded so metadata and hidden payloads never reach storage. Errors wrap
// one of the ErrLogo* sentinels.
func ProcessLogo(data []byte) (Logo, error) {
	img, err := decodeLogo(data)
	if err != nil {
		return Logo{}, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return Logo{}, fmt.Errorf("branding: encode logo as png: %w", err)
	}
	sum := sha256.Sum256(buf.Bytes())
	b := img.Bounds()
	return Logo{
		PNG:    buf.Bytes(),
		Hash:   hex.EncodeToString(sum[:]),
		Width:  b.Dx(),
		Height: b.Dy(),
	}, nil
}

// Favicon renders the logo as a FaviconSize×FaviconSize PNG, scaled to fit with
// its aspect ratio kept and transparent padding around it.
func Favicon(l Logo) ([]byte, error) {
	src, err := decodeLogo(l.PNG)
	if err != nil {
		return nil, fmt.Errorf("branding: favicon: %w", err)
	}
	sb := src.Bounds()
	w, h := sb.Dx(), sb.Dy()
	dw, dh := FaviconSize, FaviconSize
	if w >= h {
		dh = max(1, (h*FaviconSize+w/2)/w)
	} else {
		dw = max(1, (w*FaviconSize+h/2)/h)
	}
	x0, y0 := (FaviconSize-dw)/2, (FaviconSize-dh)/2
	dst := image.NewRGBA(image.Rect(0, 0, FaviconSize, FaviconSize))
	draw.CatmullRom.Scale(dst, image.Rect(x0, y0, x0+dw, y0+dh), src, sb, draw.Src, nil)
	var buf bytes.Buffer
	if err := png.Encode(&buf, dst); err != nil {
		return nil, fmt.Errorf("branding: encode favicon: %w", err)
	}
	return buf.Bytes(), nil
}

// decodeLogo runs every logo check and returns the fully decoded image.
func decodeLogo(data []byte) (image.Image, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("branding: logo: %w", ErrLogoEmpty)
	}
	if len(data) > MaxLogoBytes {
		return nil, fmt.Errorf("branding: logo is %d bytes, limit %d: %w", len(data), MaxLogoBytes, ErrLogoTooLarge)
	}

	f, ok := sniffFormat(data)
	if !ok {
		return nil, fmt.Errorf("branding: logo: %w", ErrLogoFormat)
	}

	// Header only: a decompression bomb is refused before any pixel is decoded.
	cfg, err := safeDecodeConfig(f.decodeConfig, data)
	if err != nil {
		return nil, fmt.Errorf("branding: read %s header: %w: %w", f.name, ErrLogoCorrupt, err)
	}
	if !validDimensions(cfg.Width, cfg.Height) {
		return nil, fmt.Errorf("branding: %s is %dx%d: %w", f.name, cfg.Width, cfg.Height, ErrLogoDimensions)
	}

	end, err := f.end(data)
	if err != nil {
		return nil, fmt.Errorf("branding: scan %s structure: %w", f.name, err)
	}
	if end != len(data) && !(f.padding && isPadding(data[end:])) {
		return nil, fmt.Errorf("branding: %d bytes after end of %s: %w", len(data)-end, f.name, ErrLogoTrailingData)
	}

	img, err := safeDecode(f.decode, data[:end])
	if err != nil {
		return nil, fmt.Errorf("branding: decode %s: %w: %w", f.name, ErrLogoCorrupt, err)
	}
	b := img.Bounds()
	if b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, fmt.Errorf("branding: decoded %s is %dx%d, header says %dx%d: %w",
			f.name, b.Dx(), b.Dy(), cfg.Width, cfg.Height, ErrLogoCorrupt)
	}
	return img, nil
}

// sniffFormat recognises PNG, JPEG and WebP by their magic bytes only.
func sniffFormat(data []byte) (imageFormat, bool) {
	switch {
	case bytes.HasPrefix(data, []byte(pngSignature)):
		return imageFormat{name: "png", decodeConfig: png.DecodeConfig, decode: png.Decode, end: pngEnd}, true
	case bytes.HasPrefix(data, []byte{0xff, 0xd8, 0xff}):
		return imageFormat{name: "jpeg", decodeConfig: jpeg.DecodeConfig, decode: jpeg.Decode, end: jpegEnd, padding: true}, true
	case len(data) >= 12 && string(data[0:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return imageFormat{name: "webp", decodeConfig: webp.DecodeConfig, decode: webp.Decode, end: webpEnd}, true
	default:
		return imageFormat{}, false
	}
}

// validDimensions reports whether both sides are within 1..MaxLogoPixels.
func validDimensions(w, h int) bool {
	return w > 0 && h > 0 && w <= MaxLogoPixels && h <= MaxLogoPixels
}

// safeDecodeConfig calls fn on data and turns a decoder panic into an error.
func safeDecodeConfig(fn func(io.Reader) (image.Config, error), data []byte) (cfg image.Config, err error) {
	defer func() {
		if r := recover(); r != nil {
			cfg, err = image.Config{}, fmt.Errorf("decoder panic: %v", r)
		}
	}()
	return fn(bytes.NewReader(data))
}

// safeDecode calls fn on data and turns a decoder panic into an error.
func safeDecode(fn func(io.Reader) (image.Image, error), data []byte) (img image.Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, fmt.Errorf("decoder panic: %v", r)
		}
	}()
	return fn(bytes.NewReader(data))
}

// isPadding reports whether b holds only 0x00 or 0xff filler bytes.
func isPadding(b []byte) bool {
	for _, c := range b {
		if c != 0x00 && c != 0xff {
			return false
		}
	}
	return true
}

// pngEnd walks the PNG chunk list and returns the offset just past IEND.
func pngEnd(data []byte) (int, error) {
	i := len(pngSignature)
	for {
		if len(data)-i < 12 {
			return 0, fmt.Errorf("png chunk header at %d: %w", i, ErrLogoCorrupt)
		}
		n := int64(binary.BigEndian.Uint32(data[i:]))
		typ := string(data[i+4 : i+8])
		if n > int64(len(data)-i-12) {
			return 0, fmt.Errorf("png chunk %q at %d overruns file: %w", typ, i, ErrLogoCorrupt)
		}
		i += 12 + int(n)
		if typ == "IEND" {
			return i, nil
		}
	}
}

// jpegEnd walks the JPEG marker segments and entropy-coded scans and returns
// the offset just past the EOI marker.
//
// ProcessLogo refuses anything after EOI except 0x00/0xff padding, so it also
// refuses multi-picture (MPF) JPEGs that append a second image after EOI, such
// as some phone photos with HDR gain maps; re-exporting the logo fixes those.
func jpegEnd(data []byte) (int, error) {
	i := 2 // past SOI
	for {
		// Like libjpeg, skip stray bytes before a marker, then fill bytes.
		j := bytes.IndexByte(data[i:], 0xff)
		if j < 0 {
			return 0, fmt.Errorf("jpeg ends before EOI: %w", ErrLogoCorrupt)
		}
		i += j
		for i < len(data) && data[i] == 0xff {
			i++
		}
		if i >= len(data) {
			return 0, fmt.Errorf("jpeg ends before EOI: %w", ErrLogoCorrupt)
		}
		m := data[i]
		i++
		switch {
		case m == 0xd9: // EOI
			return i, nil
		case m == 0x00 || m == 0xd8:
			return 0, fmt.Errorf("jpeg marker 0x%02x at %d: %w", m, i-1, ErrLogoCorrupt)
		case m == 0x01 || (m >= 0xd0 && m <= 0xd7): // TEM, RSTn: no length
			continue
		}
		if len(data)-i < 2 {
			return 0, fmt.Errorf("jpeg segment 0x%02x truncated: %w", m, ErrLogoCorrupt)
		}
		n := int(binary.BigEndian.Uint16(data[i:]))
		if n < 2 || n > len(data)-i {
			return 0, fmt.Errorf("jpeg segment 0x%02x at %d overruns file: %w", m, i-1, ErrLogoCorrupt)
		}
		i += n
		if m == 0xda { // SOS: skip entropy-coded data up to the next real marker.
			for {
				j := bytes.IndexByte(data[i:], 0xff)
				if j < 0 || i+j+1 >= len(data) {
					return 0, fmt.Errorf("jpeg scan ends before EOI: %w", ErrLogoCorrupt)
				}
				i += j
				next := data[i+1]
				if next == 0x00 || (next >= 0xd0 && next <= 0xd7) { // stuffed byte, RSTn
					i += 2
					continue
				}
				if next == 0xff { // fill byte before a marker
					i++
					continue
				}
				break
			}
		}
	}
}

// webpEnd returns the end of the RIFF container as declared in its header.
func webpEnd(data []byte) (int, error) {
	size := int64(binary.LittleEndian.Uint32(data[4:8]))
	if size < 4 || size > int64(len(data)-8) {
		return 0, fmt.Errorf("webp riff size %d does not fit %d bytes: %w", size, len(data), ErrLogoCorrupt)
	}
	return 8 + int(size), nil
}
