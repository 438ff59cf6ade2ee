package server

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/uptrace/bun"

	"workrate/store"
)

// healthz answers 200 while the process is up, on any host.
func (a *App) healthz(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.String(http.StatusOK, "ok\n")
}

// readyz answers 200 only while the database answers and accepts writes, and
// the server is not shutting down, so that a load balancer stops sending
// requests first.
func (a *App) readyz(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	if a.draining.Load() {
		c.String(http.StatusServiceUnavailable, "shutting down\n")
		return
	}
	if err := store.Ping(c, a.db); err != nil {
		c.String(http.StatusServiceUnavailable, "database unavailable\n")
		return
	}
	if err := a.writes.Check(); err != nil {
		if store.DiskFull(err) {
			c.String(http.StatusServiceUnavailable, "database cannot write: disk full\n")
			return
		}
		c.String(http.StatusServiceUnavailable, "database cannot write\n")
		return
	}
	c.String(http.StatusOK, "ready\n")
}

// writeProbeEvery is how often at most /readyz proves that the database
// accepts writes; between probes it answers the last outcome.
const writeProbeEvery = 3 * time.Second

// writeProbe rewrites a row now and then to learn whether the database still
// accepts writes (a full disk does not stop reads). The probe runs in the
// background, at most once per interval, so /readyz never waits on it.
type writeProbe struct {
	db    *bun.DB
	every time.Duration

	mu      sync.Mutex
	started time.Time // when the last probe started
	err     error     // the last probe's outcome
	running bool
}

// Check returns the last probe's outcome, starting a new probe when the
// last is older than the interval.
func (p *writeProbe) Check() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.running && time.Since(p.started) >= p.every {
		p.running = true
		p.started = time.Now()
		go p.run()
	}
	return p.err
}

func (p *writeProbe) run() {
	err := store.ProbeWrite(context.Background(), p.db)
	p.mu.Lock()
	defer p.mu.Unlock()
	if err != nil && p.err == nil {
		slog.Error("readiness: the database refuses writes", "err", err)
	} else if err == nil && p.err != nil {
		slog.Info("readiness: the database accepts writes again")
	}
	p.err = err
	p.running = false
}
