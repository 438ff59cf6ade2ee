package portal

import (
	"html/template"
	"sync"
)

// maxCachedWorkspaces bounds the dashboard cache: a few kilobytes of HTML per
// workspace and variant, some tens of megabytes at most.
const maxCachedWorkspaces = 2000

// dashboardCache keeps each workspace's rendered dashboard content under the
// workspace's data version. The version is read with the session on every
// request and moves on in the same transaction as any write to the
// workspace's content (a database trigger), so an entry is used only while
// its data is exactly current, on every instance; the session and the
// account (enabled, tools) are still checked on every request, and the tools,
// language and day are part of the key. A change of version replaces the
// workspace's entries.
type dashboardCache struct {
	mu         sync.Mutex
	workspaces map[string]*cachedDashboards
}

// cachedDashboards are one workspace's rendered variants of one version.
type cachedDashboards struct {
	version  int64
	variants map[string]template.HTML // by tools, language and day
}

// get returns the content cached for the workspace at version, if any.
func (dc *dashboardCache) get(workspaceID string, version int64, variant string) (template.HTML, bool) {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	cd := dc.workspaces[workspaceID]
	if cd == nil || cd.version != version {
		return "", false
	}
	html, ok := cd.variants[variant]
	return html, ok
}

// put keeps content for the workspace at version, forgetting older versions
// (and, when the cache is full, some other workspace).
func (dc *dashboardCache) put(workspaceID string, version int64, variant string, html template.HTML) {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	if dc.workspaces == nil {
		dc.workspaces = map[string]*cachedDashboards{}
	}
	cd := dc.workspaces[workspaceID]
	switch {
	case cd != nil && cd.version > version:
		return // a request that read an older version finished late
	case cd == nil || cd.version < version:
		if cd == nil && len(dc.workspaces) >= maxCachedWorkspaces {
			for id := range dc.workspaces { // map order: an arbitrary one
				delete(dc.workspaces, id)
				break
			}
		}
		cd = &cachedDashboards{version: version, variants: map[string]template.HTML{}}
		dc.workspaces[workspaceID] = cd
	}
	cd.variants[variant] = html
}
