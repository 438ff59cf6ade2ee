package web

import (
	"embed"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

//go:embed static
var staticFS embed.FS

// asset is one embedded static file and its content-hashed name.
type asset struct {
	body        []byte
	contentType string
}

// Assets serves the embedded static files under names that carry their content
// hash ("app.3f2a9c1b7e4d.css"), so they can be cached for a year.
type Assets struct {
	byHashed map[string]asset  // hashed name -> file
	urls     map[string]string // plain name -> URL
}

// LoadAssets reads and hashes every embedded static file.
func LoadAssets() (*Assets, error) {
	a := &Assets{byHashed: map[string]asset{}, urls: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hashOf(body) + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		a.byHashed[hashed] = asset{body: body, contentType: ct}
		a.urls[name] = "/static/" + hashed
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: load assets: %w", err)
	}
	return a, nil
}

// URL returns the hashed URL of a static file; an unknown name panics at
// start-up through the template test, never silently.
func (a *Assets) URL(name string) string {
	u, ok := a.urls[name]
	if !ok {
		return "/static/missing/" + name
	}
	return u
}

// Serve answers GET /static/*file.
func (a *Assets) Serve(c *gin.Context) {
	name, ok := cleanName(strings.TrimPrefix(c.Param("file"), "/"))
	f, found := a.byHashed[name]
	if !ok || !found {
		c.Data(http.StatusNotFound, "text/plain; charset=utf-8", []byte("404 page not found\n"))
		return
	}
	c.Header("Cache-Control", "public, max-age=31536000, immutable")
	c.Data(http.StatusOK, f.contentType, f.body)
}
