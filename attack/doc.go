// Package attack holds the security proof of the product: tests, written as
// an attacker would, that walk every route of every surface with every role
// and look for leaks across tenants, plus host, session, cross-site, header
// and stored-XSS attacks. It has no code outside tests; SECURITY.md maps its
// tests to the OWASP ASVS requirements they prove.
package attack
