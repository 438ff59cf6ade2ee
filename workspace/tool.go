package workspace

import "strings"

// Tool is a part of a workspace that an agency may show to its client.
type Tool string

// The tools, in their canonical order.
const (
	ToolDashboard Tool = "dashboard"
	ToolTickets   Tool = "tickets"
	ToolMessages  Tool = "messages"
	ToolTasks     Tool = "tasks"
	ToolInvoices  Tool = "invoices"
)

// AllTools returns every tool in canonical order.
func AllTools() []Tool {
	return []Tool{ToolDashboard, ToolTickets, ToolMessages, ToolTasks, ToolInvoices}
}

// ValidTool reports whether s names a tool.
func ValidTool(s string) bool {
	for _, t := range AllTools() {
		if string(t) == s {
			return true
		}
	}
	return false
}

// ParseTools reads a comma-separated list of tools: unknown names are
// ignored, duplicates dropped, and the result is in canonical order.
func ParseTools(csv string) []Tool {
	seen := map[string]bool{}
	for _, p := range strings.Split(csv, ",") {
		seen[strings.ToLower(strings.TrimSpace(p))] = true
	}
	out := []Tool{}
	for _, t := range AllTools() {
		if seen[string(t)] {
			out = append(out, t)
		}
	}
	return out
}

// FormatTools writes tools as a comma-separated list in canonical order,
// without unknown names or duplicates.
func FormatTools(tools []Tool) string {
	names := make([]string, 0, len(tools))
	for _, t := range tools {
		names = append(names, string(t))
	}
	parsed := ParseTools(strings.Join(names, ","))
	out := make([]string, len(parsed))
	for i, t := range parsed {
		out[i] = string(t)
	}
	return strings.Join(out, ",")
}

// HasTool reports whether tools contains t.
func HasTool(tools []Tool, t Tool) bool {
	for _, x := range tools {
		if x == t {
			return true
		}
	}
	return false
}
