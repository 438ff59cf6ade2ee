package idempotency

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"workrate/migrations/testdb"
)

// bench is a small API behind the guard: POST /api/v1/things counts its runs,
// and blocks while a test holds the gate.
type bench struct {
	engine  *gin.Engine
	runs    atomic.Int64
	entered chan struct{}
	gate    chan struct{}
	status  atomic.Int64
}

func newBench(t *testing.T, s *Store) *bench {
	t.Helper()
	gin.SetMode(gin.ReleaseMode)
	b := &bench{engine: gin.New()}
	b.status.Store(http.StatusCreated)
	b.engine.Use(New(s, "/api/v1", func(c *gin.Context, status int, code, message string) {
		c.AbortWithStatusJSON(status, gin.H{"error": gin.H{"code": code, "message": message}})
	}).Middleware())
	b.engine.POST("/api/v1/things", func(c *gin.Context) {
		n := b.runs.Add(1)
		if b.gate != nil {
			b.entered <- struct{}{}
			<-b.gate
		}
		c.Header("Location", "/api/v1/things/"+strings.Repeat("x", int(n)))
		c.JSON(int(b.status.Load()), gin.H{"run": n})
	})
	return b
}

func (b *bench) post(auth, key, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/api/v1/things", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if key != "" {
		req.Header.Set(Header, key)
	}
	rec := httptest.NewRecorder()
	b.engine.ServeHTTP(rec, req)
	return rec
}

func TestReplayReuseAndInProgress(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			b := newBench(t, NewStore(db.DB))
			first := b.post("Bearer k1", "key-1", `{"a":1}`)
			if first.Code != http.StatusCreated {
				t.Fatalf("first = %d %s", first.Code, first.Body)
			}
			again := b.post("Bearer k1", `"key-1"`, `{"a":1}`) // the draft's quoted form is the same key
			if again.Code != http.StatusCreated || again.Body.String() != first.Body.String() ||
				again.Header().Get("Location") != first.Header().Get("Location") || again.Header().Get("Idempotent-Replayed") != "true" ||
				!strings.HasPrefix(again.Header().Get("Content-Type"), "application/json") {
				t.Fatalf("retry = %d %q %v, want the first answer replayed (%q)", again.Code, again.Body, again.Header(), first.Body)
			}
			if n := b.runs.Load(); n != 1 {
				t.Fatalf("handler ran %d times for one key", n)
			}
			reused := b.post("Bearer k1", "key-1", `{"a":2}`)
			if reused.Code != http.StatusUnprocessableEntity || !strings.Contains(reused.Body.String(), `"code":"idempotency_key_reused"`) {
				t.Fatalf("same key, other body = %d %s", reused.Code, reused.Body)
			}
			// Keys are per API key; without a key nothing is remembered.
			if r := b.post("Bearer k2", "key-1", `{"a":1}`); r.Code != http.StatusCreated || b.runs.Load() != 2 {
				t.Fatalf("another API key's same key = %d, runs %d", r.Code, b.runs.Load())
			}
			b.post("Bearer k1", "", `{"a":1}`)
			b.post("Bearer k1", "", `{"a":1}`)
			if n := b.runs.Load(); n != 4 {
				t.Fatalf("runs without a key = %d, want 4", n)
			}
			if r := b.post("Bearer k1", "bad key with spaces", `{}`); r.Code != http.StatusBadRequest {
				t.Fatalf("bad key = %d", r.Code)
			}

			// While the first request with a key runs, a second one gets 409.
			b.gate, b.entered = make(chan struct{}), make(chan struct{})
			var wg sync.WaitGroup
			var slow *httptest.ResponseRecorder
			wg.Add(1)
			go func() { defer wg.Done(); slow = b.post("Bearer k1", "key-2", `{"b":1}`) }()
			<-b.entered
			busy := b.post("Bearer k1", "key-2", `{"b":1}`)
			close(b.gate)
			wg.Wait()
			if busy.Code != http.StatusConflict || !strings.Contains(busy.Body.String(), "idempotency_key_in_use") {
				t.Fatalf("concurrent retry = %d %s, want 409", busy.Code, busy.Body)
			}
			b.gate = nil
			if r := b.post("Bearer k1", "key-2", `{"b":1}`); r.Code != slow.Code || r.Body.String() != slow.Body.String() {
				t.Fatalf("retry after it finished = %d %s, want %d %s", r.Code, r.Body, slow.Code, slow.Body)
			}
		})
	}
}

func TestServerErrorsAreNotKeptAndLeasesEnd(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			b := newBench(t, NewStore(db.DB))
			b.status.Store(http.StatusServiceUnavailable)
			if r := b.post("Bearer k", "key-5xx", `{}`); r.Code != http.StatusServiceUnavailable {
				t.Fatalf("first = %d", r.Code)
			}
			b.status.Store(http.StatusCreated)
			if r := b.post("Bearer k", "key-5xx", `{}`); r.Code != http.StatusCreated || b.runs.Load() != 2 {
				t.Fatalf("retry after a 503 = %d, runs %d: want it run again", r.Code, b.runs.Load())
			}

			// A request whose process died holds its key only until its lease ends.
			owner, fp := digest("Bearer k"), digest(http.MethodPost, "/api/v1/things", "application/json", `{"c":1}`)
			if _, mine, err := NewStore(db.DB).claim(ctx, owner, "key-dead", fp); err != nil || !mine {
				t.Fatalf("claim: %v %v", mine, err)
			}
			if r := b.post("Bearer k", "key-dead", `{"c":1}`); r.Code != http.StatusConflict {
				t.Fatalf("while the lease runs = %d, want 409", r.Code)
			}
			if _, err := db.ExecContext(ctx, "UPDATE idempotency_keys SET locked_until = ? WHERE idem_key = 'key-dead'", time.Now().Add(-time.Second)); err != nil {
				t.Fatal(err)
			}
			if r := b.post("Bearer k", "key-dead", `{"c":1}`); r.Code != http.StatusCreated {
				t.Fatalf("after the lease = %d, want the request run", r.Code)
			}

			// Answers older than a day are swept.
			if _, err := db.ExecContext(ctx, "UPDATE idempotency_keys SET expires_at = ? WHERE idem_key = 'key-dead'", time.Now().Add(-time.Second)); err != nil {
				t.Fatal(err)
			}
			n, err := Sweep(ctx, db.DB)
			if err != nil || n != 1 {
				t.Fatalf("sweep removed %d (%v), want 1", n, err)
			}
			var left int
			if err := db.NewRaw("SELECT count(*) FROM idempotency_keys").Scan(ctx, &left); err != nil || left != 1 {
				t.Fatalf("left %d (%v), want the fresh answer only", left, err)
			}
		})
	}
}
