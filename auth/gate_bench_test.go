package auth

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"workrate/migrations/testdb"
	"workrate/store"
)

// BenchmarkSignInDuringFlood measures a sign-in from one address while six
// other addresses flood the gate with wrong passwords (four at a time each,
// a new email each time, real argon2id parameters, one hashing slot per
// core), until the address limit throttles them. Run it with a fixed count
// so that every sign-in falls within the flood (it fails otherwise):
//
//	go test ./auth -run '^$' -bench SignInDuringFlood -benchtime 10x
//
// It reports the sign-in's p50 and p99 and how many were refused as busy.
func BenchmarkSignInDuringFlood(b *testing.B) {
	ctx := context.Background()
	db := testdb.SQLite(b)
	hp := NewHashPool(runtime.NumCPU(), DefaultParams())
	gate := NewGate(db.DB, hp, nil)
	hash, err := HashPassword("right-password-1", DefaultParams())
	if err != nil {
		b.Fatal(err)
	}
	owner := Holder{ID: store.NewID(), AgencyID: "agency-a", Hash: hash}
	stop := make(chan struct{})
	var flood sync.WaitGroup
	for a := range 6 {
		for g := range 4 {
			flood.Go(func() {
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					email := fmt.Sprintf("spray-%d-%d-%d@example.com", a, g, i)
					_, err := gate.SignIn(ctx, asker(email, fmt.Sprintf("203.0.113.%d", a+1)), []Holder{owner}, "guess", false)
					var te *ThrottledError
					if errors.As(err, &te) {
						return // the address limit stopped this address
					}
				}
			})
		}
	}
	time.Sleep(50 * time.Millisecond) // the flood is under way
	flooding := make(chan struct{})
	go func() { flood.Wait(); close(flooding) }()
	var took []time.Duration
	busy := 0
	b.ResetTimer()
	for range b.N {
		select {
		case <-flooding:
			b.Fatalf("the flood ended after %d sign-ins: run with a smaller -benchtime", len(took))
		default:
		}
		start := time.Now()
		_, err := gate.SignIn(ctx, asker("owner@example.com", "198.51.100.70"), []Holder{owner}, "right-password-1", false)
		took = append(took, time.Since(start))
		if errors.Is(err, ErrBusy) {
			busy++
		} else if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	close(stop)
	flood.Wait()
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(busy), "busy")
}
