package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/uptrace/bun"

	"workrate/auth"
	"workrate/server"
)

// loadtestOptions are the flags of `workrate loadtest`.
type loadtestOptions struct {
	duration        time.Duration
	requests, conns int
	flood, rate     int
	path            string
}

// runLoadtest measures, in one run and with the same client, a bare Gin
// handler (the baseline) and the real portal dashboard of a signed-in client
// of the big seeded workspace (`workrate seed --big`). Both servers run in
// this process on 127.0.0.1; every phase stops after --duration or
// --requests, whichever comes first. The database must be on loopback too.
func runLoadtest(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("loadtest", out)
	config := server.RegisterFlags(fs)
	var o loadtestOptions
	fs.DurationVar(&o.duration, "duration", 5*time.Second, "length of each phase (at most 60s)")
	fs.IntVar(&o.requests, "requests", 200000, "most requests of each phase")
	fs.IntVar(&o.conns, "connections", 8, "concurrent keep-alive connections of the client")
	fs.IntVar(&o.flood, "login-flood", 0, "also run the login flood: wrong-password sign-ins per second (e.g. 200) while measuring the dashboard")
	fs.IntVar(&o.rate, "rate", 0, "requests per second of the latency phases (default: half the dashboard's throughput)")
	fs.StringVar(&o.path, "path", "/", "portal page to load")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.duration <= 0 || o.duration > time.Minute || o.requests <= 0 || o.conns <= 0 || o.conns > 256 || o.flood < 0 || o.flood > 2000 {
		return fmt.Errorf("loadtest: --duration in (0, 60s], --requests > 0, --connections in [1, 256], --login-flood in [0, 2000]: %w", errUsage)
	}
	cfg, err := config()
	if err != nil {
		return err
	}
	if err := loopbackDatabase(cfg.DatabaseURL); err != nil {
		return err
	}
	// The request log is formatted as in production but not written: the
	// terminal would be the bottleneck.
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo})))
	gin.SetMode(gin.ReleaseMode)
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	t, stop, err := startLoadTargets(ctx, cfg, db, o.path)
	if err != nil {
		return err
	}
	defer stop()
	return printJSON(out, measureLoad(ctx, t, o))
}

// loadTargets are what the phases ask: the bare handler and the portal page
// of the big workspace's signed-in client, with the one client that asks.
type loadTargets struct {
	client     *http.Client
	base, page func() (*http.Request, error)
	appURL     string
	host       string
}

// startLoadTargets serves the bare handler and the app on loopback and signs
// the big workspace's client in; stop ends both servers.
func startLoadTargets(ctx context.Context, cfg server.Config, db *bun.DB, path string) (t loadTargets, stop func(), err error) {
	app, err := server.New(ctx, cfg, db)
	if err != nil {
		return t, nil, err
	}
	bare := gin.New()
	bare.GET("/", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	baseURL, stopBare, err := serveLoopback(bare)
	if err != nil {
		return t, nil, err
	}
	appURL, stopApp, err := serveLoopback(app.Handler())
	if err != nil {
		stopBare()
		return t, nil, err
	}
	stop = func() { stopApp(); stopBare() }
	t.host, t.appURL = seedBigSlug+"."+cfg.AgencyDomain, appURL
	cookie, err := seedBigSession(ctx, db, t.host, auth.SessionPolicy{Idle: cfg.SessionIdle, Max: cfg.SessionMax})
	if err != nil {
		stop()
		return t, nil, fmt.Errorf("loadtest: sign in as the big workspace's client (run `workrate seed --big` first): %w", err)
	}
	t.client = &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{MaxIdleConnsPerHost: 512, MaxConnsPerHost: 0, DisableCompression: true}}
	t.base = func() (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/", nil)
	}
	t.page = func() (*http.Request, error) {
		r, err := http.NewRequestWithContext(ctx, http.MethodGet, appURL+path, nil)
		if err == nil {
			r.Host = t.host
			r.AddCookie(cookie)
		}
		return r, err
	}
	return t, stop, nil
}

// measureLoad runs the phases: throughput (closed loop), latency at a fixed
// rate (open loop), and, when asked, latency under a login flood.
func measureLoad(ctx context.Context, t loadTargets, o loadtestOptions) map[string]any {
	lim := limits{duration: o.duration, requests: o.requests}
	report := map[string]any{"connections": o.conns, "phase_seconds": o.duration.Seconds(), "path": o.path, "host": t.host}

	b := closedLoop(t.client, t.base, o.conns, lim)
	d := closedLoop(t.client, t.page, o.conns, lim)
	if b.errors > 0 || d.errors > 0 {
		report["errors"] = map[string]int64{"baseline": b.errors, "portal": d.errors}
	}
	report["throughput"] = map[string]any{"baseline_rps": b.rps, "portal_rps": d.rps, "ratio": d.rps / b.rps,
		"baseline_p50_ms": b.p(50), "baseline_p99_ms": b.p(99), "portal_p50_ms": d.p(50), "portal_p99_ms": d.p(99)}

	r := o.rate
	if r == 0 {
		r = max(1, int(d.rps/2))
	}
	bl := openLoop(t.client, t.base, r, lim)
	dl := openLoop(t.client, t.page, r, lim)
	report["latency_at_rate"] = map[string]any{"rate_rps": r, "baseline_p50_ms": bl.p(50), "baseline_p99_ms": bl.p(99),
		"portal_p50_ms": dl.p(50), "portal_p99_ms": dl.p(99), "portal_errors": dl.errors}
	if o.flood > 0 {
		report["login_flood"] = measureUnderFlood(ctx, t, o, r, dl)
	}
	return report
}

// measureUnderFlood measures the portal page at rate r while wrong-password
// sign-ins arrive at o.flood per second; calm is the same page without them.
func measureUnderFlood(ctx context.Context, t loadTargets, o loadtestOptions, r int, calm *result) map[string]any {
	var floodStats *result
	var wg sync.WaitGroup
	wg.Go(func() {
		floodStats = openLoop(t.client, func() (*http.Request, error) {
			form := url.Values{"email": {seedBigEmail}, "password": {"wrong-password-123"}}
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.appURL+"/login", strings.NewReader(form.Encode()))
			if err == nil {
				req.Host = t.host
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			return req, err
		}, o.flood, limits{duration: o.duration, requests: o.requests})
	})
	time.Sleep(200 * time.Millisecond) // the flood is under way
	fl := openLoop(t.client, t.page, r, limits{duration: o.duration - 400*time.Millisecond, requests: o.requests})
	wg.Wait()
	return map[string]any{"attempts_per_second": o.flood, "attempts": floodStats.n, "status": floodStats.status,
		"portal_rate_rps": r, "portal_p50_ms": fl.p(50), "portal_p99_ms": fl.p(99), "portal_p99_without_flood_ms": calm.p(99),
		"portal_errors": fl.errors}
}

// loopbackDatabase refuses a database that is not on this machine's loopback.
func loopbackDatabase(raw string) error {
	if !strings.HasPrefix(raw, "postgres") {
		return nil // SQLite is a file
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("loadtest: database URL: %w", err)
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return errors.New("loadtest: the database must be on loopback (127.0.0.1)")
	}
	return nil
}

// serveLoopback serves h on a free port of 127.0.0.1.
func serveLoopback(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}

// limits bound a phase.
type limits struct {
	duration time.Duration
	requests int
}

// result is one phase's outcome.
type result struct {
	n, errors int64
	rps       float64
	latencies []time.Duration
	status    map[int]int64
}

// p returns the q-th percentile latency in milliseconds.
func (r *result) p(q int) float64 {
	if len(r.latencies) == 0 {
		return 0
	}
	i := min(len(r.latencies)-1, len(r.latencies)*q/100)
	return float64(r.latencies[i].Microseconds()) / 1000
}

// recorder collects latencies from many goroutines.
type recorder struct {
	mu     sync.Mutex
	res    result
	issued atomic.Int64
}

func (rc *recorder) do(client *http.Client, mk func() (*http.Request, error), since time.Time) {
	req, err := mk()
	status := 0
	if err == nil {
		var resp *http.Response
		resp, err = client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			status = resp.StatusCode
		}
	}
	d := time.Since(since)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.res.n++
	rc.res.latencies = append(rc.res.latencies, d)
	if rc.res.status == nil {
		rc.res.status = map[int]int64{}
	}
	rc.res.status[status]++
	if err != nil || status >= 500 || status == 0 {
		rc.res.errors++
	}
}

func (rc *recorder) finish(elapsed time.Duration) *result {
	slices.Sort(rc.res.latencies)
	rc.res.rps = float64(rc.res.n) / elapsed.Seconds()
	return &rc.res
}

// closedLoop runs conns clients sending requests back to back: throughput.
func closedLoop(client *http.Client, mk func() (*http.Request, error), conns int, lim limits) *result {
	rc := &recorder{}
	start := time.Now()
	deadline := start.Add(lim.duration)
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() {
			for time.Now().Before(deadline) && rc.issued.Add(1) <= int64(lim.requests) {
				rc.do(client, mk, time.Now())
			}
		})
	}
	wg.Wait()
	return rc.finish(time.Since(start))
}

// openLoop sends rate requests per second on schedule, whatever the answers'
// speed, and measures each from its scheduled time (no coordinated omission).
// At most 512 requests are in flight; beyond that, requests count as errors.
func openLoop(client *http.Client, mk func() (*http.Request, error), rate int, lim limits) *result {
	rc := &recorder{}
	start := time.Now()
	interval := time.Second / time.Duration(rate)
	slots := make(chan struct{}, 512)
	var wg sync.WaitGroup
	for i := 0; i < lim.requests; i++ {
		at := start.Add(time.Duration(i) * interval)
		if at.Sub(start) >= lim.duration {
			break
		}
		time.Sleep(time.Until(at))
		select {
		case slots <- struct{}{}:
		default:
			rc.mu.Lock()
			rc.res.errors++
			rc.mu.Unlock()
			continue
		}
		wg.Go(func() {
			defer func() { <-slots }()
			rc.do(client, mk, at)
		})
	}
	wg.Wait()
	return rc.finish(time.Since(start))
}
