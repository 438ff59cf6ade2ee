package main

import (
	"bytes"
	"context"
	"image/png"
	"regexp"
	"strings"
	"testing"

	"workrate/branding"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
	"workrate/tenant"
)

// TestDemoIsWhiteLabelled runs the demo twice: the demo agency keeps one
// white label, and its login page shows its name and logo, never the platform's.
func TestDemoIsWhiteLabelled(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			var hashes []string
			for range 2 {
				if err := runDemo(ctx, []string{"--database-url", db.URL}, new(bytes.Buffer)); err != nil {
					t.Fatal(err)
				}
				a, err := tenant.NewStore(db.DB).AgencyBySlug(ctx, demoSlug)
				if err != nil {
					t.Fatal(err)
				}
				st, err := branding.NewStore(db.DB).Get(ctx, a.ID)
				if err != nil {
					t.Fatal(err)
				}
				if st.PlatformName != demoPlatformName || st.PrimaryColor != demoColor || st.LogoHash == "" {
					t.Fatalf("demo branding = %+v", st)
				}
				hashes = append(hashes, st.LogoHash)
			}
			if hashes[0] != hashes[1] {
				t.Fatal("a second run changed the logo")
			}

			env := servertest.New(t, db)
			b := env.Browser()
			page := b.Get("northwind.localhost", "/login")
			logo := "/brand/logo/" + hashes[0] + ".png"
			if page.Status != 200 || !strings.Contains(page.Body, "<title>Sign in · "+demoPlatformName+"</title>") ||
				!strings.Contains(page.Body, `src="`+logo+`"`) || strings.Contains(page.Body, "WorkRate") {
				t.Fatalf("demo login page: %d\n%s", page.Status, page.Body)
			}
			if !regexp.MustCompile(`/brand/theme/0f5e8c-[0-9a-f]{6}\.css`).MatchString(page.Body) {
				t.Fatal("demo login page does not use the demo colour")
			}
			r := b.Get("northwind.localhost", logo)
			cfg, err := png.DecodeConfig(strings.NewReader(r.Body))
			if r.Status != 200 || err != nil || cfg.Width != 256 || cfg.Height != 256 {
				t.Fatalf("demo logo: %d %+v %v", r.Status, cfg, err)
			}
		})
	}
}
