package mail

import "context"

// Envelope is how one agency's mail leaves: the From address, the envelope
// sender (Return-Path) and, once the agency's sender domain is verified, a
// DKIM signer over the whole message.
type Envelope struct {
	From       string // address only, e.g. "notifications@mail.agency.com"
	ReturnPath string // envelope sender; "" means From
	// Sign returns the message with its DKIM-Signature header added; nil
	// when the mail goes out unsigned from the platform's sender.
	Sign func(msg []byte) ([]byte, error)
}

// Senders decides the envelope of an agency's mail (agencyID "" is the
// platform's own mail). The default sends everything from the platform's
// sender (WORKRATE_MAIL_FROM); sender domains verified by agencies replace
// it for theirs.
type Senders interface {
	Envelope(ctx context.Context, agencyID string) (Envelope, error)
}

// PlatformSender sends all mail from one address.
type PlatformSender struct{ From string }

// Envelope implements Senders.
func (p PlatformSender) Envelope(context.Context, string) (Envelope, error) {
	return Envelope{From: p.From}, nil
}
