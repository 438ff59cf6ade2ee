package agency_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"html"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"workrate/branding"
	"workrate/branding/brandingtest"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
)

// brandingAnswer is the API's branding as a test reads it.
type brandingAnswer struct {
	PlatformName string  `json:"platform_name"`
	PrimaryColor string  `json:"primary_color"`
	TextColor    string  `json:"text_color"`
	WhiteLabel   bool    `json:"white_label"`
	LogoURL      *string `json:"logo_url"`
	FaviconURL   *string `json:"favicon_url"`
	UpdatedAt    *string `json:"updated_at"`
}

func decodeBranding(t *testing.T, r *servertest.Response) brandingAnswer {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("status %d: %.300s", r.Status, r.Body)
	}
	var b brandingAnswer
	if err := json.Unmarshal([]byte(r.Body), &b); err != nil {
		t.Fatalf("decode %q: %v", r.Body, err)
	}
	return b
}

// brandingTextCase is one PUT /branding and what must come of it.
type brandingTextCase struct {
	name       string
	body       string
	status     int
	code       string
	wantName   string
	wantColor  string
	wantText   string
	whiteLabel bool
}

// brandingTextCases are the PUT /branding bodies, in order (each starts from
// what the one before left).
func brandingTextCases() []brandingTextCase {
	return []brandingTextCase{
		{name: "name and colour", body: `{"platform_name":"  Acme Hub ","primary_color":"#0F766E"}`, status: 200,
			wantName: "Acme Hub", wantColor: "#0f766e", wantText: branding.TextLight, whiteLabel: true},
		{name: "colour only keeps the name", body: `{"primary_color":"#ff0"}`, status: 200,
			wantName: "Acme Hub", wantColor: "#ffff00", wantText: branding.TextDark, whiteLabel: true},
		{name: "invalid colour", body: `{"primary_color":"red; background:url(x)"}`, status: 422, code: "branding.invalid_color"},
		{name: "colour without hash", body: `{"primary_color":"0f766e"}`, status: 422, code: "branding.invalid_color"},
		{name: "name too long", body: `{"platform_name":"` + strings.Repeat("n", branding.MaxNameLen+1) + `"}`, status: 422, code: "branding.name_too_long"},
		{name: "unknown field", body: `{"logo":"x"}`, status: 400, code: "unknown_field"},
		{name: "not json", body: `platform`, status: 400, code: "invalid_json"},
		{name: "empty values return to the defaults", body: `{"platform_name":"","primary_color":""}`, status: 200,
			wantName: "", wantColor: branding.DefaultPrimaryColor, wantText: branding.TextLight},
	}
}

func TestBrandingAPIText(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			key := w.apiKey(w.A)
			b := w.env.Browser()

			got := decodeBranding(t, b.JSON("GET", w.hostA, "/api/v1/branding", key, ""))
			if got.PlatformName != "" || got.PrimaryColor != branding.DefaultPrimaryColor || got.WhiteLabel ||
				got.LogoURL != nil || got.FaviconURL != nil || got.UpdatedAt != nil {
				t.Fatalf("fresh agency branding = %+v", got)
			}
			if !strings.Contains(b.Get(w.hostA, "/login").Body, "<title>Sign in · WorkRate</title>") {
				t.Fatal("an agency without white label should show the platform's name")
			}

			tests := brandingTextCases()
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					r := b.JSON("PUT", w.hostA, "/api/v1/branding", key, tt.body)
					if r.Status != tt.status {
						t.Fatalf("status %d, want %d: %s", r.Status, tt.status, r.Body)
					}
					if tt.code != "" {
						if code, msg := apiErrorOf(t, r); code != tt.code || len(msg) < 15 {
							t.Fatalf("error %q %q, want code %q and a clear message", code, msg, tt.code)
						}
						return
					}
					got := decodeBranding(t, r)
					if got.PlatformName != tt.wantName || got.PrimaryColor != tt.wantColor || got.TextColor != tt.wantText ||
						got.WhiteLabel != tt.whiteLabel || got.UpdatedAt == nil {
						t.Fatalf("answer %+v", got)
					}
					if again := decodeBranding(t, b.JSON("GET", w.hostA, "/api/v1/branding", key, "")); again.PlatformName != got.PlatformName ||
						again.PrimaryColor != got.PrimaryColor || again.WhiteLabel != got.WhiteLabel || again.UpdatedAt == nil || *again.UpdatedAt != *got.UpdatedAt {
						t.Fatalf("GET %+v after PUT %+v", again, got)
					}
					// The change shows at once: the cache was refreshed.
					page := b.Get(w.hostA, "/login").Body
					theme := "/brand/theme/" + tt.wantColor[1:] + "-" + tt.wantText[1:] + ".css"
					if !strings.Contains(page, theme) {
						t.Fatalf("login page does not use %s", theme)
					}
					if tt.whiteLabel && (strings.Contains(page, "WorkRate") || !strings.Contains(page, tt.wantName)) {
						t.Fatal("login page does not carry the white label")
					}
				})
			}

			// Agency B's key cannot read or change A's branding, and B's is its own.
			keyB := w.apiKey(w.B)
			if r := b.JSON("PUT", w.hostA, "/api/v1/branding", keyB, `{"platform_name":"Hijack"}`); r.Status != http.StatusUnauthorized {
				t.Fatalf("B's key on A's host = %d", r.Status)
			}
			if got := decodeBranding(t, b.JSON("GET", "localhost", "/api/v1/branding", keyB, "")); got.PlatformName != "" {
				t.Fatalf("B's branding = %+v", got)
			}

			// DELETE returns to the platform's branding.
			decodeBranding(t, b.JSON("PUT", w.hostA, "/api/v1/branding", key, `{"platform_name":"Acme Hub"}`))
			if got := decodeBranding(t, b.JSON("DELETE", w.hostA, "/api/v1/branding", key, "")); got.WhiteLabel || got.PlatformName != "" {
				t.Fatalf("after reset %+v", got)
			}
			if !strings.Contains(b.Get(w.hostA, "/login").Body, "WorkRate") {
				t.Fatal("after reset the platform's name is back")
			}
		})
	}
}

// logoCase is one upload and what must come of it.
type logoCase struct {
	name   string
	file   string // the file name (staff page)
	ctype  string // the declared type (API)
	data   []byte
	status int    // API status
	code   string // API error code, "" when accepted
	w, h   int    // size of the accepted logo
}

func logoCases() []logoCase {
	png := brandingtest.PNG(120, 40)
	jpeg := brandingtest.JPEG(64, 64)
	return []logoCase{
		{name: "png", file: "logo.png", ctype: "image/png", data: png, status: 200, w: 120, h: 40},
		{name: "jpeg", file: "logo.jpg", ctype: "image/jpeg", data: jpeg, status: 200, w: 64, h: 64},
		{name: "webp", file: "logo.webp", ctype: "image/webp", data: brandingtest.WebP(30, 20, color.NRGBA{R: 200, G: 10, B: 10, A: 255}), status: 200, w: 30, h: 20},
		{name: "png declared as jpeg", file: "logo.jpg", ctype: "image/jpeg", data: brandingtest.PNG(10, 10), status: 200, w: 10, h: 10},
		{name: "png declared as a form", file: "logo.png", ctype: "application/x-www-form-urlencoded", data: brandingtest.PNG(12, 12), status: 200, w: 12, h: 12},
		{name: "svg", file: "logo.svg", ctype: "image/svg+xml", data: []byte(brandingtest.SVG), status: 415, code: "logo.unsupported_format"},
		{name: "svg declared as png", file: "logo.png", ctype: "image/png", data: []byte(brandingtest.SVG), status: 415, code: "logo.unsupported_format"},
		{name: "png with a script appended", file: "logo.png", ctype: "image/png", data: append(append([]byte{}, png...), brandingtest.Script...), status: 422, code: "logo.trailing_data"},
		{name: "10000x10000 image", file: "logo.png", ctype: "image/png", data: brandingtest.BombPNG(10000, 10000), status: 422, code: "logo.too_big_dimensions"},
		{name: "10000x10000 webp", file: "logo.webp", ctype: "image/webp", data: brandingtest.WebP(10000, 10000, color.NRGBA{A: 255}), status: 422, code: "logo.too_big_dimensions"},
		{name: "truncated png", file: "logo.png", ctype: "image/png", data: png[:len(png)/2], status: 422, code: "logo.corrupt"},
		{name: "truncated jpeg", file: "logo.jpg", ctype: "image/jpeg", data: jpeg[:len(jpeg)/2], status: 422, code: "logo.corrupt"},
		{name: "text file named logo.png", file: "logo.png", ctype: "image/png", data: []byte("just some text, not an image\n"), status: 415, code: "logo.unsupported_format"},
		{name: "empty", file: "logo.png", ctype: "image/png", data: nil, status: 400, code: "logo.empty"},
		{name: "over 1 MiB", file: "logo.png", ctype: "image/png", data: append(append([]byte{}, png...), make([]byte, branding.MaxLogoBytes)...), status: 413, code: "logo.too_large"},
	}
}

// checkServedLogo fetches the logo and favicon at logoURL's path on host and
// checks they are the re-encoded PNGs named by their hash.
func checkServedLogo(t *testing.T, b *servertest.Browser, host, logoURL string, w, h int) {
	t.Helper()
	m := regexp.MustCompile(`/brand/logo/([0-9a-f]{64})\.png$`).FindStringSubmatch(logoURL)
	if m == nil {
		t.Fatalf("logo URL %q does not carry a content hash", logoURL)
	}
	for _, tt := range []struct {
		path string
		w, h int
	}{{"/brand/logo/" + m[1] + ".png", w, h}, {"/brand/favicon/" + m[1] + ".png", branding.FaviconSize, branding.FaviconSize}} {
		r := b.Get(host, tt.path)
		if r.Status != 200 || r.Header.Get("Content-Type") != "image/png" || r.Header.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
			t.Fatalf("GET %s = %d %v", tt.path, r.Status, r.Header)
		}
		cfg, err := png.DecodeConfig(strings.NewReader(r.Body))
		if err != nil || cfg.Width != tt.w || cfg.Height != tt.h {
			t.Fatalf("%s is %+v, %v; want a %dx%d PNG", tt.path, cfg, err, tt.w, tt.h)
		}
		if strings.Contains(r.Body, "tEXt") || strings.Contains(r.Body, "<script") {
			t.Fatalf("%s still carries metadata", tt.path)
		}
		if strings.HasPrefix(tt.path, "/brand/logo/") {
			if sum := sha256.Sum256([]byte(r.Body)); hex.EncodeToString(sum[:]) != m[1] {
				t.Fatal("the logo's hash does not match its content")
			}
		}
	}
}

func TestLogoUploadAPI(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			key := w.apiKey(w.A)
			b := w.env.Browser()
			b.Header.Set("Authorization", "Bearer "+key)
			put := func(data []byte, ctype string) *servertest.Response {
				return b.Do("PUT", w.hostA, "/api/v1/branding/logo", bytes.NewReader(data), ctype)
			}
			var lastURL string
			for _, tt := range logoCases() {
				t.Run(tt.name, func(t *testing.T) {
					r := put(tt.data, tt.ctype)
					if r.Status != tt.status {
						t.Fatalf("status %d, want %d: %.300s", r.Status, tt.status, r.Body)
					}
					if tt.code != "" {
						if code, msg := apiErrorOf(t, r); code != tt.code || len(msg) < 20 {
							t.Fatalf("error %q %q, want %q with a clear message", code, msg, tt.code)
						}
						// The logo in place stays.
						got := decodeBranding(t, b.Do("GET", w.hostA, "/api/v1/branding", nil, ""))
						if lastURL != "" && (got.LogoURL == nil || *got.LogoURL != lastURL) {
							t.Fatalf("a refused upload changed the logo: %+v", got)
						}
						return
					}
					got := decodeBranding(t, r)
					if got.LogoURL == nil || got.FaviconURL == nil || !got.WhiteLabel || got.PlatformName != "" {
						t.Fatalf("answer %+v", got)
					}
					if !strings.HasPrefix(*got.LogoURL, "http://acme.localhost/brand/logo/") {
						t.Fatalf("logo URL %q is not on the agency's host", *got.LogoURL)
					}
					lastURL = *got.LogoURL
					checkServedLogo(t, b, w.hostA, lastURL, tt.w, tt.h)
					// The login page shows it, named by the agency (no platform name set).
					page := w.env.Browser().Get(w.hostA, "/login").Body
					path := strings.TrimPrefix(lastURL, "http://acme.localhost")
					if !strings.Contains(page, `src="`+path+`"`) || !strings.Contains(page, `alt="Acme Studio"`) || strings.Contains(page, "WorkRate") {
						t.Fatal("login page does not show the logo under the agency's name")
					}
				})
			}
			t.Run("multipart is refused with a hint", func(t *testing.T) {
				body, ctype := multipartLogo(t, "logo.png", brandingtest.PNG(4, 4))
				r := b.Do("PUT", w.hostA, "/api/v1/branding/logo", body, ctype)
				if code, _ := apiErrorOf(t, r); r.Status != 415 || code != "unsupported_media_type" {
					t.Fatalf("multipart: %d %s", r.Status, code)
				}
			})
			t.Run("over 2 MiB", func(t *testing.T) {
				r := put(make([]byte, 3<<20), "image/png")
				if r.Status != 413 {
					t.Fatalf("status %d", r.Status)
				}
				apiErrorOf(t, r)
			})
			t.Run("delete", func(t *testing.T) {
				got := decodeBranding(t, b.Do("DELETE", w.hostA, "/api/v1/branding/logo", nil, ""))
				if got.LogoURL != nil || got.FaviconURL != nil || got.WhiteLabel {
					t.Fatalf("after delete %+v", got)
				}
				if r := b.Get(w.hostA, strings.TrimPrefix(lastURL, "http://acme.localhost")); r.Status != 404 {
					t.Fatalf("removed logo still served: %d", r.Status)
				}
			})
			t.Run("another agency's host does not serve it", func(t *testing.T) {
				got := decodeBranding(t, put(brandingtest.PNG(8, 8), "image/png"))
				if r := b.Get(w.hostB, strings.TrimPrefix(*got.LogoURL, "http://acme.localhost")); r.Status != 404 {
					t.Fatalf("A's logo on B's host: %d", r.Status)
				}
			})
		})
	}
}

// multipartLogo is a form with the file field "logo".
func multipartLogo(t *testing.T, name string, data []byte) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("logo", name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf, mw.FormDataContentType()
}

func TestLogoUploadStaffPage(t *testing.T) {
	messages := map[string]string{
		"logo.unsupported_format": "This file is not a PNG, JPEG or WebP image.",
		"logo.trailing_data":      "This file contains extra data after the image.",
		"logo.too_big_dimensions": "This image is too large: it may be at most 2000 × 2000 pixels.",
		"logo.corrupt":            "This image is damaged or incomplete",
		"logo.empty":              "Choose an image file to upload.",
		"logo.too_large":          "This file is larger than 1024 KB.",
	}
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			b := w.signIn("A-admin", w.hostA)
			for _, tt := range logoCases() {
				t.Run(tt.name, func(t *testing.T) {
					body, ctype := multipartLogo(t, tt.file, tt.data)
					r := b.Do("POST", w.hostA, "/staff/settings/branding/logo", body, ctype)
					if tt.code != "" {
						msg := messages[tt.code]
						if r.Status != 422 || !strings.Contains(html.UnescapeString(r.Body), msg) || !strings.Contains(r.Body, `class="field-error"`) {
							t.Fatalf("status %d, want 422 with %q: %.2000s", r.Status, msg, r.Body)
						}
						return
					}
					if r.Status != 303 || r.Location() != "/staff/settings/branding?done=logo_saved" {
						t.Fatalf("upload: %d %s %.500s", r.Status, r.Location(), r.Body)
					}
					page := b.Get(w.hostA, r.Location())
					logo := regexp.MustCompile(`src="(/brand/logo/[0-9a-f]{64}\.png)"`).FindStringSubmatch(page.Body)
					if page.Status != 200 || logo == nil || !strings.Contains(page.Body, "Your logo has been saved.") {
						t.Fatalf("settings page after upload: %d", page.Status)
					}
					checkServedLogo(t, b, w.hostA, logo[1], tt.w, tt.h)
				})
			}
			t.Run("no file at all", func(t *testing.T) {
				r := b.Post(w.hostA, "/staff/settings/branding/logo", servertest.Values())
				if r.Status != 422 || !strings.Contains(r.Body, messages["logo.empty"]) {
					t.Fatalf("status %d", r.Status)
				}
			})
			t.Run("remove", func(t *testing.T) {
				page := b.Get(w.hostA, "/staff/settings/branding").Body
				if !strings.Contains(page, `action="/staff/settings/branding/logo/delete" data-confirm=`) {
					t.Fatal("remove form missing or not confirmed")
				}
				r := b.Post(w.hostA, "/staff/settings/branding/logo/delete", servertest.Values())
				if r.Status != 303 {
					t.Fatalf("remove: %d", r.Status)
				}
				if page := b.Get(w.hostA, "/staff/settings/branding").Body; strings.Contains(page, "/brand/logo/") {
					t.Fatal("logo still shown after removal")
				}
			})
		})
	}
}

func TestBrandingStaffPage(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			t.Run("only owners and admins", func(t *testing.T) {
				for key, want := range map[string]int{"A-owner": 200, "A-admin": 200, "A-member": 404} {
					b := w.signIn(key, w.hostA)
					if r := b.Get(w.hostA, "/staff/settings/branding"); r.Status != want {
						t.Errorf("%s: %d, want %d", key, r.Status, want)
					}
					if r := b.Post(w.hostA, "/staff/settings/branding", servertest.Values("platform_name", "Member Hub")); want == 404 && r.Status != 404 {
						t.Errorf("%s may save: %d", key, r.Status)
					}
					nav := strings.Contains(b.Get(w.hostA, "/staff/workspaces").Body, `href="/staff/settings/branding"`)
					if nav != (want == 200) {
						t.Errorf("%s: branding in the navigation = %v", key, nav)
					}
				}
			})
			b := w.signIn("A-owner", w.hostA)
			page := b.Get(w.hostA, "/staff/settings/branding").Body
			for _, want := range []string{`name="platform_name"`, `type="color"`, `name="primary_color"`, `type="file"`, `name="logo"`,
				`enctype="multipart/form-data"`, `data-brand-preview`, `action="/staff/settings/branding/reset" data-confirm=`} {
				if !strings.Contains(page, want) {
					t.Errorf("page lacks %s", want)
				}
			}
			tests := []struct {
				name, platform, color, picker string
				status                        int
				message                       string
				wantTheme                     string
			}{
				{name: "invalid colour", platform: "Acme Hub", color: "blue", status: 422, message: "Enter a hex colour such as #1e40af or #14a."},
				{name: "too long", platform: strings.Repeat("x", 61), color: "#123456", status: 422, message: "Use at most 60 characters."},
				{name: "saved", platform: "Acme Hub", color: "#FFCC00", status: 303, wantTheme: "ffcc00-111827"},
				{name: "picker wins when the text is unchanged", platform: "Acme Hub", color: "#ffcc00", picker: "#1e3a8a", status: 303, wantTheme: "1e3a8a-ffffff"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					r := b.Post(w.hostA, "/staff/settings/branding", servertest.Values("platform_name", tt.platform, "primary_color", tt.color, "primary_color_picker", tt.picker))
					if r.Status != tt.status {
						t.Fatalf("status %d, want %d", r.Status, tt.status)
					}
					if tt.message != "" {
						if !strings.Contains(r.Body, tt.message) || !strings.Contains(r.Body, `value="`+tt.color+`"`) {
							t.Fatalf("no %q next to the typed value", tt.message)
						}
						return
					}
					login := w.env.Browser().Get(w.hostA, "/login").Body
					if !strings.Contains(login, "/brand/theme/"+tt.wantTheme+".css") || !strings.Contains(login, "Acme Hub") || strings.Contains(login, "WorkRate") {
						t.Fatalf("login page does not show the saved brand %s", tt.wantTheme)
					}
				})
			}
			t.Run("reset", func(t *testing.T) {
				if r := b.Post(w.hostA, "/staff/settings/branding/reset", servertest.Values()); r.Status != 303 {
					t.Fatalf("reset: %d", r.Status)
				}
				login := w.env.Browser().Get(w.hostA, "/login").Body
				if strings.Contains(login, "Acme Hub") || !strings.Contains(login, "WorkRate") ||
					!strings.Contains(login, "/brand/theme/"+branding.DefaultPrimaryColor[1:]) {
					t.Fatal("reset did not bring back the platform's branding")
				}
			})
		})
	}
}

func TestBrandingInOpenAPI(t *testing.T) {
	db := testdb.SQLite(t)
	w := newWorld(t, db)
	r := w.env.Browser().Get(w.hostA, "/api/v1/openapi.json")
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]any `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.Unmarshal([]byte(r.Body), &doc); err != nil {
		t.Fatal(err)
	}
	for _, op := range []string{"get /branding", "put /branding", "delete /branding", "put /branding/logo", "delete /branding/logo"} {
		method, path, _ := strings.Cut(op, " ")
		if _, ok := doc.Paths[path][method]; !ok {
			t.Errorf("document lacks %s", op)
		}
	}
	for _, media := range []string{"image/png", "image/jpeg", "image/webp"} {
		if _, ok := doc.Paths["/branding/logo"]["put"].RequestBody.Content[media]; !ok {
			t.Errorf("PUT /branding/logo does not take %s", media)
		}
	}
}
