package tenant

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/uptrace/bun"

	"workrate/field"
	"workrate/store"
)

// Rate is one of an agency's service rates: agency-only data that never
// reaches a client.
type Rate struct {
	bun.BaseModel `bun:"table:service_rates"`

	ID              string `bun:"id,pk"`
	AgencyID        string `bun:"agency_id"`
	Service         string `bun:"service"`
	HourlyRateCents int64  `bun:"hourly_rate_cents"`
	Currency        string `bun:"currency"`
	Position        int    `bun:"position"`
}

// RateInput is what a user gives for a rate.
type RateInput struct {
	Service         string
	HourlyRateCents int64
	Currency        string
}

// MaxRates bounds an agency's list of service rates.
const MaxRates = 100

// maxService bounds a service name, in characters.
const maxService = 80

// maxRateCents is a sanity bound (one million per hour) that keeps totals far
// from overflowing.
const maxRateCents = 100_000_000

var currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)

// NormalizeRate trims and checks one rate; the error is a *field.Error.
func NormalizeRate(in RateInput) (RateInput, error) {
	in.Service = strings.TrimSpace(in.Service)
	in.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	switch {
	case in.Service == "":
		return in, field.New("service", field.Required)
	case len([]rune(in.Service)) > maxService:
		return in, field.Limited("service", field.TooLong, maxService)
	case in.HourlyRateCents < 0:
		return in, field.New("hourly_rate_cents", field.Negative)
	case in.HourlyRateCents > maxRateCents:
		return in, field.Limited("hourly_rate_cents", field.TooLarge, maxRateCents)
	case in.Currency == "":
		return in, field.New("currency", field.Required)
	case !currencyRE.MatchString(in.Currency):
		return in, field.New("currency", field.InvalidCurrency)
	}
	return in, nil
}

// Rates lists the agency's service rates in their order.
func (s *Store) Rates(ctx context.Context, agencyID string) ([]Rate, error) {
	var rs []Rate
	if err := s.db.NewSelect().Model(&rs).Where("agency_id = ?", agencyID).Order("position", "id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("tenant: rates: %w", store.Translate(err))
	}
	return rs, nil
}

// AddRate appends a rate; a service already priced is a *field.Error (field.DuplicateService).
func (s *Store) AddRate(ctx context.Context, agencyID string, in RateInput) (*Rate, error) {
	in, err := NormalizeRate(in)
	if err != nil {
		return nil, err
	}
	r := &Rate{ID: store.NewID(), AgencyID: agencyID, Service: in.Service, HourlyRateCents: in.HourlyRateCents, Currency: in.Currency}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		n, err := tx.NewSelect().Model((*Rate)(nil)).Where("agency_id = ?", agencyID).Count(ctx)
		if err != nil {
			return err
		}
		if n >= MaxRates {
			return field.Limited("", field.TooManyRates, MaxRates)
		}
		if err := serviceFree(ctx, tx, agencyID, "", in.Service); err != nil {
			return err
		}
		var last int
		if err := tx.NewSelect().Model((*Rate)(nil)).ColumnExpr("COALESCE(MAX(position), 0)").Where("agency_id = ?", agencyID).Scan(ctx, &last); err != nil {
			return err
		}
		r.Position = last + 1
		_, err = tx.NewInsert().Model(r).Exec(ctx)
		return err
	})
	if err != nil {
		return nil, rateWriteError("add", err)
	}
	return r, nil
}

// UpdateRate changes one of the agency's rates.
func (s *Store) UpdateRate(ctx context.Context, agencyID, id string, in RateInput) (*Rate, error) {
	in, err := NormalizeRate(in)
	if err != nil {
		return nil, err
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := serviceFree(ctx, tx, agencyID, id, in.Service); err != nil {
			return err
		}
		res, err := tx.NewUpdate().Model((*Rate)(nil)).
			Set("service = ?, hourly_rate_cents = ?, currency = ?", in.Service, in.HourlyRateCents, in.Currency).
			Where("agency_id = ? AND id = ?", agencyID, id).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return nil, rateWriteError("update", err)
	}
	r := new(Rate)
	if err := s.db.NewSelect().Model(r).Where("agency_id = ? AND id = ?", agencyID, id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("tenant: rate %s: %w", id, store.Translate(err))
	}
	return r, nil
}

// DeleteRate removes one of the agency's rates.
func (s *Store) DeleteRate(ctx context.Context, agencyID, id string) error {
	res, err := s.db.NewDelete().Model((*Rate)(nil)).Where("agency_id = ? AND id = ?", agencyID, id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("tenant: delete rate %s: %w", id, store.Translate(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("tenant: delete rate %s: %w", id, store.ErrNotFound)
	}
	return nil
}

// ReplaceRates sets the agency's whole list of rates at once, in the given
// order (the API's PUT). Every rate is checked first; a refused one is a
// *field.Error whose field names its index ("[2].currency"), and nothing changes.
func (s *Store) ReplaceRates(ctx context.Context, agencyID string, in []RateInput) ([]Rate, error) {
	if len(in) > MaxRates {
		return nil, field.Limited("", field.TooManyRates, MaxRates)
	}
	rs := make([]Rate, 0, len(in))
	seen := map[string]bool{}
	for i, r := range in {
		r, err := NormalizeRate(r)
		if err != nil {
			fe := err.(*field.Error)
			return nil, fe.In(fmt.Sprintf("[%d].%s", i, fe.Field))
		}
		key := strings.ToLower(r.Service)
		if seen[key] {
			return nil, field.New(fmt.Sprintf("[%d].service", i), field.DuplicateService)
		}
		seen[key] = true
		rs = append(rs, Rate{ID: store.NewID(), AgencyID: agencyID, Service: r.Service, HourlyRateCents: r.HourlyRateCents,
			Currency: r.Currency, Position: i + 1})
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*Rate)(nil)).Where("agency_id = ?", agencyID).Exec(ctx); err != nil {
			return err
		}
		if len(rs) == 0 {
			return nil
		}
		_, err := tx.NewInsert().Model(&rs).Exec(ctx)
		return err
	})
	if err != nil {
		return nil, rateWriteError("replace", err)
	}
	return rs, nil
}

// serviceFree refuses a service name (compared case-insensitively) that
// another of the agency's rates already uses.
func serviceFree(ctx context.Context, db bun.IDB, agencyID, exceptID, service string) error {
	n, err := db.NewSelect().Model((*Rate)(nil)).
		Where("agency_id = ? AND LOWER(service) = LOWER(?) AND id <> ?", agencyID, service, exceptID).Count(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		return field.New("service", field.DuplicateService)
	}
	return nil
}

// rateWriteError turns a unique-service violation into a *field.Error.
func rateWriteError(op string, err error) error {
	if _, ok := err.(*field.Error); ok {
		return err
	}
	err = store.Translate(err)
	if errors.Is(err, store.ErrConflict) {
		return field.New("service", field.DuplicateService)
	}
	return fmt.Errorf("tenant: %s rate: %w", op, err)
}
