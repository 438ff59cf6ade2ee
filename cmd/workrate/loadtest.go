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

	"workrate/auth"
	"workrate/server"
)

// runLoadtest measures, in one run and with the same client, a bare Gin
// handler (the baseline) and the real portal dashboard of a signed-in client
// of the big seeded workspace (`workrate seed --big`). Both servers run in
// this process on 127.0.0.1; every phase stops after --duration or
// --requests, whichever comes first. The database must be on loopback too.
func runLoadtest(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("loadtest", out)
	config := server.RegisterFlags(fs)
	duration := fs.Duration("duration", 5*time.Second, "length of each phase (at most 60s)")
	requests := fs.Int("requests", 200000, "most requests of each phase")
	conns := fs.Int("connections", 8, "concurrent keep-alive connections of the client")
	flood := fs.Int("login-flood", 0, "also run the login flood: wrong-password sign-ins per second (e.g. 200) while measuring the dashboard")
	rate := fs.Int("rate", 0, "requests per second of the latency phases (default: half the dashboard's throughput)")
	path := fs.String("path", "/", "portal page to load")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *duration <= 0 || *duration > time.Minute || *requests <= 0 || *conns <= 0 || *conns > 256 || *flood < 0 || *flood > 2000 {
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
	app, err := server.New(ctx, cfg, db)
	if err != nil {
		return err
	}
	bare := gin.New()
	bare.GET("/", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	baseURL, stopBare, err := serveLoopback(bare)
	if err != nil {
		return err
	}
	defer stopBare()
	appURL, stopApp, err := serveLoopback(app.Handler())
	if err != nil {
		return err
	}
	defer stopApp()

	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{MaxIdleConnsPerHost: 512, MaxConnsPerHost: 0, DisableCompression: true}}
	host := seedBigSlug + "." + cfg.AgencyDomain
	cookie, err := seedBigSession(ctx, db, host, auth.SessionPolicy{Idle: cfg.SessionIdle, Max: cfg.SessionMax})
	if err != nil {
		return fmt.Errorf("loadtest: sign in as the big workspace's client (run `workrate seed --big` first): %w", err)
	}
	baseReq := func() (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/", nil)
	}
	pageReq := func() (*http.Request, error) {
		r, err := http.NewRequestWithContext(ctx, http.MethodGet, appURL+*path, nil)
		if err == nil {
			r.Host = host
			r.AddCookie(cookie)
		}
		return r, err
	}
	lim := limits{duration: *duration, requests: *requests}
	report := map[string]any{"connections": *conns, "phase_seconds": duration.Seconds(), "path": *path, "host": host}

	b := closedLoop(client, baseReq, *conns, lim)
	d := closedLoop(client, pageReq, *conns, lim)
	if b.errors > 0 || d.errors > 0 {
		report["errors"] = map[string]int64{"baseline": b.errors, "portal": d.errors}
	}
	report["throughput"] = map[string]any{"baseline_rps": b.rps, "portal_rps": d.rps, "ratio": d.rps / b.rps,
		"baseline_p50_ms": b.p(50), "baseline_p99_ms": b.p(99), "portal_p50_ms": d.p(50), "portal_p99_ms": d.p(99)}

	r := *rate
	if r == 0 {
		r = max(1, int(d.rps/2))
	}
	bl := openLoop(client, baseReq, r, lim)
	dl := openLoop(client, pageReq, r, lim)
	report["latency_at_rate"] = map[string]any{"rate_rps": r, "baseline_p50_ms": bl.p(50), "baseline_p99_ms": bl.p(99),
		"portal_p50_ms": dl.p(50), "portal_p99_ms": dl.p(99), "portal_errors": dl.errors}

	if *flood > 0 {
		var floodStats *result
		var wg sync.WaitGroup
		wg.Go(func() {
			floodStats = openLoop(client, func() (*http.Request, error) {
				form := url.Values{"email": {seedBigEmail}, "password": {"wrong-password-123"}}
				req, err := http.NewRequestWithContext(ctx, http.MethodPost, appURL+"/login", strings.NewReader(form.Encode()))
				if err == nil {
					req.Host = host
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
				return req, err
			}, *flood, lim)
		})
		time.Sleep(200 * time.Millisecond) // the flood is under way
		fl := openLoop(client, pageReq, r, limits{duration: *duration - 400*time.Millisecond, requests: *requests})
		wg.Wait()
		report["login_flood"] = map[string]any{"attempts_per_second": *flood, "attempts": floodStats.n, "status": floodStats.status,
			"portal_rate_rps": r, "portal_p50_ms": fl.p(50), "portal_p99_ms": fl.p(99), "portal_p99_without_flood_ms": dl.p(99),
			"portal_errors": fl.errors}
	}
	return printJSON(out, report)
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
