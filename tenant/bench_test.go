package tenant

import (
	"fmt"
	"runtime"
	"testing"
)

// benchResolver builds a resolver with n agencies and n custom domains in memory.
func benchResolver(n int) *Resolver {
	r := NewResolver(nil, Config{PlatformHost: "localhost", AgencyDomain: "workrate.test", PlatformName: "WorkRate"})
	for i := range n {
		s := &Site{Agency: Agency{ID: fmt.Sprintf("id-%d", i), Slug: fmt.Sprintf("agency-%d", i), Name: fmt.Sprintf("Agency %d", i), Status: StatusActive}}
		r.bySlug[s.Agency.Slug] = s
		r.byID[s.Agency.ID] = s
		r.domains[fmt.Sprintf("app.client-%d.example", i)] = s
	}
	return r
}

// BenchmarkResolve measures a warm resolution with 100,000 agencies and
// 100,000 custom domains: normalisation plus the map lookups.
func BenchmarkResolve(b *testing.B) {
	const n = 100_000
	r := benchResolver(n)
	hosts := []string{"agency-4242.workrate.test:8443", "app.client-77777.example", "unknown.example"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		h, err := NormalizeHost(hosts[i%len(hosts)])
		if err != nil {
			b.Fatal(err)
		}
		_ = r.Resolve(h)
	}
}

// BenchmarkResolverMemory reports the heap used per host entry.
func BenchmarkResolverMemory(b *testing.B) {
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		r := benchResolver(100_000)
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/200_000, "bytes/host")
		runtime.KeepAlive(r)
	}
}

func TestResolveDoesNotAllocate(t *testing.T) {
	r := benchResolver(1000)
	allocs := testing.AllocsPerRun(100, func() {
		h, _ := NormalizeHost("agency-42.workrate.test")
		if r.Resolve(h).Kind != AgencyHost {
			t.Fatal("not resolved")
		}
		h, _ = NormalizeHost("app.client-7.example")
		if r.Resolve(h).Kind != AgencyHost {
			t.Fatal("not resolved")
		}
	})
	if allocs != 0 {
		t.Fatalf("allocs = %v, want 0", allocs)
	}
}
