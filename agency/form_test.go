package agency

import "testing"

func TestParseAmount(t *testing.T) {
	cases := []struct {
		in    string
		cents int64
		ok    bool
	}{
		{"95", 9500, true}, {"95.5", 9550, true}, {"95.50", 9550, true}, {"95,50", 9550, true},
		{"1,250.00", 125000, true}, {"1.250,00", 125000, true}, {"1,200", 120000, true}, {" 0 ", 0, true},
		{"", 0, false}, {"-5", 0, false}, {"abc", 0, false}, {"1e3", 0, false}, {"99999999999999999999", 0, false},
	}
	for _, c := range cases {
		cents, ok := parseAmount(c.in)
		if ok != c.ok || ok && cents != c.cents {
			t.Errorf("parseAmount(%q) = %d %v, want %d %v", c.in, cents, ok, c.cents, c.ok)
		}
	}
	for cents, want := range map[int64]string{0: "0.00", 5: "0.05", 9550: "95.50", 120000: "1200.00"} {
		if got := formatAmount(cents); got != want {
			t.Errorf("formatAmount(%d) = %q, want %q", cents, got, want)
		}
	}
}
