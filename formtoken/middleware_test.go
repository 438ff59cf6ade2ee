package formtoken

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"workrate/migrations/testdb"
)

// bench is a form behind the guard: POST /things counts its runs and
// redirects to the new thing, or shows the form again (200) when asked.
type bench struct {
	engine  *gin.Engine
	runs    atomic.Int64
	invalid atomic.Bool
	entered chan struct{}
	gate    chan struct{}
}

func newBench(s *Store) *bench {
	gin.SetMode(gin.ReleaseMode)
	b := &bench{engine: gin.New()}
	b.engine.Use(New(s, func(c *gin.Context) { c.String(http.StatusServiceUnavailable, "busy") }).Middleware())
	b.engine.POST("/things", func(c *gin.Context) {
		n := b.runs.Add(1)
		if b.gate != nil {
			b.entered <- struct{}{}
			<-b.gate
		}
		if b.invalid.Load() {
			c.String(http.StatusOK, "the form again, with its errors")
			return
		}
		c.Redirect(http.StatusSeeOther, "/things/"+strconv.FormatInt(n, 10))
	})
	return b
}

func (b *bench) submit(host string, form url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/things", strings.NewReader(form.Encode()))
	req.Host = host
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	b.engine.ServeHTTP(rec, req)
	return rec
}

// tokenOf takes the token out of the hidden input.
func tokenOf(t *testing.T, input string) string {
	t.Helper()
	_, v, ok := strings.Cut(input, `value="`)
	if !ok || !strings.HasPrefix(input, `<input type="hidden" name="form_token" `) {
		t.Fatalf("not the hidden input: %s", input)
	}
	return strings.TrimSuffix(v, `">`)
}

func TestSecondSubmissionGetsTheFirstRedirect(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			b := newBench(NewStore(db.DB))
			tok := tokenOf(t, string(Input()))
			if other := tokenOf(t, string(Input())); other == tok {
				t.Fatal("two forms got the same token")
			}
			form := url.Values{"name": {"x"}, Field: {tok}}
			first := b.submit("a.localhost", form)
			second := b.submit("a.localhost", form)
			if first.Code != http.StatusSeeOther || second.Code != first.Code || second.Header().Get("Location") != first.Header().Get("Location") {
				t.Fatalf("first %d %s, second %d %s", first.Code, first.Header().Get("Location"), second.Code, second.Header().Get("Location"))
			}
			if n := b.runs.Load(); n != 1 {
				t.Fatalf("handler ran %d times for one token", n)
			}
			// The same token on another host is another form.
			b.submit("b.localhost", form)
			// Forms without a token run every time.
			b.submit("a.localhost", url.Values{"name": {"x"}})
			b.submit("a.localhost", url.Values{"name": {"x"}})
			if n := b.runs.Load(); n != 4 {
				t.Fatalf("runs = %d, want 4", n)
			}

			// A submission shown again with its errors frees its token.
			b.invalid.Store(true)
			tok2 := url.Values{Field: {tokenOf(t, string(Input()))}}
			if r := b.submit("a.localhost", tok2); r.Code != http.StatusOK {
				t.Fatalf("invalid = %d", r.Code)
			}
			b.invalid.Store(false)
			if r := b.submit("a.localhost", tok2); r.Code != http.StatusSeeOther || b.runs.Load() != 6 {
				t.Fatalf("corrected resubmission = %d, runs %d", r.Code, b.runs.Load())
			}

			// A double click: the second waits for the first and gets its redirect.
			b.gate, b.entered = make(chan struct{}), make(chan struct{})
			tok3 := url.Values{Field: {tokenOf(t, string(Input()))}}
			var wg sync.WaitGroup
			var firstClick, secondClick *httptest.ResponseRecorder
			wg.Add(2)
			go func() { defer wg.Done(); firstClick = b.submit("a.localhost", tok3) }()
			<-b.entered
			go func() { defer wg.Done(); secondClick = b.submit("a.localhost", tok3) }()
			close(b.gate)
			wg.Wait()
			if firstClick.Code != http.StatusSeeOther || secondClick.Code != http.StatusSeeOther ||
				firstClick.Header().Get("Location") != secondClick.Header().Get("Location") || b.runs.Load() != 7 {
				t.Fatalf("double click: %d %s and %d %s, runs %d", firstClick.Code, firstClick.Header().Get("Location"),
					secondClick.Code, secondClick.Header().Get("Location"), b.runs.Load())
			}
		})
	}
}

func TestSweepRemovesOldTokens(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			b := newBench(NewStore(db.DB))
			b.submit("a.localhost", url.Values{Field: {tokenOf(t, string(Input()))}})
			b.submit("a.localhost", url.Values{Field: {tokenOf(t, string(Input()))}})
			if _, err := db.ExecContext(ctx, "UPDATE form_tokens SET expires_at = ? WHERE token_hash IN (SELECT token_hash FROM form_tokens ORDER BY token_hash LIMIT 1)", time.Now().Add(-time.Second)); err != nil {
				t.Fatal(err)
			}
			n, err := Sweep(ctx, db.DB)
			if err != nil || n != 1 {
				t.Fatalf("sweep removed %d (%v), want 1", n, err)
			}
		})
	}
}
