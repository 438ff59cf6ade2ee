package branding

// Error is a branding validation error identified by a stable, localizable Code.
//
// Handlers should translate Code for the user; Error() only returns an English
// default. Use errors.Is with the exported sentinels (codes are compared) or
// errors.As to extract the Code from a wrapped error.
type Error struct {
	Code string
}

// Sentinel errors returned (wrapped) by this package; errors.Is matches them by Code.
var (
	// ErrLogoEmpty reports an empty logo upload.
	ErrLogoEmpty = &Error{Code: "logo.empty"}
	// ErrLogoTooLarge reports a logo upload larger than MaxLogoBytes.
	ErrLogoTooLarge = &Error{Code: "logo.too_large"}
	// ErrLogoDimensions reports a logo wider or taller than MaxLogoPixels, or with a zero side.
	ErrLogoDimensions = &Error{Code: "logo.too_big_dimensions"}
	// ErrLogoFormat reports content that is not a PNG, JPEG or WebP image.
	ErrLogoFormat = &Error{Code: "logo.unsupported_format"}
	// ErrLogoCorrupt reports a truncated or undecodable image.
	ErrLogoCorrupt = &Error{Code: "logo.corrupt"}
	// ErrLogoTrailingData reports bytes appended after the end of the image stream.
	ErrLogoTrailingData = &Error{Code: "logo.trailing_data"}
	// ErrColor reports a colour that is not #rgb or #rrggbb.
	ErrColor = &Error{Code: "branding.invalid_color"}
)

// Error returns an English default message for the code.
func (e *Error) Error() string {
	switch e.Code {
	case "logo.empty":
		return "logo file is empty"
	case "logo.too_large":
		return "logo file is larger than 1 MiB"
	case "logo.too_big_dimensions":
		return "logo must be between 1 and 2000 pixels on each side"
	case "logo.unsupported_format":
		return "logo must be a PNG, JPEG or WebP image"
	case "logo.corrupt":
		return "logo image is corrupt or truncated"
	case "logo.trailing_data":
		return "logo file contains unexpected data after the image"
	case "branding.name_too_long":
		return "platform name is too long"
	case "branding.invalid_color":
		return "color must be in #rgb or #rrggbb form"
	default:
		return "branding error " + e.Code
	}
}

// Is reports whether target is an *Error with the same Code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t != nil && e != nil && t.Code == e.Code
}
