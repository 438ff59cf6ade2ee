package tenant

import "time"

// Domain statuses: a domain is served only once verified.
const (
	DomainPending       = "pending"
	DomainMisconfigured = "misconfigured"
	DomainVerified      = "verified"
)

// Domain is an agency's custom hostname and the state of its DNS and certificate.
type Domain struct {
	ID                string     `bun:"id,pk" json:"-"`
	AgencyID          string     `bun:"agency_id" json:"-"`
	Hostname          string     `bun:"hostname" json:"hostname"`
	Status            string     `bun:"status" json:"status"`
	VerificationToken string     `bun:"verification_token" json:"-"`
	DNSDetail         string     `bun:"dns_detail" json:"dns_detail,omitempty"`
	Checks            int        `bun:"checks" json:"-"`
	NextCheckAt       *time.Time `bun:"next_check_at" json:"-"`
	LastCheckedAt     *time.Time `bun:"last_checked_at" json:"last_checked_at,omitempty"`
	VerifiedAt        *time.Time `bun:"verified_at" json:"verified_at,omitempty"`
	VerifiedBy        string     `bun:"verified_by" json:"-"`
	CertStatus        string     `bun:"cert_status" json:"-"`
	CertExpiresAt     *time.Time `bun:"cert_expires_at" json:"-"`
	CertError         string     `bun:"cert_error" json:"-"`
	CertFailedAt      *time.Time `bun:"cert_failed_at" json:"-"`
	CreatedAt         time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt         time.Time  `bun:"updated_at" json:"updated_at"`
}
