package agency

import (
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/branding"
)

// saveLogo checks, re-encodes and stores an uploaded logo and its favicon.
func (h *Handler) saveLogo(ctx context.Context, agencyID string, data []byte) (branding.Settings, error) {
	l, err := branding.ProcessLogo(data)
	if err != nil {
		return branding.Settings{}, err
	}
	fav, err := branding.Favicon(l)
	if err != nil {
		return branding.Settings{}, err
	}
	return h.brands.SetLogo(ctx, agencyID, l, fav)
}

// readLimited reads at most branding.MaxLogoBytes+1 bytes of r: one more than
// allowed tells a file that is too large without reading all of it.
func readLimited(r io.Reader) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r, branding.MaxLogoBytes+1))
}

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
		data, err = readLimited(f)
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
	_, err = h.saveLogo(c, agencyOf(c).ID, data)
	var be *branding.Error
	if errors.As(err, &be) {
		p.Errors["logo"] = brandingMessage(h.localizer(c), be)
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
