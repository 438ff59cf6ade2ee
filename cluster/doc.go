// Package cluster proves that several `workrate serve` processes on one
// PostgreSQL behave as one platform: its tests build the binary, start real
// instances on loopback ports, and check that what one instance changes the
// others see at once.
package cluster
