// Package secondfactor holds the two-factor sign-in pages that the portal,
// the back office and the operator console share: the enrolment (status,
// QR code, confirmation with the first code and the recovery codes, shown
// once) and turning it off with a fresh code, checked by the gate. Each
// surface says whose account a page is about and frames the page.
package secondfactor

import (
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/store"
	"workrate/web"
)

// Page is the data of the two-factor page (template portal/twofactor).
type Page struct {
	web.Base
	auth.Enrolment
	Unavailable bool     // no secret key configured
	Required    bool     // the surface's rule requires two-factor sign-in
	Codes       []string // recovery codes, shown once after confirmation
	Error       string
	Prefix      string // where the page's forms post: Prefix+"/start", "/confirm", "/disable"
	Home        string // where "Continue" leads
}

// CodePage is the data of the page that asks for the second factor after
// the password (template portal/twofactor_code).
type CodePage struct {
	web.Base
	Next   string
	Error  string
	Action string // where the form posts
}

// RecoveryUsedPage tells whoever signed in with a recovery code how many
// remain (template portal/twofactor_recovery_used).
type RecoveryUsedPage struct {
	web.Base
	Remaining int
	Next      string
}

// Templates maps each shared two-factor template to its page data, for the
// template check.
func Templates() map[string]web.Page {
	return map[string]web.Page{
		"portal/twofactor":               &Page{},
		"portal/twofactor_code":          &CodePage{},
		"portal/twofactor_recovery_used": &RecoveryUsedPage{},
	}
}

// Account is whose second factor a page is about, as its surface sees it.
type Account struct {
	Subject  auth.TOTPSubject
	Holder   auth.Holder // for the gate
	Asker    auth.Asker  // for the gate
	Email    string      // the authenticator entry's account name
	Enabled  bool        // two-factor sign-in is on
	Required bool        // the surface's rule requires it: the page cannot be left, nor the factor turned off
	Begin    bool        // showing the page starts an enrolment when none is pending
	Off      bool        // the feature does not exist for this account: 404
}

// Pages serves one surface's two-factor pages. Create it with a literal.
type Pages struct {
	Store *auth.Store
	Gate  *auth.Gate
	Box   *auth.SecretBox // nil: two-factor sign-in unavailable
	Base  string          // the page's path
	Home  string          // where "Continue" leads
	// Account says whose page the request is about.
	Account func(c *gin.Context) Account
	// Render frames and answers the page.
	Render func(c *gin.Context, status int, p *Page) error
	// Changed, when set, records that two-factor sign-in was turned on or off.
	Changed func(c *gin.Context, on bool) error
}

// Show shows the state and the way to turn it off, or the enrolment.
func (ps *Pages) Show(c *gin.Context) error {
	a := ps.Account(c)
	if a.Off {
		return web.Status(http.StatusNotFound, store.ErrNotFound)
	}
	p := Page{Required: a.Required}
	if err := ps.fill(c, a, &p, a.Begin); err != nil {
		return err
	}
	return ps.render(c, http.StatusOK, p)
}

// Start begins (or restarts) an enrolment.
func (ps *Pages) Start(c *gin.Context) error {
	a := ps.Account(c)
	if a.Off {
		return web.Status(http.StatusNotFound, store.ErrNotFound)
	}
	if ps.Box != nil {
		if _, err := ps.Store.BeginTOTPEnrollment(c, ps.Box, a.Subject); err != nil && !errors.Is(err, auth.ErrTOTPEnabled) {
			return err
		}
	}
	return ps.back(c)
}

// Confirm turns two-factor sign-in on with the first code and shows the
// recovery codes, this once.
func (ps *Pages) Confirm(c *gin.Context) error {
	a := ps.Account(c)
	if a.Off {
		return web.Status(http.StatusNotFound, store.ErrNotFound)
	}
	if ps.Box == nil {
		return ps.back(c)
	}
	p := Page{Required: a.Required}
	codes, err := ps.Store.ConfirmTOTPEnrollment(c, ps.Box, a.Subject, c.PostForm("code"), store.Now())
	switch {
	case err == nil:
	case errors.Is(err, auth.ErrBadCode), errors.Is(err, auth.ErrTOTPNotEnrolled):
		p.Error = web.LocalizerOf(c).T("twofactor.code.wrong")
		if err := ps.fill(c, a, &p, true); err != nil {
			return err
		}
		return ps.render(c, http.StatusUnprocessableEntity, p)
	case errors.Is(err, auth.ErrTOTPEnabled):
		return ps.back(c)
	default:
		return err
	}
	if ps.Changed != nil {
		if err := ps.Changed(c, true); err != nil {
			return err
		}
	}
	p.Enabled, p.Codes, p.Remaining = true, codes, len(codes)
	return ps.render(c, http.StatusOK, p)
}

// Disable turns two-factor sign-in off with a fresh code, checked by the
// gate, unless it is required.
func (ps *Pages) Disable(c *gin.Context) error {
	a := ps.Account(c)
	if ps.Box == nil || !a.Enabled {
		return ps.back(c)
	}
	if a.Required {
		return web.Status(http.StatusForbidden, errors.New("secondfactor: two-factor sign-in is required"))
	}
	err := ps.Gate.TurnOffSecondFactor(c, a.Asker, a.Holder, a.Subject, c.PostForm("code"))
	switch {
	case err == nil:
	case errors.Is(err, auth.ErrDenied):
		p := Page{Error: web.LocalizerOf(c).T("twofactor.code.wrong")}
		if err := ps.fill(c, a, &p, false); err != nil {
			return err
		}
		return ps.render(c, http.StatusUnprocessableEntity, p)
	default:
		return Refused(c, err)
	}
	if ps.Changed != nil {
		if err := ps.Changed(c, false); err != nil {
			return err
		}
	}
	return ps.back(c)
}

// Refused answers a gate refusal that is not a wrong code: 429 with
// Retry-After when throttled or busy; any other error as it is.
func Refused(c *gin.Context, err error) error {
	var throttled *auth.ThrottledError
	switch {
	case errors.As(err, &throttled):
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(throttled.Wait.Seconds()))))
		return web.Status(http.StatusTooManyRequests, err)
	case errors.Is(err, auth.ErrBusy):
		c.Header("Retry-After", "1")
		return web.Status(http.StatusTooManyRequests, err)
	}
	return err
}

// fill adds the account's enrolment to p; begin starts one when none is
// pending. The authenticator lists it under the brand's name (the agency's
// on white-labelled hosts).
func (ps *Pages) fill(c *gin.Context, a Account, p *Page, begin bool) error {
	if ps.Box == nil {
		p.Unavailable = true
		return nil
	}
	b, _ := web.BrandOf(c)
	e, err := ps.Store.EnrolmentOf(c, ps.Box, a.Subject, a.Enabled || p.Enabled, begin, b.Name, a.Email)
	if err != nil {
		return err
	}
	p.Enrolment = *e
	return nil
}

// render answers p with no-store, in the surface's frame.
func (ps *Pages) render(c *gin.Context, status int, p Page) error {
	p.Prefix, p.Home = ps.Base, ps.Home
	c.Header("Cache-Control", "no-store")
	return ps.Render(c, status, &p)
}

// back sends the browser to the page.
func (ps *Pages) back(c *gin.Context) error {
	c.Redirect(http.StatusSeeOther, ps.Base)
	return nil
}
