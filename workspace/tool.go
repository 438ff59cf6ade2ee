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
	return strings.Join(ToolNames(ParseTools(strings.Join(names, ","))), ",")
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

// ParseToolNames reads tool names sent by a user: every name must be a tool
// (surrounding spaces aside); the result is deduplicated, in canonical order.
// ok is false when a name is not a tool.
func ParseToolNames(names []string) (tools []Tool, ok bool) {
	for _, n := range names {
		if !ValidTool(strings.TrimSpace(n)) {
			return nil, false
		}
	}
	return ParseTools(strings.Join(names, ",")), true
}

// ToolNames returns the names of tools, in their order.
func ToolNames(tools []Tool) []string {
	out := make([]string, len(tools))
	for i, t := range tools {
		out[i] = string(t)
	}
	return out
}
