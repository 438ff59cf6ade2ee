package locale

import (
	"math"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/currency"
	"golang.org/x/text/number"
)

// nbsp separates an amount from its currency symbol so they never wrap apart.
const nbsp = "\u00a0"

// Date formats t's calendar date in t's own location (convert to the
// viewer's zone first): en "Jan 2, 2006", de "02.01.2006",
// fr "02/01/2006", es "02/01/2006".
func (l *Localizer) Date(t time.Time) string {
	return t.Format(l.date)
}

// DateTime formats t's date and time in t's own location:
// en "Jan 2, 2006, 3:04 PM", de "02.01.2006, 15:04",
// fr "02/01/2006 15:04", es "02/01/2006, 15:04".
func (l *Localizer) DateTime(t time.Time) string {
	return t.Format(l.dateTime)
}

// DateString formats a "YYYY-MM-DD" date like Date and returns iso
// unchanged when it does not parse.
func (l *Localizer) DateString(iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return l.Date(t)
}

// Number formats n with the language's digit grouping: en "1,234,567",
// de and es "1.234.567", fr "1 234 567" (no-break spaces).
func (l *Localizer) Number(n int64) string {
	return l.printer.Sprint(number.Decimal(n))
}

// Money formats an amount given in cents (hundredths of the unit, for
// every currency) with the currency's localized symbol from x/text and its
// standard number of decimals: en "$1,234.50", "CHF 1,234.50";
// de "1.234,50 €", fr "1 234,50 $US", es "1.234,50 US$". Symbol and
// amount are joined by a no-break space (U+00A0) except for en's
// non-alphabetic symbols; a minus sign leads ("-$5.00", "-5,00 €"). An
// unknown code is upper-cased and used as the symbol with two decimals
// (en "XYZ 1,234.50", de "1.234,50 XYZ"); an empty code gives the bare number.
func (l *Localizer) Money(cents int64, code string) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	amount := math.Abs(float64(cents)) / 100
	sign := ""
	if cents < 0 {
		sign = "-"
	}

	symbol := code
	var num string
	if unit, err := currency.ParseISO(code); err == nil {
		symbol = l.printer.Sprint(currency.Symbol(unit))
		// x/text renders "ISO amount" with the currency's standard rounding;
		// keep the amount and place the symbol per language ourselves.
		iso := l.printer.Sprint(currency.ISO(unit.Amount(amount)))
		num = strings.TrimPrefix(iso, unit.String()+" ")
	} else {
		num = l.printer.Sprint(number.Decimal(amount, number.Scale(2)))
	}

	switch {
	case symbol == "":
		return sign + num
	case !l.symbolFirst:
		return sign + num + nbsp + symbol
	case endsWithLetter(symbol):
		return sign + symbol + nbsp + num
	default:
		return sign + symbol + num
	}
}

// endsWithLetter reports whether s ends in a letter, as in "CHF" or "US".
func endsWithLetter(s string) bool {
	r := []rune(s)
	return len(r) > 0 && unicode.IsLetter(r[len(r)-1])
}

// Quantity formats a quantity given in thousandths with the language's
// separators and no trailing zeros: en "1.5", "1,250"; de and es "1,5",
// "1.250"; fr "1,5", "1 250".
func (l *Localizer) Quantity(milli int64) string {
	decimals := 3
	for decimals > 0 && milli%10 == 0 {
		milli /= 10
		decimals--
	}
	f := float64(milli)
	for range decimals {
		f /= 10
	}
	return l.printer.Sprint(number.Decimal(f, number.Scale(decimals)))
}
