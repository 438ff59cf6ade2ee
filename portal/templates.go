package portal

import "workrate/web"

// Templates maps each template the portal renders to its page data, for the
// template check; the shared two-factor pages are secondfactor's.
func Templates() map[string]web.Page {
	return map[string]web.Page{
		"portal/dashboard": &dashboardPage{},
		"portal/empty":     &emptyPage{},
		"portal/invoice":   &invoicePage{},
		"portal/invoices":  &invoicesPage{},
		"portal/login":     &loginPage{},
		"portal/messages":  &messagesPage{},
		"portal/password":  &passwordPage{},
		"portal/tasks":     &tasksPage{},
		"portal/ticket":    &ticketPage{},
		"portal/tickets":   &ticketsPage{},
	}
}
