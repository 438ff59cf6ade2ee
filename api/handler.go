// Package api is the agency JSON API under /api/v1: its route table (which
// also makes the OpenAPI document), its handlers, its error envelope and the
// API-key authentication.
//
// Handlers return an error that h.api turns into the envelope; request bodies
// are read with decodeJSON, lists with listParams (see api.go), and every
// route is one Route of the table in routes.go.
package api

import (
	"log/slog"

	"github.com/gin-gonic/gin"
	"github.com/uptrace/bun"

	"workrate/access"
	"workrate/auth"
	"workrate/branding"
	"workrate/certs"
	"workrate/locale"
	"workrate/tenant"
	"workrate/workspace"
)

// Deps is what the API needs from the app.
type Deps struct {
	DB       *bun.DB
	Resolver *tenant.Resolver
	Bundle   *locale.Bundle
	// Access changes and reads clients' portal access.
	Access *access.Service
	// Domains claims, checks and removes custom domains.
	Domains *certs.Domains
	// Extra lets surfaces built elsewhere add routes to the API (and so to
	// its OpenAPI document); see Route.
	Extra []Route
}

// Handler serves the JSON API.
type Handler struct {
	keys     *auth.Store
	tenants  *tenant.Store
	work     *workspace.Store
	brands   *branding.Store
	resolver *tenant.Resolver
	bundle   *locale.Bundle
	access   *access.Service
	domains  *certs.Domains
	extra    []Route
}

// New builds the handler.
func New(d Deps) *Handler {
	return &Handler{
		keys: auth.NewStore(d.DB), tenants: tenant.NewStore(d.DB), work: workspace.NewStore(d.DB),
		brands: branding.NewStore(d.DB), resolver: d.Resolver, bundle: d.Bundle,
		access: d.Access, domains: d.Domains, extra: d.Extra,
	}
}

// Context keys of the request's API key and workspace.
const (
	keyKey = "api.key"
	wsKey  = "api.workspace"
)

// agencyOf returns the agency the API key acts for (requireAPIKey set the
// tenant's Site).
func agencyOf(c *gin.Context) *tenant.Agency {
	if t := tenant.FromContext(c); t.Site != nil {
		return &t.Site.Agency
	}
	return nil
}

// loadWorkspace puts the workspace named by :id on the request when it is
// one of the agency's; any other id is 404 in the error envelope.
func (h *Handler) loadWorkspace(c *gin.Context) {
	ws, err := h.work.Workspace(c, agencyOf(c).ID, c.Param("id"))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Set(wsKey, ws)
	c.Next()
}

// workspaceOf returns the request's workspace (set by loadWorkspace).
func workspaceOf(c *gin.Context) *workspace.Workspace {
	v, _ := c.Get(wsKey)
	ws, _ := v.(*workspace.Workspace)
	return ws
}

// staffScope is the agency team's scope on the request's workspace.
func staffScope(c *gin.Context) workspace.Scope { return workspaceOf(c).StaffScope() }

// actorOf is who acts: the request's API key.
func actorOf(c *gin.Context) workspace.Actor {
	if v, ok := c.Get(keyKey); ok {
		if k, ok := v.(*auth.APIKey); ok {
			return workspace.Actor{Kind: workspace.ActorAPI, ID: k.ID, Name: k.Name}
		}
	}
	return workspace.Actor{Kind: workspace.ActorSystem}
}

// accessActor is actorOf for the portal-access service.
func accessActor(c *gin.Context) access.Actor {
	a := actorOf(c)
	return access.Actor{Kind: a.Kind, ID: a.ID, Name: a.Name}
}

// refreshHosts reloads the host map after a change of branding, so that this
// instance shows it at once (the others pick it up from the notification).
func (h *Handler) refreshHosts(c *gin.Context) {
	if err := h.resolver.Refresh(c); err != nil {
		slog.WarnContext(c, "refresh host map", "err", err)
	}
}
