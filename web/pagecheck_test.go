package web

import (
	"fmt"
	"html/template"
	"reflect"
	"strings"
	"testing"
	"text/template/parse"

	"workrate/locale"
)

// This file holds the template check: it walks a page template's parse tree
// from "base" with dot typed as the page's data and reports every field
// chain ({{.Ticket.Subject}}, {{$p.Form.Errors}}) that names a field, method
// or map key the type lacks. Types it cannot know (an interface, what most
// functions return) are not followed: the check finds missing fields, it
// does not prove a template right.

// CheckPage returns what page template name of r names and page lacks.
func (r *Renderer) CheckPage(name string, page Page) []string {
	t, ok := r.pages[locale.DefaultLang][name]
	if !ok {
		return []string{fmt.Sprintf("no page template %q", name)}
	}
	return checkTemplate(t, r.funcTypes(), "base", reflect.TypeOf(page))
}

// funcTypes returns the result type of every template function.
func (r *Renderer) funcTypes() map[string]reflect.Type {
	types := map[string]reflect.Type{}
	for _, fm := range []template.FuncMap{r.funcs(), localized(r.bundle.Localizer(locale.DefaultLang))} {
		for name, f := range fm {
			if ft := reflect.TypeOf(f); ft.NumOut() > 0 {
				types[name] = ft.Out(0)
			}
		}
	}
	stringType, boolType := reflect.TypeFor[string](), reflect.TypeFor[bool]()
	for _, name := range []string{"print", "printf", "println", "html", "js", "urlquery"} {
		types[name] = stringType
	}
	for _, name := range []string{"not", "eq", "ne", "lt", "le", "gt", "ge"} {
		types[name] = boolType
	}
	types["len"] = reflect.TypeFor[int]()
	delete(types, "dict") // typed from its arguments
	return types
}

// checkTemplate checks template name of t (and every template it calls)
// with dot of type dot.
func checkTemplate(t *template.Template, funcs map[string]reflect.Type, name string, dot reflect.Type) []string {
	k := &checker{t: t, funcs: funcs, seen: map[string]bool{}}
	k.template(name, dot)
	return k.errs
}

// checker walks parse trees, tracking the type of dot and of each variable;
// a nil type is unknown and never reported.
type checker struct {
	t     *template.Template
	funcs map[string]reflect.Type
	seen  map[string]bool // template name and dot type already checked
	tree  *parse.Tree     // the tree being walked, for positions
	errs  []string
}

// vars holds the type of each variable in scope.
type vars map[string]reflect.Type

func (v vars) clone() vars {
	out := make(vars, len(v))
	for k, t := range v {
		out[k] = t
	}
	return out
}

func (k *checker) errorf(n parse.Node, format string, args ...any) {
	loc, _ := k.tree.ErrorContext(n)
	k.errs = append(k.errs, loc+": "+fmt.Sprintf(format, args...))
}

func (k *checker) template(name string, dot reflect.Type) {
	key := name + "|" + fmt.Sprint(dot)
	if k.seen[key] {
		return
	}
	k.seen[key] = true
	t := k.t.Lookup(name)
	if t == nil || t.Tree == nil {
		k.errs = append(k.errs, fmt.Sprintf("no template %q", name))
		return
	}
	outer := k.tree
	k.tree = t.Tree
	k.list(t.Tree.Root, dot, vars{"$": dot})
	k.tree = outer
}

func (k *checker) list(l *parse.ListNode, dot reflect.Type, vs vars) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		k.node(n, dot, vs)
	}
}

func (k *checker) node(n parse.Node, dot reflect.Type, vs vars) {
	switch n := n.(type) {
	case *parse.ActionNode:
		k.pipe(n.Pipe, dot, vs)
	case *parse.IfNode:
		inner := vs.clone()
		k.pipe(n.Pipe, dot, inner)
		k.list(n.List, dot, inner.clone())
		k.list(n.ElseList, dot, inner.clone())
	case *parse.WithNode:
		inner := vs.clone()
		t := k.pipe(n.Pipe, dot, inner)
		k.list(n.List, t, inner.clone())
		k.list(n.ElseList, dot, inner.clone())
	case *parse.RangeNode:
		inner := vs.clone()
		key, elem := elemTypes(k.pipeValue(n.Pipe, dot, inner))
		switch len(n.Pipe.Decl) {
		case 1:
			inner[n.Pipe.Decl[0].Ident[0]] = elem
		case 2:
			inner[n.Pipe.Decl[0].Ident[0]] = key
			inner[n.Pipe.Decl[1].Ident[0]] = elem
		}
		k.list(n.List, elem, inner)
		k.list(n.ElseList, dot, vs.clone())
	case *parse.TemplateNode:
		var t reflect.Type
		if n.Pipe != nil {
			t = k.pipe(n.Pipe, dot, vs.clone())
		}
		k.template(n.Name, t)
	case *parse.ListNode:
		k.list(n, dot, vs)
	}
}

// pipe returns the type of p's value and declares its variables in vs.
func (k *checker) pipe(p *parse.PipeNode, dot reflect.Type, vs vars) reflect.Type {
	t := k.pipeValue(p, dot, vs)
	for _, d := range p.Decl {
		vs[d.Ident[0]] = t
	}
	return t
}

// pipeValue returns the type of p's value: its last command's.
func (k *checker) pipeValue(p *parse.PipeNode, dot reflect.Type, vs vars) reflect.Type {
	var t reflect.Type
	for _, cmd := range p.Cmds {
		t = k.command(cmd, dot, vs)
	}
	return t
}

func (k *checker) command(cmd *parse.CommandNode, dot reflect.Type, vs vars) reflect.Type {
	args := make([]reflect.Type, len(cmd.Args))
	for i, a := range cmd.Args[1:] {
		args[i+1] = k.arg(a, dot, vs)
	}
	if id, ok := cmd.Args[0].(*parse.IdentifierNode); ok {
		return k.call(id.Ident, cmd.Args[1:], args[1:])
	}
	return k.arg(cmd.Args[0], dot, vs)
}

// call returns the result type of function name.
func (k *checker) call(name string, nodes []parse.Node, args []reflect.Type) reflect.Type {
	switch name {
	case "dict":
		return dictType(nodes, args)
	case "index":
		if len(args) == 0 {
			return nil
		}
		t := args[0]
		for range args[1:] {
			_, t = elemTypes(t)
		}
		return t
	}
	return k.funcs[name]
}

// dictType is the type of dict's map as a struct of its keys, so that the
// template it is handed to is checked too.
func dictType(nodes []parse.Node, args []reflect.Type) reflect.Type {
	var fields []reflect.StructField
	for i := 0; i+1 < len(nodes); i += 2 {
		s, ok := nodes[i].(*parse.StringNode)
		if !ok || !exportedName(s.Text) {
			return nil
		}
		t := args[i+1]
		if t == nil {
			t = reflect.TypeFor[any]()
		}
		fields = append(fields, reflect.StructField{Name: s.Text, Type: t})
	}
	return reflect.StructOf(fields)
}

// exportedName reports whether s is an exported Go identifier.
func exportedName(s string) bool {
	if s == "" || strings.ToUpper(s[:1]) != s[:1] {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool {
		return !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0
}

func (k *checker) arg(n parse.Node, dot reflect.Type, vs vars) reflect.Type {
	switch n := n.(type) {
	case *parse.DotNode:
		return dot
	case *parse.FieldNode:
		return k.chain(n, dot, n.Ident)
	case *parse.VariableNode:
		t, ok := vs[n.Ident[0]]
		if !ok {
			k.errorf(n, "undefined variable %s", n.Ident[0])
			return nil
		}
		return k.chain(n, t, n.Ident[1:])
	case *parse.ChainNode:
		return k.chain(n, k.arg(n.Node, dot, vs), n.Field)
	case *parse.PipeNode:
		return k.pipe(n, dot, vs.clone())
	case *parse.StringNode:
		return reflect.TypeFor[string]()
	case *parse.BoolNode:
		return reflect.TypeFor[bool]()
	}
	return nil
}

// chain follows the field names of n from type t.
func (k *checker) chain(n parse.Node, t reflect.Type, names []string) reflect.Type {
	for _, name := range names {
		if t == nil {
			return nil
		}
		next, ok := member(t, name)
		if !ok {
			k.errorf(n, "%s has no field or method %s", t, name)
			return nil
		}
		t = next
	}
	return t
}

// member returns the type of t's field, method result or map value name;
// nil when it cannot be known (an interface).
func member(t reflect.Type, name string) (reflect.Type, bool) {
	if t.Kind() == reflect.Interface {
		if m, ok := t.MethodByName(name); ok && m.Type.NumOut() > 0 {
			return m.Type.Out(0), true
		}
		return nil, true
	}
	pt := t
	if pt.Kind() != reflect.Pointer {
		pt = reflect.PointerTo(t)
	}
	if m, ok := pt.MethodByName(name); ok {
		if m.Type.NumOut() == 0 {
			return nil, false
		}
		return m.Type.Out(0), true
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		if f, ok := t.FieldByName(name); ok && f.IsExported() {
			return f.Type, true
		}
	case reflect.Map:
		if t.Key().Kind() == reflect.String {
			return t.Elem(), true
		}
	case reflect.Interface:
		return nil, true
	}
	return nil, false
}

// elemTypes returns the key and element types of ranging over t.
func elemTypes(t reflect.Type) (key, elem reflect.Type) {
	if t == nil {
		return nil, nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return reflect.TypeFor[int](), t.Elem()
	case reflect.Map:
		return t.Key(), t.Elem()
	case reflect.Int:
		return t, t
	}
	return nil, nil
}

// ShadowedBase returns the fields of Base that page's own fields hide from
// the layout.
func ShadowedBase(page Page) []string {
	v := reflect.ValueOf(page).Elem()
	b := reflect.ValueOf(page.frame()).Elem()
	var out []string
	for _, f := range reflect.VisibleFields(b.Type()) {
		pf := v.FieldByName(f.Name)
		if !pf.IsValid() || pf.UnsafeAddr() != b.FieldByIndex(f.Index).UnsafeAddr() {
			out = append(out, f.Name)
		}
	}
	return out
}

// TestCheckFindsMissingFields shows that the check fails: each template
// names something its page lacks, or nothing it lacks.
func TestCheckFindsMissingFields(t *testing.T) {
	type item struct {
		Name string
	}
	type form struct {
		Name   string
		Errors map[string]string
	}
	type page struct {
		Base
		Items []item
		Form  form
		Today string
	}
	r := testRenderer(t)
	cases := []struct {
		name, content string
		more          string   // further templates the content calls
		wrong         []string // what the check must report, in order
	}{
		{"fields", `{{.Today}}{{.Form.Name}}{{index .Form.Errors "name"}}{{.Title}}`, "", nil},
		{"missing field", `{{.Tody}}`, "", []string{"has no field or method Tody"}},
		{"missing nested field", `{{.Form.Nmae}}`, "", []string{"form has no field or method Nmae"}},
		{"the old .Data", `{{.Data.Today}}`, "", []string{"has no field or method Data"}},
		{"range element", `{{range .Items}}{{.Name}}{{.Title}}{{$.Today}}{{end}}`, "", []string{"item has no field or method Title"}},
		{"range variables", `{{range $i, $x := .Items}}{{$x.Name}}{{$x.Nope}}{{end}}`, "", []string{"item has no field or method Nope"}},
		{"variable", `{{$f := .Form}}{{$f.Name}}{{$f.Body}}`, "", []string{"form has no field or method Body"}},
		{"with", `{{with .Form}}{{.Name}}{{.Subject}}{{end}}`, "", []string{"form has no field or method Subject"}},
		{"function argument", `{{T (print "x." .Form.State)}}`, "", []string{"form has no field or method State"}},
		{"dict into a template", `{{template "fields" dict "F" .Form}}`, `{{define "fields"}}{{.F.Name}}{{.F.Label}}{{end}}`,
			[]string{"form has no field or method Label"}},
		{"map value", `{{.Form.Errors.name}}{{.Form.Errors.name.X}}`, "", []string{"string has no field or method X"}},
		{"frame in a layout piece", `{{template "language_switch" .}}{{template "logout" .}}`, "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			base, err := r.pages[locale.DefaultLang]["public/home"].Clone()
			if err != nil {
				t.Fatal(err)
			}
			tmpl, err := base.New("case").Parse(`{{define "content"}}` + tc.content + `{{end}}` + tc.more)
			if err != nil {
				t.Fatal(err)
			}
			got := checkTemplate(tmpl, r.funcTypes(), "base", reflect.TypeFor[*page]())
			if len(got) != len(tc.wrong) {
				t.Fatalf("check reported %q, want %d findings %q", got, len(tc.wrong), tc.wrong)
			}
			for i, w := range tc.wrong {
				if !strings.Contains(got[i], w) {
					t.Errorf("finding %d = %q, want it to say %q", i, got[i], w)
				}
			}
		})
	}
}

// TestShadowedBase shows that a page field hiding the frame's is found.
func TestShadowedBase(t *testing.T) {
	type hiding struct {
		Base
		Title string
	}
	if got := ShadowedBase(&hiding{}); !reflect.DeepEqual(got, []string{"Title"}) {
		t.Errorf("ShadowedBase = %q, want [Title]", got)
	}
	if got := ShadowedBase(&errorPage{}); len(got) != 0 {
		t.Errorf("ShadowedBase(errorPage) = %q, want none", got)
	}
}

func testRenderer(t *testing.T) *Renderer {
	t.Helper()
	bundle, err := locale.New()
	if err != nil {
		t.Fatal(err)
	}
	assets, err := LoadAssets()
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRenderer(bundle, assets)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
