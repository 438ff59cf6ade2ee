package locale

import (
	"testing"
	"time"
)

func TestMoney(t *testing.T) {
	b := testBundle(t)
	tests := []struct {
		lang     string
		cents    int64
		currency string
		want     string
	}{
		{"en", 123450, "USD", "$1,234.50"},
		{"en", 123450, "EUR", "€1,234.50"},
		{"en", 123450, "eur", "€1,234.50"},
		{"en", -500, "USD", "-$5.00"},
		{"en", 123450, "CHF", "CHF\u00a01,234.50"},
		{"en", 123450, "JPY", "¥1,235"},
		{"en", 123450, "XYZ", "XYZ\u00a01,234.50"},
		{"en", 123450, "", "1,234.50"},
		{"en", 0, "GBP", "£0.00"},
		{"de", 123450, "EUR", "1.234,50\u00a0€"},
		{"de", 123450, "USD", "1.234,50\u00a0$"},
		{"de", -199, "EUR", "-1,99\u00a0€"},
		{"de", 123450, "XYZ", "1.234,50\u00a0XYZ"},
		{"de", 100000000, " chf ", "1.000.000,00\u00a0CHF"},
		{"fr", 123450, "EUR", "1\u00a0234,50\u00a0€"},
		{"fr", 123450, "USD", "1\u00a0234,50\u00a0$US"},
		{"fr", 5, "EUR", "0,05\u00a0€"},
		{"es", 123450, "EUR", "1.234,50\u00a0€"},
		{"es", 123450, "USD", "1.234,50\u00a0US$"},
		{"es", 123450, "???", "1.234,50\u00a0???"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.currency, func(t *testing.T) {
			if got := b.Localizer(tt.lang).Money(tt.cents, tt.currency); got != tt.want {
				t.Errorf("Money(%d, %q) in %s = %q, want %q", tt.cents, tt.currency, tt.lang, got, tt.want)
			}
		})
	}
}

func TestNumber(t *testing.T) {
	b := testBundle(t)
	tests := []struct {
		lang string
		n    int64
		want string
	}{
		{"en", 0, "0"},
		{"en", 999, "999"},
		{"en", 1234567, "1,234,567"},
		{"en", -1234, "-1,234"},
		{"de", 1234567, "1.234.567"},
		{"fr", 1234567, "1\u00a0234\u00a0567"},
		{"es", 1234567, "1.234.567"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.want, func(t *testing.T) {
			if got := b.Localizer(tt.lang).Number(tt.n); got != tt.want {
				t.Errorf("Number(%d) in %s = %q, want %q", tt.n, tt.lang, got, tt.want)
			}
		})
	}
}

func TestDates(t *testing.T) {
	b := testBundle(t)
	at := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)
	morning := time.Date(2026, 11, 23, 9, 7, 0, 0, time.FixedZone("CET", 3600))
	tests := []struct {
		lang     string
		t        time.Time
		date     string
		dateTime string
	}{
		{"en", at, "Jan 2, 2026", "Jan 2, 2026, 3:04 PM"},
		{"en", morning, "Nov 23, 2026", "Nov 23, 2026, 9:07 AM"},
		{"de", at, "02.01.2026", "02.01.2026, 15:04"},
		{"de", morning, "23.11.2026", "23.11.2026, 09:07"},
		{"fr", at, "02/01/2026", "02/01/2026 15:04"},
		{"es", at, "02/01/2026", "02/01/2026, 15:04"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.date, func(t *testing.T) {
			l := b.Localizer(tt.lang)
			if got := l.Date(tt.t); got != tt.date {
				t.Errorf("Date in %s = %q, want %q", tt.lang, got, tt.date)
			}
			if got := l.DateTime(tt.t); got != tt.dateTime {
				t.Errorf("DateTime in %s = %q, want %q", tt.lang, got, tt.dateTime)
			}
		})
	}
}

func TestDateString(t *testing.T) {
	b := testBundle(t)
	tests := []struct {
		lang string
		iso  string
		want string
	}{
		{"en", "2026-01-02", "Jan 2, 2026"},
		{"de", "2026-01-02", "02.01.2026"},
		{"fr", "2026-12-31", "31/12/2026"},
		{"es", "2026-12-31", "31/12/2026"},
		{"de", "", ""},
		{"de", "not a date", "not a date"},
		{"de", "2026-02-30", "2026-02-30"},
		{"en", "2026-01-02T10:00:00Z", "2026-01-02T10:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.iso, func(t *testing.T) {
			if got := b.Localizer(tt.lang).DateString(tt.iso); got != tt.want {
				t.Errorf("DateString(%q) in %s = %q, want %q", tt.iso, tt.lang, got, tt.want)
			}
		})
	}
}

func TestQuantity(t *testing.T) {
	b := testBundle(t)
	tests := []struct {
		lang  string
		milli int64
		want  string
	}{
		{"en", 1000, "1"},
		{"en", 1500, "1.5"},
		{"en", 1250000, "1,250"},
		{"en", 2125, "2.125"},
		{"de", 1500, "1,5"},
		{"de", 1250500, "1.250,5"},
		{"fr", 1500, "1,5"},
		{"fr", 1250000, "1\u00a0250"},
		{"es", 2125, "2,125"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.want, func(t *testing.T) {
			if got := b.Localizer(tt.lang).Quantity(tt.milli); got != tt.want {
				t.Errorf("Quantity(%d) in %s = %q, want %q", tt.milli, tt.lang, got, tt.want)
			}
		})
	}
}
