package web_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"workrate/agency"
	"workrate/locale"
	"workrate/operator"
	"workrate/portal"
	"workrate/secondfactor"
	"workrate/server"
	"workrate/web"
)

// registry is every surface's map of template to page data.
func registry(t *testing.T) map[string]web.Page {
	t.Helper()
	all := map[string]web.Page{}
	for _, surface := range []map[string]web.Page{
		web.Templates(), server.Templates(), portal.Templates(), agency.Templates(),
		operator.Templates(), secondfactor.Templates(),
	} {
		for name, p := range surface {
			if prev, ok := all[name]; ok {
				t.Errorf("template %s is registered twice, with %T and %T", name, prev, p)
			}
			all[name] = p
		}
	}
	return all
}

// TestEveryTemplateMatchesItsPage parses every page template against its
// page data: a template without an entry in its surface's Templates, an
// entry without a template, a field chain naming what the page lacks, or a
// page field hiding the frame's fails it.
func TestEveryTemplateMatchesItsPage(t *testing.T) {
	bundle, err := locale.New()
	if err != nil {
		t.Fatal(err)
	}
	assets, err := web.LoadAssets()
	if err != nil {
		t.Fatal(err)
	}
	r, err := web.NewRenderer(bundle, assets)
	if err != nil {
		t.Fatal(err)
	}
	pages := registry(t)
	names := r.Pages()
	slices.Sort(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			p, ok := pages[name]
			if !ok {
				t.Fatalf("template %s has no page data: add it to its surface's Templates", name)
			}
			for _, e := range r.CheckPage(name, p) {
				t.Error(e)
			}
			if hidden := web.ShadowedBase(p); len(hidden) > 0 {
				t.Errorf("%T hides the frame's %v", p, hidden)
			}
		})
	}
	for _, name := range slices.Sorted(maps.Keys(pages)) {
		if !slices.Contains(names, name) {
			t.Errorf("%s is registered with %s but no such template exists", name, fmt.Sprintf("%T", pages[name]))
		}
	}
}
