package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/uptrace/bun"

	"workrate/access"
	"workrate/agency"
	"workrate/auth"
	"workrate/branding"
	"workrate/locale"
	"workrate/portal"
	"workrate/store"
	"workrate/tenant"
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
	engine   *gin.Engine

	auth   *auth.Store
	access *access.Service
	portal *portal.Handler
	// languageSavers remember a signed-in user's language choice (POST /language).
	languageSavers []func(c *gin.Context, lang string)
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
	a := &App{
		cfg: cfg, db: db, resolver: resolver, renderer: renderer, bundle: bundle,
		brands: branding.NewStore(db), proxies: cfg.TrustedProxies,
		// One hashing slot per core: a flood of sign-ins gets 429, not a stalled CPU.
		hashes: auth.NewHashPool(runtime.NumCPU(), auth.DefaultParams()),
		auth:   auth.NewStore(db),
	}
	a.access = access.New(db, a.hashes, resolver, bundle, access.Config{
		TempPasswordTTL: cfg.TempPasswordTTL, HTTPAddr: cfg.HTTPAddr, HTTPSAddr: cfg.HTTPSAddr,
	})
	a.portal = portal.New(portal.Deps{
		Access: a.access, Auth: a.auth, Renderer: renderer, Bundle: bundle, Resolver: resolver,
		Store: workspace.NewStore(db), Sessions: a.sessionPolicy(), Home: a.page(a.showHome), NotFound: a.notFound,
	})
	a.languageSavers = append(a.languageSavers, a.portal.SaveLanguage)
	a.agency = agency.New(agency.Deps{
		DB: db, Resolver: resolver, Renderer: renderer, Bundle: bundle, Hashes: a.hashes,
		Sessions: a.sessionPolicy(), Access: a.access,
	})
	a.engine = a.routes()
	return a, nil
}

// Handler is the whole product as one http.Handler.
func (a *App) Handler() http.Handler { return a.engine }

// Access returns the portal access service (the demo command and tests use it).
func (a *App) Access() *access.Service { return a.access }

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

// Run serves until ctx ends, then lets in-flight requests finish.
func (a *App) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go a.resolver.Run(ctx)

	srv := &http.Server{
		Addr:              a.cfg.HTTPAddr,
		Handler:           a.engine,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	ln, err := net.Listen("tcp", a.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("server: listen %s: %w", a.cfg.HTTPAddr, err)
	}
	slog.Info("serving", "http", ln.Addr().String(), "platform_host", a.cfg.PlatformHost, "agency_domain", a.cfg.AgencyDomain)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	slog.Info("shutting down: finishing in-flight requests")
	shutdownCtx, stop := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
	defer stop()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("server: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("server: %w", err)
	}
	return nil
}

// page adapts a handler that returns an error into a gin handler.
func (a *App) page(f func(*gin.Context) error) gin.HandlerFunc {
	return a.renderer.Page(store.ErrNotFound)(f)
}
