// Package certs obtains and serves TLS certificates for the platform's names
// and agencies' verified custom domains (certmagic), stores them (on disk
// beside the embedded database, or in PostgreSQL shared by every instance),
// and verifies custom domains through DNS.
package certs
