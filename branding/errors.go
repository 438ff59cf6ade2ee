package branding

import "workrate/field"

// The branding refusals, returned wrapped; errors.Is matches them by code.
// Each is a *field.Error naming the input at fault (logo, primary_color).
var (
	// ErrLogoEmpty reports an empty logo upload.
	ErrLogoEmpty error = field.New("logo", field.LogoEmpty)
	// ErrLogoTooLarge reports a logo upload larger than MaxLogoBytes (Limit in KiB).
	ErrLogoTooLarge error = field.Limited("logo", field.LogoTooLarge, MaxLogoBytes>>10)
	// ErrLogoDimensions reports a logo wider or taller than MaxLogoPixels, or with a zero side.
	ErrLogoDimensions error = field.Limited("logo", field.LogoDimensions, MaxLogoPixels)
	// ErrLogoFormat reports content that is not a PNG, JPEG or WebP image.
	ErrLogoFormat error = field.New("logo", field.LogoFormat)
	// ErrLogoCorrupt reports a truncated or undecodable image.
	ErrLogoCorrupt error = field.New("logo", field.LogoCorrupt)
	// ErrLogoTrailingData reports bytes appended after the end of the image stream.
	ErrLogoTrailingData error = field.New("logo", field.LogoTrailingData)
	// ErrColor reports a colour that is not #rgb or #rrggbb.
	ErrColor error = field.New("primary_color", field.InvalidColor)
)
