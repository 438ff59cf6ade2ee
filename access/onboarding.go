package access

import (
	"strings"

	"workrate/auth"
	"workrate/tenant"
	"workrate/workspace"
)

// Onboarding returns the ready-to-copy message staff send a client after
// setting a password: in the agency's default language, with the address to
// use, the login email, the password and one line per enabled tool. It names
// the agency, never the platform; with white label, the agency's platform name too.
func (s *Service) Onboarding(agency tenant.Agency, a *auth.PortalAccount, password string) string {
	l := s.bundle.Localizer(s.bundle.Match(agency.DefaultLanguage))
	var b strings.Builder
	line := func(text string) { b.WriteString(text + "\n") }
	line(l.T("access.onboarding.greeting"))
	line("")
	if site := s.resolver.SiteByID(agency.ID); site != nil && site.Brand.WhiteLabel {
		// White label: the portal goes by the agency's platform name.
		line(l.T("branding.onboarding.intro", "Agency", agency.Name, "Portal", site.Brand.Name))
	} else {
		line(l.T("access.onboarding.intro", "Agency", agency.Name))
	}
	line("")
	line(l.T("access.onboarding.address", "URL", s.LoginURL(agency)))
	line(l.T("access.onboarding.email", "Email", a.LoginEmail))
	if a.MustChangePassword {
		line(l.T("access.onboarding.password", "Password", password))
		line("")
		if a.PasswordExpiresAt != nil {
			line(l.T("access.onboarding.change", "Date", l.Date(*a.PasswordExpiresAt)))
		}
	} else {
		line(l.T("access.onboarding.password_permanent", "Password", password))
	}
	if a.TOTPMode == auth.TOTPRequired {
		line("")
		line(l.T("twofactor.onboarding.required"))
	}
	if tools := workspace.ParseTools(a.Tools); len(tools) > 0 {
		line("")
		line(l.T("access.onboarding.tools"))
		for _, t := range tools {
			line("- " + l.T("access.onboarding.tool."+string(t)))
		}
	}
	line("")
	line(l.T("access.onboarding.no_reset", "Agency", agency.Name))
	line("")
	line(l.T("access.onboarding.signoff"))
	b.WriteString(agency.Name)
	return b.String()
}
