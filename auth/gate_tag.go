package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
	"golang.org/x/crypto/argon2"

	"workrate/store"
)

// On the platform host one email may hold accounts in several agencies, each
// password hashed with its own salt: verifying each would make the answer's
// time grow with the number of accounts (an oracle of how many agencies know
// the email), and a cap on how many are verified would refuse the right
// password of the accounts past it. A sign-in tag removes both. It is 16 bits
// of argon2id(password, salt derived from the email), stored per account with
// a check bound to the account's current password hash and email, so a tag
// made stale by a new password or email is never trusted. A sign-in across
// agencies hashes the lookup once, fully verifies only the accounts whose tag
// matches (one, bar a 1 in 65,536 coincidence) and the accounts without a
// valid tag, and spends a dummy verify when it verified none: two hashes, the
// same for an unknown email. A tag opens nothing by itself: it only chooses
// which hash to verify. Offline, it is no cheaper to attack than the hash.

// signInTag is the stored tag of one account.
type signInTag struct {
	bun.BaseModel `bun:"table:sign_in_tags"`

	AccountID string `bun:"account_id,pk"`
	AgencyID  string `bun:"agency_id"`
	Tag       string `bun:"tag"`
}

// tagCheck binds a tag to the password hash and email it was made for.
func tagCheck(hash, email string) string {
	sum := sha256.Sum256([]byte(hash + "\x00" + email))
	return hex.EncodeToString(sum[:8])
}

// lookup is argon2id of password salted by email, with the pool's params,
// through a slot of the pool; check says it checks a secret typed to sign in
// (counted by Checked), not a tag being made for a password just set.
func (hp *HashPool) lookup(email, password string, check bool) (string, error) {
	if !hp.tryAcquire() {
		return "", ErrBusy
	}
	defer hp.release()
	if check {
		hp.checked.Add(1)
	}
	salt := sha256.Sum256([]byte("sign-in tag\x00" + email))
	p := hp.params
	key := argon2.IDKey([]byte(password), salt[:16], p.Time, p.Memory, p.Threads, p.KeyLen)
	return hex.EncodeToString(key[:2]), nil
}

// signInAcross finds the holders password opens with a constant number of
// hashes (see above); an account found without a valid tag gets one.
func (g *Gate) signInAcross(ctx context.Context, a Asker, holders []Holder, password string) ([]Holder, error) {
	ids := make([]string, 0, len(holders))
	for _, h := range holders {
		ids = append(ids, h.ID)
	}
	tags, err := g.store.signInTags(ctx, ids)
	if err != nil {
		return nil, err
	}
	value, err := g.pool.lookup(a.Email, password, true)
	if err != nil {
		return nil, err
	}
	var matched []Holder
	verified := 0
	for _, h := range holders {
		check, stored, tagged := strings.Cut(tags[h.ID], ":")
		tagged = tagged && check == tagCheck(h.Hash, a.Email)
		if tagged && stored != value {
			continue
		}
		verified++
		ok, err := g.verify(h.Hash, password)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		matched = append(matched, h)
		if !tagged {
			if err := g.store.saveSignInTag(ctx, h, tagCheck(h.Hash, a.Email)+":"+value); err != nil {
				return nil, err
			}
		}
	}
	if verified == 0 {
		if err := g.pool.verifyDummy(password); err != nil {
			return nil, err
		}
	}
	return matched, nil
}

// Tag stores the sign-in tag of an account whose password was just set to
// password (its hash h.Hash), so that the platform host finds it at the
// constant cost from its first sign-in there. It costs one hash.
func (g *Gate) Tag(ctx context.Context, h Holder, email, password string) error {
	email = ShownEmail(email)
	value, err := g.pool.lookup(email, password, false)
	if err != nil {
		return err
	}
	return g.store.saveSignInTag(ctx, h, tagCheck(h.Hash, email)+":"+value)
}

// signInTags reads the stored tags of accounts, by account id.
func (s *Store) signInTags(ctx context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []signInTag
	if err := s.db.NewSelect().Model(&rows).Where("account_id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("auth: sign-in tags: %w", store.Translate(err))
	}
	for _, r := range rows {
		out[r.AccountID] = r.Tag
	}
	return out, nil
}

// saveSignInTag stores (or replaces) an account's tag.
func (s *Store) saveSignInTag(ctx context.Context, h Holder, tag string) error {
	row := &signInTag{AccountID: h.ID, AgencyID: h.AgencyID, Tag: tag}
	_, err := s.db.NewInsert().Model(row).On("CONFLICT (account_id) DO UPDATE").Set("tag = EXCLUDED.tag").Exec(ctx)
	if err != nil {
		return fmt.Errorf("auth: save sign-in tag: %w", store.Translate(err))
	}
	return nil
}
