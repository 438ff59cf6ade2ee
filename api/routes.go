package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// Prefix is where the JSON API lives.
const Prefix = "/api/v1"

// Route is one route of the JSON API. The router and the OpenAPI document
// (/api/v1/openapi.json) are both built from the one table that routes
// returns, and a test compares the document with the engine's routes, so
// they cannot drift apart.
//
// To add a route: write the handler (func(*gin.Context) error that answers
// with c.JSON, or returns an error that h.api turns into the error envelope),
// then add a Route to routes below — or, from another file of this
// package, a func returning []Route appended there, or from another
// package Deps.Extra. Request and Response are zero values of the body
// and answer types: their json tags make the schemas (a field tagged
// `api:"required"` is listed as required).
type Route struct {
	Method   string // http.MethodGet, …
	Path     string // under /api/v1, in gin syntax: "/workspaces/:id"
	Summary  string // one line for the document
	Request  any    // body type; nil when there is no body
	Response any    // answer type (the item type when List is set); nil: none
	List     bool   // the answer is a page {"items": [...], "next_cursor": …}
	Status   int    // success status; 0 means 200
	Public   bool   // answered without an API key (the document itself)
	// InWorkspace loads the workspace of :id first (404 outside the key's
	// agency); the handler then reads it with workspaceOf(c) and staffScope(c).
	InWorkspace bool
	Handle      func(*gin.Context) error

	// RequestMedia, when set, lists the media types of a raw (non-JSON)
	// body, such as an image; Request is then unused.
	RequestMedia []string
}

// routes is the whole API, in the order of the document.
func (h *Handler) routes() []Route {
	var rs []Route
	rs = append(rs, Route{Method: http.MethodGet, Path: "/openapi.json", Summary: "This OpenAPI document",
		Response: map[string]any{}, Public: true, Handle: h.showOpenAPI})
	rs = append(rs, h.workspaceAPI()...)
	rs = append(rs, h.taskAPI()...)
	rs = append(rs, h.messageAPI()...)
	rs = append(rs, h.ticketAPI()...)
	rs = append(rs, h.invoiceAPI()...)
	rs = append(rs, h.noteAPI()...)
	rs = append(rs, h.rateAPI()...)
	rs = append(rs, h.domainAPI()...)
	rs = append(rs, h.portalAPI()...)
	rs = append(rs, h.brandingAPI()...)
	rs = append(rs, h.extra...)
	return rs
}

// Routes registers the JSON API on r under /api/v1: every route of the
// table behind requireAPIKey, except the public document.
func (h *Handler) Routes(r gin.IRouter) {
	api := r.Group(Prefix)
	keyed := api.Group("", h.requireAPIKey)
	for _, rt := range h.routes() {
		g := keyed
		if rt.Public {
			g = api
		}
		if rt.InWorkspace {
			g.Handle(rt.Method, rt.Path, h.loadWorkspace, h.api(rt.Handle))
			continue
		}
		g.Handle(rt.Method, rt.Path, h.api(rt.Handle))
	}
}
