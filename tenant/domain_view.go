package tenant

import "time"

// Verification is the DNS record that proves control of a hostname.
type Verification struct {
	Type  string `json:"type"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

// CertificateView is the state of a domain's certificate as shown outside.
type CertificateView struct {
	Status    string     `json:"status"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	Error     string     `json:"error,omitempty"`
	FailedAt  *time.Time `json:"failed_at,omitempty"`
}

// DomainView is a domain as the API and the command line show it: its
// status, the DNS records to create and the certificate's state.
type DomainView struct {
	Hostname      string          `json:"hostname"`
	Status        string          `json:"status"`
	Verification  Verification    `json:"verification"`
	CNAMETarget   string          `json:"cname_target"`
	Certificate   CertificateView `json:"certificate"`
	DNS           *DNSDetail      `json:"dns,omitempty"`
	LastCheckedAt *time.Time      `json:"last_checked_at,omitempty"`
	VerifiedAt    *time.Time      `json:"verified_at,omitempty"`
	CreatedAt     time.Time       `json:"created_at"`
}

// View returns the domain as shown outside, with the CNAME target to point at.
func (d *Domain) View(cnameTarget string) DomainView {
	v := DomainView{
		Hostname:     d.Hostname,
		Status:       d.Status,
		Verification: Verification{Type: "TXT", Name: ChallengeName(d.Hostname), Value: d.VerificationToken},
		CNAMETarget:  cnameTarget,
		Certificate: CertificateView{
			Status: d.CertStatus, ExpiresAt: d.CertExpiresAt, Error: d.CertError, FailedAt: d.CertFailedAt,
		},
		LastCheckedAt: d.LastCheckedAt,
		VerifiedAt:    d.VerifiedAt,
		CreatedAt:     d.CreatedAt,
	}
	if d.DNSDetail != "" {
		dns := d.DNS()
		v.DNS = &dns
	}
	return v
}
