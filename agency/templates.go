package agency

import "workrate/web"

// Templates maps each template the back office renders to its page data,
// for the template check; the shared two-factor pages are secondfactor's.
func Templates() map[string]web.Page {
	return map[string]web.Page{
		"staff/account":            &accountPage{},
		"staff/api_keys":           &apiKeysPage{},
		"staff/branding":           &brandingPage{},
		"staff/domains":            &domainsPage{},
		"staff/login":              &loginPage{},
		"staff/login_choose":       &choosePage{},
		"staff/portal_access":      &portalAccessPage{},
		"staff/settings":           &settingsPage{},
		"staff/team":               &teamPage{},
		"staff/workspace_new":      &workspaceNewPage{},
		"staff/workspace_settings": &workspaceSettingsPage{},
		"staff/workspaces":         &workspacesPage{},
		"staff/ws_activity":        &activityPage{},
		"staff/ws_invoice":         &invoicePage{},
		"staff/ws_invoice_new":     &invoiceNewPage{},
		"staff/ws_invoices":        &invoicesPage{},
		"staff/ws_messages":        &messagesPage{},
		"staff/ws_notes":           &notesPage{},
		"staff/ws_task":            &taskPage{},
		"staff/ws_tasks":           &boardPage{},
		"staff/ws_ticket":          &ticketPage{},
		"staff/ws_ticket_new":      &ticketNewPage{},
		"staff/ws_tickets":         &ticketsPage{},
	}
}
