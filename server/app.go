package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/uptrace/bun"

	"workrate/access"
	"workrate/agency"
	"workrate/api"
	"workrate/auth"
	"workrate/branding"
	"workrate/certs"
	"workrate/event"
	"workrate/locale"
	"workrate/operator"
	"workrate/portal"
	"workrate/store"
	"workrate/tenant"
	"workrate/visitor"
	"workrate/web"
	"workrate/workspace"
)

// maxBody is the largest request body accepted anywhere (logos are 1 MiB).
const maxBody = 2 << 20

// App is the running product: its configuration, database and HTTP handler.
type App struct {
	cfg      Config
	db       *bun.DB
	resolver *tenant.Resolver
	renderer *web.Renderer
	bundle   *locale.Bundle
	brands   *branding.Store
	proxies  tenant.Proxies
	hashes   *auth.HashPool
	agency   *agency.Handler
	api      *api.Handler
	domains  *certs.Domains
	operator *operator.Handler
	engine   *gin.Engine

	auth     *auth.Store
	access   *access.Service
	portal   *portal.Handler
	box      *auth.SecretBox // nil: two-factor sign-in unavailable
	visitors *visitor.Loader // who is asking, once per request
	// events hands the event stream on to its consumers (notifications,
	// e-mail, webhooks); every instance runs it.
	events *event.Dispatcher

	// draining is set when shutdown starts: /readyz answers 503 from then on.
	draining atomic.Bool
	// writes proves now and then that the database accepts writes (/readyz).
	writes *writeProbe
	// listening receives the plain listener's address once Run listens.
	listening chan net.Addr
}

// New builds the app on an open, migrated database and loads the host map.
func New(ctx context.Context, cfg Config, db *bun.DB) (*App, error) {
	bundle, err := locale.New()
	if err != nil {
		return nil, err
	}
	assets, err := web.LoadAssets()
	if err != nil {
		return nil, err
	}
	renderer, err := web.NewRenderer(bundle, assets)
	if err != nil {
		return nil, err
	}
	resolver := tenant.NewResolver(db, tenant.Config{
		PlatformHost: cfg.PlatformHost, AgencyDomain: cfg.AgencyDomain, PlatformName: cfg.PlatformName,
		Refresh: cfg.TenantRefresh,
	})
	if err := resolver.Load(ctx); err != nil {
		return nil, err
	}
	box, err := secretBox(cfg, db)
	if err != nil {
		return nil, err
	}
	a := &App{
		cfg: cfg, db: db, resolver: resolver, renderer: renderer, bundle: bundle,
		brands: branding.NewStore(db), proxies: cfg.TrustedProxies,
		// One hashing slot per core (issue 4): a flood of sign-ins gets 429 at
		// once instead of stalling the CPU. BENCHMARKS.md measured NumCPU-1
		// slots (a core always left to the pages) halving the flood's p99; on
		// two cores that leaves one sign-in at a time, so it is not the default.
		hashes: auth.NewHashPool(runtime.NumCPU(), auth.DefaultParams()),
		domains: &certs.Domains{
			Store:    tenant.NewStore(db),
			Verifier: certs.NewVerifier(cfg.DNSResolver, cfg.CNAMETarget),
			Resolver: resolver,
			Platform: PlatformDomains(cfg),
		},
		auth:      auth.NewStore(db),
		listening: make(chan net.Addr, 1),
		writes:    &writeProbe{db: db, every: writeProbeEvery},
	}
	a.access = access.New(db, a.hashes, resolver, bundle, access.Config{
		TempPasswordTTL: cfg.TempPasswordTTL, HTTPAddr: cfg.HTTPAddr, HTTPSAddr: cfg.HTTPSAddr,
	})
	a.box = box
	a.portal = portal.New(portal.Deps{
		Access: a.access, Auth: a.auth, Renderer: renderer, Bundle: bundle, Resolver: resolver,
		Store: workspace.NewStore(db), Sessions: a.sessionPolicy(), Hashes: a.hashes, Box: box, Home: a.page(a.showHome), NotFound: a.notFound,
	})
	a.agency = agency.New(agency.Deps{
		DB: db, Resolver: resolver, Renderer: renderer, Bundle: bundle, Hashes: a.hashes,
		Sessions: a.sessionPolicy(), Domains: a.domains, Access: a.access, Box: box,
	})
	a.api = api.New(api.Deps{DB: db, Resolver: resolver, Bundle: bundle, Access: a.access, Domains: a.domains})
	a.operator = operator.New(operator.Deps{
		DB: db, Resolver: resolver, Renderer: renderer, Bundle: bundle, Hashes: a.hashes,
		Sessions: a.sessionPolicy(), Domains: a.domains,
		Box: box, RequireTwoFactor: cfg.OperatorTwoFactor == "required",
	})
	a.visitors = &visitor.Loader{Auth: a.auth, Resolver: resolver, Sessions: a.sessionPolicy()}
	a.events = &event.Dispatcher{DB: db}
	a.engine = a.routes()
	return a, nil
}

// Handler is the whole product as one http.Handler.
func (a *App) Handler() http.Handler { return a.engine }

// Access returns the portal access service (the demo command and tests use it).
func (a *App) Access() *access.Service { return a.access }

// Events returns the event dispatcher (tests run its rounds directly).
func (a *App) Events() *event.Dispatcher { return a.events }

// Routes lists every route of the engine (tests walk them).
func (a *App) Routes() gin.RoutesInfo { return a.engine.Routes() }

// Hashes returns the app's password hashing pool.
func (a *App) Hashes() *auth.HashPool { return a.hashes }

// sessionPolicy is the lifetime of signed-in sessions.
func (a *App) sessionPolicy() auth.SessionPolicy {
	p := auth.SessionPolicy{Idle: a.cfg.SessionIdle, Max: a.cfg.SessionMax}
	if p.Idle <= 0 {
		p.Idle = 2 * time.Hour
	}
	if p.Max <= 0 {
		p.Max = 7 * 24 * time.Hour
	}
	return p
}

// Resolver returns the host map (tests use it to refresh at once).
func (a *App) Resolver() *tenant.Resolver { return a.resolver }

// Domains returns the custom-domain service (tests drive it directly).
func (a *App) Domains() *certs.Domains { return a.domains }

// PlatformDomains are the names under which no agency may claim a custom
// domain: the platform host, the agency domain and the CNAME target.
func PlatformDomains(cfg Config) []string {
	return []string{cfg.PlatformHost, cfg.AgencyDomain, cfg.CNAMETarget}
}

// Run serves until ctx ends, then shuts down without failing a request: it
// stops accepting, turns /readyz to 503, lets requests in flight finish on
// their own context (not ctx, which the signal ended), and cancels what is
// still running when the shutdown timeout is near, so that those requests
// answer 503 with Retry-After. Background workers finish their current item.
// Run returns nil after an orderly shutdown, however long the requests were.
// With HTTPSAddr set it also serves TLS with certificates it obtains itself,
// and the plain listener answers ACME HTTP-01 challenges and redirects to HTTPS.
func (a *App) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	// Requests and the workers' current items run on work: it outlives ctx
	// and ends only when the shutdown timeout is near.
	work, hardStop := context.WithCancelCause(context.WithoutCancel(ctx))
	var workers sync.WaitGroup
	defer func() {
		cancel()
		hardStop(errShutdownTimeout)
		workers.Wait()
	}()
	// The host map's refresh and change listener only read: they are not
	// waited for (the listener notices ctx only at its next receive timeout).
	go a.resolver.Run(ctx)
	if store.IsPostgres(a.db) {
		directURL := a.cfg.DirectURL
		if directURL == "" {
			directURL = a.cfg.DatabaseURL
		}
		direct, err := store.Open(directURL)
		if err != nil {
			return err
		}
		defer direct.Close()
		go a.resolver.Listen(ctx, direct)
	}
	workers.Go(func() { a.every(ctx, work, 10*time.Minute, "cleanup", a.cleanup) })
	workers.Go(func() { a.events.Run(ctx, work) })

	ln, err := a.listen(a.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("server: listen %s: %w", a.cfg.HTTPAddr, err)
	}
	servers := []*http.Server{a.newServer(work, a.engine)}
	serve := []func() error{func() error { return servers[0].Serve(ln) }}
	if a.cfg.HTTPSAddr != "" {
		tln, err := a.listen(a.cfg.HTTPSAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("server: listen %s: %w", a.cfg.HTTPSAddr, err)
		}
		m, err := a.newCertManager(ln.Addr(), tln.Addr())
		if err != nil {
			ln.Close()
			tln.Close()
			return err
		}
		defer m.Stop()
		a.domains.Manager = m
		servers[0].Handler = m.HTTPChallengeHandler(a.plainHandler(tln.Addr()))
		tsrv := a.newServer(work, a.tlsHandler())
		tsrv.TLSConfig = m.TLSConfig()
		servers = append(servers, tsrv)
		serve = append(serve, func() error { return tsrv.ServeTLS(tln, "", "") })
		m.Start(ctx)
		slog.Info("serving TLS", "https", tln.Addr().String(), "acme_ca", a.cfg.ACMECA)
	}
	workers.Go(func() { a.every(ctx, work, a.cfg.DomainCheckInterval, "certs: domain checks", a.domains.CheckDue) })
	slog.Info("serving", "http", ln.Addr().String(), "platform_host", a.cfg.PlatformHost, "agency_domain", a.cfg.AgencyDomain)
	select {
	case a.listening <- ln.Addr():
	default:
	}

	errc := make(chan error, len(servers))
	for _, f := range serve {
		go func() { errc <- f() }()
	}
	select {
	case err := <-errc:
		for _, srv := range servers {
			srv.Close()
		}
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	return a.shutdown(servers, errc, hardStop)
}

// errShutdownTimeout is the cause of the contexts that a shutdown cancels.
var errShutdownTimeout = errors.New("server: shutdown timeout reached")

// shutdown drains the servers: readiness turns 503 at once, listeners close,
// requests in flight get until the shutdown timeout less a grace period; then
// hardStop cancels them (they answer 503 with Retry-After) and the grace
// period lets those answers go out before the last connections are closed.
func (a *App) shutdown(servers []*http.Server, errc <-chan error, hardStop context.CancelCauseFunc) error {
	a.draining.Store(true)
	timeout := a.shutdownTimeout()
	grace := min(timeout/5, 5*time.Second)
	slog.Info("shutting down: finishing in-flight requests", "timeout", timeout)
	drain := func(d time.Duration) bool {
		ctx, stop := context.WithTimeout(context.Background(), d)
		defer stop()
		var wg sync.WaitGroup
		for _, srv := range servers {
			wg.Go(func() { _ = srv.Shutdown(ctx) })
		}
		wg.Wait()
		return ctx.Err() == nil
	}
	if !drain(timeout - grace) {
		slog.Warn("shutting down: cancelling requests still running; they answer 503", "after", timeout-grace)
		hardStop(errShutdownTimeout)
		if !drain(grace) {
			slog.Warn("shutting down: closing connections whose requests did not end")
			for _, srv := range servers {
				_ = srv.Close()
			}
		}
	}
	hardStop(errShutdownTimeout) // workers' current items too, if still running
	var errs []error
	for range servers {
		if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, fmt.Errorf("server: %w", err))
		}
	}
	slog.Info("shut down")
	return errors.Join(errs...)
}

// shutdownTimeout is how long a shutdown may take (WORKRATE_SHUTDOWN_TIMEOUT).
func (a *App) shutdownTimeout() time.Duration {
	if a.cfg.ShutdownTimeout > 0 {
		return a.cfg.ShutdownTimeout
	}
	return DefaultShutdownTimeout
}

// Listening delivers the plain listener's address once Run listens (tests
// that let the system choose a port learn it here).
func (a *App) Listening() <-chan net.Addr { return a.listening }

func (a *App) newServer(ctx context.Context, h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return ctx },
		// Handshakes refused for names we do not serve are routine (scanners).
		ErrorLog: slog.NewLogLogger(slog.Default().Handler(), slog.LevelDebug),
	}
}

// page adapts a handler that returns an error into a gin handler.
func (a *App) page(f func(*gin.Context) error) gin.HandlerFunc {
	return a.renderer.Page(store.ErrNotFound)(f)
}

// listen opens a TCP listener; with the PROXY protocol on, connections from
// trusted proxies carry the client's address in a PROXY header.
func (a *App) listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	if a.cfg.ProxyProtocol {
		return &proxyListener{Listener: ln, trusted: a.proxies}, nil
	}
	return ln, nil
}
