package web

import (
	"strings"

	"workrate/locale"
	"workrate/tenant"
)

// DomainStatus is how a custom domain's two statuses read for people, side
// by side: the domain (DNS) and its certificate. Class is a badge style. The
// back office and the operator console both show it.
type DomainStatus struct {
	Domain       string
	DomainClass  string
	DomainDetail string
	Cert         string
	CertClass    string
	CertDetail   string
}

// DescribeDomain explains a domain's statuses in the reader's language
// (messages of domains.toml).
func DescribeDomain(d *tenant.Domain, l *locale.Localizer) DomainStatus {
	var out DomainStatus
	det := d.DNS()
	switch d.Status {
	case tenant.DomainVerified:
		out.Domain, out.DomainClass = l.T("domain.status.verified"), "badge-resolved"
		if d.VerifiedBy == tenant.VerifiedByOperator {
			out.DomainDetail = l.T("domain.detail.approved")
		}
	case tenant.DomainMisconfigured:
		out.Domain, out.DomainClass = l.T("domain.status.misconfigured"), "badge-overdue"
		out.DomainDetail = dnsDetail(d, det, l)
	default:
		out.Domain, out.DomainClass = l.T("domain.status.pending"), "badge-open"
		out.DomainDetail = dnsDetail(d, det, l)
	}
	if det.LookupFailure != "" {
		out.DomainDetail = l.T("domain.detail.lookup_failed")
	}
	switch d.CertStatus {
	case tenant.CertIssuing:
		out.Cert, out.CertClass = l.T("cert.status.issuing"), "badge-in_progress"
	case tenant.CertActive:
		out.CertClass = "badge-resolved"
		out.Cert = l.T("cert.status.active")
		if d.CertExpiresAt != nil {
			out.Cert = l.T("cert.status.active_until", "Date", l.Date(*d.CertExpiresAt))
		}
	case tenant.CertFailed:
		out.Cert, out.CertClass = l.T("cert.status.failed"), "badge-overdue"
		out.CertDetail = l.T("cert.detail.ca_said", "Reason", d.CertError)
	case tenant.CertRenewalFailing:
		out.Cert, out.CertClass = l.T("cert.status.renewal_failing"), "badge-overdue"
		out.CertDetail = l.T("cert.detail.ca_said", "Reason", d.CertError)
		if d.CertExpiresAt != nil {
			out.CertDetail = l.T("cert.detail.renewal_failing", "Date", l.Date(*d.CertExpiresAt), "Reason", d.CertError)
		}
	default:
		out.Cert, out.CertClass = l.T("cert.status.none"), "badge-draft"
		if d.Status == tenant.DomainVerified {
			out.Cert, out.CertClass = l.T("cert.status.issuing"), "badge-in_progress"
		}
	}
	return out
}

// dnsDetail says what is missing or wrong in DNS.
func dnsDetail(d *tenant.Domain, det tenant.DNSDetail, l *locale.Localizer) string {
	if d.LastCheckedAt == nil {
		return l.T("domain.detail.not_checked")
	}
	var parts []string
	if !det.TargetOK {
		found := det.CNAME
		if found == "" && len(det.Addresses) > 0 {
			found = strings.Join(det.Addresses, ", ")
		}
		if found == "" {
			parts = append(parts, l.T("domain.detail.no_cname", "Host", d.Hostname, "Expected", det.Expected))
		} else {
			parts = append(parts, l.T("domain.detail.wrong_target", "Host", d.Hostname, "Found", found, "Expected", det.Expected))
		}
	}
	if !det.TXTOK {
		if len(det.TXTFound) > 0 {
			parts = append(parts, l.T("domain.detail.wrong_txt", "Name", tenant.ChallengeName(d.Hostname)))
		} else {
			parts = append(parts, l.T("domain.detail.no_txt", "Name", tenant.ChallengeName(d.Hostname)))
		}
	}
	return strings.Join(parts, " ")
}
