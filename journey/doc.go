// Package journey proves the product in a real browser: its tests drive
// Debian's Chromium through chromedp against the whole app served on loopback,
// reaching agencies by their *.localhost names so that the Host header is real.
// Every page a journey visits is saved as a PNG under screenshots/ at the
// repository root.
package journey
