package operator

import "workrate/web"

// Templates maps each template the operator console renders to its page
// data, for the template check; the shared two-factor pages are
// secondfactor's.
func Templates() map[string]web.Page {
	return map[string]web.Page{
		"operator/agencies": &agenciesPage{},
		"operator/domains":  &domainsPage{},
		"operator/login":    &loginPage{},
	}
}
