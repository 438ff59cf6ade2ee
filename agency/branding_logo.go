package agency

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/branding"
	"workrate/field"
)

// uploadLogo takes the logo of the form's file field "logo"; a refused file
// is explained next to the field.
func (h *Handler) uploadLogo(c *gin.Context) error {
	p, err := h.brandingPageOf(c)
	if err != nil {
		return err
	}
	var data []byte
	if fh, err := c.FormFile("logo"); err == nil {
		f, err := fh.Open()
		if err != nil {
			return err
		}
		data, err = branding.ReadLogo(f)
		_ = f.Close()
		if err != nil {
			return err
		}
	} else {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			data = make([]byte, branding.MaxLogoBytes+1) // over the limit: refused as too large below
		}
	}
	_, err = h.brands.SaveLogo(c, agencyOf(c).ID, data)
	if fe := field.As(err); fe != nil {
		p.Errors["logo"] = h.localizer(c).FieldMessage(fe)
		return h.renderBranding(c, http.StatusUnprocessableEntity, p)
	}
	if err != nil {
		return err
	}
	h.refreshHosts(c)
	return redirect(c, "/staff/settings/branding?done=logo_saved")
}

// removeLogo removes the logo and its favicon.
func (h *Handler) removeLogo(c *gin.Context) error {
	if _, err := h.brands.RemoveLogo(c, agencyOf(c).ID); err != nil {
		return err
	}
	h.refreshHosts(c)
	return redirect(c, "/staff/settings/branding?done=logo_removed")
}

// resetBranding returns the agency to the platform's branding (the form asks
// for confirmation first).
func (h *Handler) resetBranding(c *gin.Context) error {
	if err := h.brands.Reset(c, agencyOf(c).ID); err != nil {
		return err
	}
	h.refreshHosts(c)
	return redirect(c, "/staff/settings/branding?done=branding_reset")
}
