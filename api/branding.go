package api

import (
	"errors"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"workrate/branding"
	"workrate/field"
)

// BrandingJSON is the agency's white label in the API. An empty
// platform_name means the platform's own name; logo_url and favicon_url are
// null without a logo.
type BrandingJSON struct {
	PlatformName string     `json:"platform_name" api:"required"`
	PrimaryColor string     `json:"primary_color" api:"required"`
	TextColor    string     `json:"text_color" api:"required"`
	WhiteLabel   bool       `json:"white_label" api:"required"`
	LogoURL      *string    `json:"logo_url" api:"required"`
	FaviconURL   *string    `json:"favicon_url" api:"required"`
	UpdatedAt    *time.Time `json:"updated_at" api:"required"`
}

// brandingBody is what PUT /branding takes: a missing field keeps its value,
// an empty one returns to the platform's default.
type brandingBody struct {
	PlatformName *string `json:"platform_name"`
	PrimaryColor *string `json:"primary_color"`
}

// logoMedia are the image types PUT /branding/logo takes.
var logoMedia = []string{"image/png", "image/jpeg", "image/webp"}

func (h *Handler) brandingAPI() []Route {
	return []Route{
		{Method: http.MethodGet, Path: "/branding", Summary: "The agency's white label: platform name, colour, logo",
			Response: BrandingJSON{}, Handle: h.apiGetBranding},
		{Method: http.MethodPut, Path: "/branding", Summary: "Set the platform name and primary colour (#rgb or #rrggbb; empty: the platform's default)",
			Request: brandingBody{}, Response: BrandingJSON{}, Handle: h.apiPutBranding},
		{Method: http.MethodDelete, Path: "/branding", Summary: "Return to the platform's branding (name, colour and logo)",
			Response: BrandingJSON{}, Handle: h.apiResetBranding},
		{Method: http.MethodPut, Path: "/branding/logo", Summary: "Upload the logo as the raw body: PNG, JPEG or WebP, at most 1 MiB and 2000×2000 pixels; stored re-encoded as PNG with a favicon",
			RequestMedia: logoMedia, Response: BrandingJSON{}, Handle: h.apiPutLogo},
		{Method: http.MethodDelete, Path: "/branding/logo", Summary: "Remove the logo and its favicon",
			Response: BrandingJSON{}, Handle: h.apiDeleteLogo},
	}
}

// brandingJSON describes st; image URLs are absolute, on the agency's host.
func (h *Handler) brandingJSON(c *gin.Context, st branding.Settings) BrandingJSON {
	a := agencyOf(c)
	b := branding.Resolve(st, a.Name, h.resolver.Config().PlatformName)
	out := BrandingJSON{PlatformName: st.PlatformName, PrimaryColor: b.Color, TextColor: b.TextColor, WhiteLabel: b.WhiteLabel}
	if b.LogoHash != "" {
		base := strings.TrimSuffix(h.access.LoginURL(*a), "/login")
		logo, fav := base+b.LogoURL(), base+b.FaviconURL()
		out.LogoURL, out.FaviconURL = &logo, &fav
	}
	if !st.UpdatedAt.IsZero() {
		t := st.UpdatedAt
		out.UpdatedAt = &t
	}
	return out
}

func (h *Handler) apiGetBranding(c *gin.Context) error {
	st, err := h.brands.Get(c, agencyOf(c).ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, h.brandingJSON(c, st))
	return nil
}

func (h *Handler) apiPutBranding(c *gin.Context) error {
	var body brandingBody
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	id := agencyOf(c).ID
	st, err := h.brands.Get(c, id)
	if err != nil {
		return err
	}
	name, color := st.PlatformName, st.PrimaryColor
	if body.PlatformName != nil {
		name = *body.PlatformName
	}
	if body.PrimaryColor != nil {
		color = *body.PrimaryColor
	}
	st, err = h.brands.SetText(c, id, name, color)
	if err != nil {
		return h.nameTooLong(err)
	}
	h.refreshHosts(c)
	c.JSON(http.StatusOK, h.brandingJSON(c, st))
	return nil
}

func (h *Handler) apiResetBranding(c *gin.Context) error {
	id := agencyOf(c).ID
	if err := h.brands.Reset(c, id); err != nil {
		return err
	}
	h.refreshHosts(c)
	c.JSON(http.StatusOK, h.brandingJSON(c, branding.Settings{AgencyID: id}))
	return nil
}

// apiPutLogo takes the image as the raw body. Its content decides what it
// is; the declared type is only checked not to be a form.
func (h *Handler) apiPutLogo(c *gin.Context) error {
	if mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type")); strings.HasPrefix(mt, "multipart/") {
		return apiErr(http.StatusUnsupportedMediaType, "unsupported_media_type",
			"send the image itself as the body (Content-Type image/png, image/jpeg or image/webp), not a form")
	}
	if c.Request.ContentLength > branding.MaxLogoBytes {
		return branding.ErrLogoTooLarge
	}
	data, err := branding.ReadLogo(c.Request.Body)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return branding.ErrLogoTooLarge
	}
	if err != nil {
		return apiErr(http.StatusBadRequest, "invalid_body", "the body could not be read")
	}
	st, err := h.brands.SaveLogo(c, agencyOf(c).ID, data)
	if err != nil {
		return err
	}
	h.refreshHosts(c)
	c.JSON(http.StatusOK, h.brandingJSON(c, st))
	return nil
}

func (h *Handler) apiDeleteLogo(c *gin.Context) error {
	st, err := h.brands.RemoveLogo(c, agencyOf(c).ID)
	if err != nil {
		return err
	}
	h.refreshHosts(c)
	c.JSON(http.StatusOK, h.brandingJSON(c, st))
	return nil
}

// nameTooLong gives a platform name that is too long the API's own code
// for it; other errors pass through (to fieldError).
func (h *Handler) nameTooLong(err error) error {
	if fe := field.As(err); fe != nil && fe.Code == field.TooLong {
		e := h.fieldError(fe)
		e.Code = "branding.name_too_long"
		return e
	}
	return err
}
