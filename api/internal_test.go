package api

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/gin-gonic/gin"
)

func TestPageOf(t *testing.T) {
	all := []int{1, 2, 3, 4, 5}
	cases := []struct {
		limit  int
		cursor string
		want   []int
		next   string
		bad    bool
	}{
		{2, "", []int{1, 2}, "o2", false},
		{2, "o2", []int{3, 4}, "o4", false},
		{2, "o4", []int{5}, "", false},
		{10, "", []int{1, 2, 3, 4, 5}, "", false},
		{2, "o5", []int{}, "", false},
		{2, "o6", nil, "", true},
		{2, "o-1", nil, "", true},
		{2, "2", nil, "", true},
		{2, "ox", nil, "", true},
	}
	for _, c := range cases {
		got, next, err := pageOf(all, c.limit, c.cursor)
		if c.bad {
			if err == nil {
				t.Errorf("pageOf(%d, %q) accepted a bad cursor", c.limit, c.cursor)
			}
			continue
		}
		if err != nil || !slices.Equal(got, c.want) || next != c.next {
			t.Errorf("pageOf(%d, %q) = %v %q %v; want %v %q", c.limit, c.cursor, got, next, err, c.want, c.next)
		}
	}
}

func TestListParamsAndPage(t *testing.T) {
	cases := []struct {
		query  string
		limit  int
		cursor string
		bad    bool
	}{
		{"", defaultLimit, "", false},
		{"limit=1&cursor=abc", 1, "abc", false},
		{"limit=200", 200, "", false},
		{"limit=0", 0, "", true},
		{"limit=201", 0, "", true},
		{"limit=ten", 0, "", true},
		{"limit=-1", 0, "", true},
	}
	for _, c := range cases {
		ctx, _ := gin.CreateTestContext(httptest.NewRecorder())
		ctx.Request = httptest.NewRequest(http.MethodGet, "/x?"+c.query, nil)
		limit, cursor, err := listParams(ctx)
		if (err != nil) != c.bad || !c.bad && (limit != c.limit || cursor != c.cursor) {
			t.Errorf("listParams(%q) = %d %q %v", c.query, limit, cursor, err)
		}
	}
	if p := newListPage[int](nil, ""); p.Items == nil || p.NextCursor != nil {
		t.Errorf("last empty page = %+v", p)
	}
	if p := newListPage([]int{1}, "n"); p.NextCursor == nil || *p.NextCursor != "n" {
		t.Errorf("page with next = %+v", p)
	}
}

func TestOpenAPIPath(t *testing.T) {
	for in, want := range map[string]string{
		"/workspaces":                    "/workspaces",
		"/workspaces/:id":                "/workspaces/{id}",
		"/workspaces/:id/tasks/:task_id": "/workspaces/{id}/tasks/{task_id}",
	} {
		if got := OpenAPIPath(in); got != want {
			t.Errorf("OpenAPIPath(%q) = %q, want %q", in, got, want)
		}
	}
}
