package agency

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"workrate/branding"
	"workrate/field"
	"workrate/web"
)

// brandingRoutes registers the white label pages on the managers' settings group.
func (h *Handler) brandingRoutes(settings *gin.RouterGroup) {
	settings.GET("/branding", h.page(h.showBranding))
	settings.POST("/branding", h.page(h.saveBranding))
	settings.POST("/branding/logo", h.page(h.uploadLogo))
	settings.POST("/branding/logo/delete", h.page(h.removeLogo))
	settings.POST("/branding/reset", h.page(h.resetBranding))
}

// brandingPage is the data of staff/branding: the form as typed, what is
// saved, and what the preview starts from.
type brandingPage struct {
	web.Base
	Name         string // the platform name field
	Color        string // the colour text field
	ColorInput   string // the colour picker's value: always #rrggbb
	DefaultName  string // what clients see when Name is empty
	DefaultColor string
	MaxName      int
	MaxLogoKiB   int
	MaxLogoPx    int
	Saved        branding.Settings
	ClientBrand  branding.Brand // the brand clients see now
	Errors       formErrors
}

// brandingPageOf starts the page from the agency's saved settings.
func (h *Handler) brandingPageOf(c *gin.Context) (brandingPage, error) {
	a := agencyOf(c)
	st, err := h.brands.Get(c, a.ID)
	if err != nil {
		return brandingPage{}, err
	}
	p := brandingPage{Name: st.PlatformName, Color: st.PrimaryColor, Saved: st,
		DefaultName: h.resolver.Config().PlatformName, DefaultColor: branding.DefaultPrimaryColor,
		MaxName: branding.MaxNameLen, MaxLogoKiB: branding.MaxLogoBytes >> 10, MaxLogoPx: branding.MaxLogoPixels,
		ClientBrand: branding.Resolve(st, a.Name, h.resolver.Config().PlatformName), Errors: formErrors{}}
	if st.LogoHash != "" {
		// A logo without a name shows the agency's own name, never the platform's.
		p.DefaultName = a.Name
	}
	if p.Color == "" {
		p.Color = branding.DefaultPrimaryColor
	}
	p.ColorInput = p.Color
	return p, nil
}

func (h *Handler) renderBranding(c *gin.Context, status int, p brandingPage) error {
	if col, err := branding.ParseColor(p.Color); err == nil {
		p.ColorInput = col
	} else {
		p.ColorInput = p.ClientBrand.Color
	}
	p.Base = h.staffBase(c, SectionBranding, "branding.title")
	return h.renderer.HTML(c, status, "staff/branding", &p)
}

// showBranding shows the white label settings with a preview (owners and admins).
func (h *Handler) showBranding(c *gin.Context) error {
	p, err := h.brandingPageOf(c)
	if err != nil {
		return err
	}
	return h.renderBranding(c, http.StatusOK, p)
}

// saveBranding saves the platform name and primary colour; a refused value
// is shown next to its field with what was typed.
func (h *Handler) saveBranding(c *gin.Context) error {
	p, err := h.brandingPageOf(c)
	if err != nil {
		return err
	}
	saved := p.Color
	p.Name, p.Color = c.PostForm("platform_name"), c.PostForm("primary_color")
	if picker := c.PostForm("primary_color_picker"); picker != "" && strings.EqualFold(strings.TrimSpace(p.Color), saved) {
		// The text field is unchanged: the colour picker says what was chosen
		// (without scripts the two fields are not kept in step).
		p.Color = picker
	}
	_, err = h.brands.SetText(c, agencyOf(c).ID, p.Name, p.Color)
	if fe := field.As(err); fe != nil {
		p.Errors[fe.Field] = h.localizer(c).FieldMessage(fe)
		return h.renderBranding(c, http.StatusUnprocessableEntity, p)
	}
	if err != nil {
		return err
	}
	h.refreshHosts(c)
	return redirect(c, "/staff/settings/branding?done=saved")
}
