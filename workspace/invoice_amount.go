package workspace

import (
	"math"
	"strconv"

	"workrate/field"
)

// Money is kept in integer cents and quantities in thousandths (milli), so
// that no float is ever summed. A line's amount is quantity × unit price
// rounded half up to the cent (amounts are never negative):
//
//	amount_cents = (quantity_milli × unit_price_cents + 500) / 1000
//
// e.g. 1.5 × 120.00 = 1500 × 12000 / 1000 = 18000 cents; 0.333 × 0.10 =
// 333 × 10 / 1000 = 3.33 → 3 cents. Each line is rounded on its own and the
// total is the sum of the rounded lines, as printed on the invoice.

// LineAmount returns the amount in cents of quantityMilli × unitPriceCents.
func LineAmount(quantityMilli, unitPriceCents int64) int64 {
	return (quantityMilli*unitPriceCents + 500) / 1000
}

// QuantityMilli converts a quantity of at most 3 decimals into thousandths;
// a bad quantity is a *field.Error on the field "quantity".
func QuantityMilli(q float64) (int64, error) {
	if math.IsNaN(q) || math.IsInf(q, 0) || q <= 0 {
		return 0, field.Limited("quantity", field.InvalidQuantity, maxQuantityMilli/1000)
	}
	m := q * 1000
	r := math.Round(m)
	if math.Abs(m-r) > 1e-6 {
		return 0, field.New("quantity", field.TooManyDecimals)
	}
	if r < 1 || r > maxQuantityMilli {
		return 0, field.Limited("quantity", field.InvalidQuantity, maxQuantityMilli/1000)
	}
	return int64(r), nil
}

// FormatQuantity writes thousandths as a plain decimal without trailing
// zeros: 1500 → "1.5", 2000 → "2", 1 → "0.001".
func FormatQuantity(milli int64) string {
	return strconv.FormatFloat(float64(milli)/1000, 'f', -1, 64)
}
