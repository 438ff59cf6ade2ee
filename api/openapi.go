package api

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// showOpenAPI answers the OpenAPI 3 document of the API.
func (h *Handler) showOpenAPI(c *gin.Context) error {
	c.JSON(http.StatusOK, OpenAPIDocument(h.routes()))
	return nil
}

// OpenAPIPath turns a gin path ("/workspaces/:id") into an OpenAPI one
// ("/workspaces/{id}").
func OpenAPIPath(ginPath string) string {
	parts := strings.Split(ginPath, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ":") || strings.HasPrefix(p, "*") {
			parts[i] = "{" + p[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}

// OpenAPIDocument builds the OpenAPI 3.0 document of routes.
func OpenAPIDocument(routes []Route) map[string]any {
	g := &schemaGen{components: map[string]any{
		"Error": map[string]any{
			"type":     "object",
			"required": []string{"error"},
			"properties": map[string]any{"error": map[string]any{
				"type":     "object",
				"required": []string{"code", "message"},
				"properties": map[string]any{
					"code":    map[string]any{"type": "string", "description": "stable machine-readable code"},
					"message": map[string]any{"type": "string"},
					"field":   map[string]any{"type": "string", "description": "the body field at fault, when there is one"},
				},
			}},
		},
	}}
	paths := map[string]any{}
	for _, rt := range routes {
		p := OpenAPIPath(rt.Path)
		item, _ := paths[p].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[p] = item
		}
		item[strings.ToLower(rt.Method)] = g.operation(rt)
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":   "Agency API",
			"version": "1",
			"description": "Automate an agency's client work. Authenticate with \"Authorization: Bearer <API key>\". " +
				"Errors are {\"error\":{\"code\",\"message\"}}. Lists answer {\"items\":[…],\"next_cursor\":…}: pass " +
				"?cursor=<next_cursor> for the next page (null on the last one) and ?limit= (1–200, default 50). " +
				"Ids are opaque strings; times are RFC 3339; ids outside the key's agency answer 404.",
		},
		"servers": []any{map[string]any{"url": Prefix}},
		"paths":   paths,
		"components": map[string]any{
			"schemas": g.components,
			"securitySchemes": map[string]any{
				"bearerAuth": map[string]any{"type": "http", "scheme": "bearer"},
			},
		},
		"security": []any{map[string]any{"bearerAuth": []string{}}},
	}
}

// operation describes one route.
func (g *schemaGen) operation(rt Route) map[string]any {
	op := map[string]any{"summary": rt.Summary, "operationId": operationID(rt)}
	var params []any
	for _, p := range strings.Split(rt.Path, "/") {
		if strings.HasPrefix(p, ":") || strings.HasPrefix(p, "*") {
			params = append(params, map[string]any{"name": p[1:], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
	}
	if rt.List {
		params = append(params,
			map[string]any{"name": "limit", "in": "query", "schema": map[string]any{"type": "integer", "minimum": 1, "maximum": maxLimit, "default": defaultLimit}},
			map[string]any{"name": "cursor", "in": "query", "schema": map[string]any{"type": "string"}})
	}
	if rt.Method == http.MethodPost || rt.Method == http.MethodPut || rt.Method == http.MethodPatch {
		params = append(params, map[string]any{"name": "Idempotency-Key", "in": "header", "schema": map[string]any{"type": "string", "maxLength": 255},
			"description": "Makes a retry safe: the same key and body within 24 hours get the first answer again " +
				"(with Idempotent-Replayed: true) instead of writing twice; the same key with another body answers 422 " +
				"idempotency_key_reused, and 409 idempotency_key_in_use while the first request still runs."})
	}
	if len(params) > 0 {
		op["parameters"] = params
	}
	if len(rt.RequestMedia) > 0 {
		content := map[string]any{}
		for _, m := range rt.RequestMedia {
			content[m] = map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}
		}
		op["requestBody"] = map[string]any{"required": true, "content": content}
	} else if rt.Request != nil {
		body := g.schema(reflect.TypeOf(rt.Request))
		if rt.Method == http.MethodPatch {
			// A PATCH sends only the fields it changes: none is required.
			body = g.object(reflect.TypeOf(rt.Request))
			delete(body, "required")
		}
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
			"application/json": map[string]any{"schema": body},
		}}
	}
	status := rt.Status
	if status == 0 {
		status = http.StatusOK
	}
	ok := map[string]any{"description": http.StatusText(status)}
	if rt.Response != nil {
		s := g.schema(reflect.TypeOf(rt.Response))
		if rt.List {
			s = map[string]any{"type": "object", "required": []string{"items", "next_cursor"}, "properties": map[string]any{
				"items":       map[string]any{"type": "array", "items": s},
				"next_cursor": map[string]any{"type": "string", "nullable": true},
			}}
		}
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": s}}
	}
	errResp := map[string]any{"description": "error", "content": map[string]any{
		"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}},
	}}
	op["responses"] = map[string]any{strconv.Itoa(status): ok, "default": errResp}
	if rt.Public {
		op["security"] = []any{}
	}
	return op
}

// operationID names an operation from its method and path: "get_workspaces_id".
func operationID(rt Route) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(rt.Method))
	for _, p := range strings.Split(rt.Path, "/") {
		p = strings.TrimLeft(p, ":*")
		if p == "" {
			continue
		}
		b.WriteByte('_')
		b.WriteString(strings.NewReplacer("-", "_", ".", "_").Replace(p))
	}
	return b.String()
}

// schemaGen turns Go types into JSON schemas, named structs into components.
type schemaGen struct {
	components map[string]any
}

var timeType = reflect.TypeOf(time.Time{})

func (g *schemaGen) schema(t reflect.Type) map[string]any {
	nullable := false
	for t.Kind() == reflect.Pointer {
		t, nullable = t.Elem(), true
	}
	var s map[string]any
	switch {
	case t == timeType:
		s = map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.String:
		s = map[string]any{"type": "string"}
	case t.Kind() == reflect.Bool:
		s = map[string]any{"type": "boolean"}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		s = map[string]any{"type": "integer", "format": "int64"}
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		s = map[string]any{"type": "number"}
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		s = map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case t.Kind() == reflect.Map:
		s = map[string]any{"type": "object"}
		if t.Elem().Kind() != reflect.Interface {
			s["additionalProperties"] = g.schema(t.Elem())
		}
	case t.Kind() == reflect.Struct && t.Name() != "":
		name := t.Name()
		if _, done := g.components[name]; !done {
			g.components[name] = map[string]any{} // breaks cycles
			g.components[name] = g.object(t)
		}
		s = map[string]any{"$ref": "#/components/schemas/" + name}
		if nullable {
			// A $ref takes no siblings in 3.0: wrap it.
			return map[string]any{"allOf": []any{s}, "nullable": true}
		}
		return s
	case t.Kind() == reflect.Struct:
		s = g.object(t)
	default:
		s = map[string]any{}
	}
	if nullable {
		s["nullable"] = true
	}
	return s
}

// object describes a struct's JSON fields.
func (g *schemaGen) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			// An embedded struct's fields are the outer object's (encoding/json).
			inner := g.object(f.Type)
			for k, v := range inner["properties"].(map[string]any) {
				props[k] = v
			}
			if r, ok := inner["required"].([]string); ok {
				required = append(required, r...)
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = g.schema(f.Type)
		if f.Tag.Get("api") == "required" {
			required = append(required, name)
		}
	}
	s := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}
