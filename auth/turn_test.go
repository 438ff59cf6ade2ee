package auth

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestTurnLetsOneAttemptAtATimePerKey(t *testing.T) {
	hp := NewHashPool(1, cheapParams)
	ctx := context.Background()
	var inside, most atomic.Int32
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			// Half share the address only, half also the account.
			account := ""
			if i%2 == 0 {
				account = "acc"
			}
			done, err := hp.Turn(ctx, "192.0.2.1", account)
			if err != nil {
				t.Error(err)
				return
			}
			n := inside.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			time.Sleep(time.Millisecond)
			inside.Add(-1)
			done()
		})
	}
	wg.Wait()
	if most.Load() != 1 {
		t.Fatalf("%d attempts of one address ran at once, want 1", most.Load())
	}
	if n := hp.turns.waiting(); n != 0 {
		t.Fatalf("%d keys still remembered after every attempt ended", n)
	}
}

func TestTurnOtherKeysDoNotWait(t *testing.T) {
	hp := NewHashPool(1, cheapParams)
	ctx := context.Background()
	done, err := hp.Turn(ctx, "192.0.2.1", "a")
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	other, err := hp.Turn(short, "192.0.2.2", "b")
	if err != nil {
		t.Fatalf("another address and account waited: %v", err)
	}
	other()
}

func TestTurnGivesUpAsBusy(t *testing.T) {
	hp := NewHashPool(1, cheapParams)
	ctx := context.Background()
	done, err := hp.Turn(ctx, "192.0.2.9", "a")
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
	defer cancel()
	// The address is free, the account is not: nothing stays held.
	if _, err := hp.Turn(short, "192.0.2.1", "a"); !errors.Is(err, ErrBusy) {
		t.Fatalf("Turn on a held account = %v, want ErrBusy", err)
	}
	if n := hp.turns.waiting(); n != 2 {
		t.Fatalf("%d keys remembered, want only the held attempt's address and account", n)
	}
	done()
	again, err := hp.Turn(ctx, "192.0.2.1", "a")
	if err != nil {
		t.Fatalf("after the turn ended: %v", err)
	}
	again()
	if n := hp.turns.waiting(); n != 0 {
		t.Fatalf("%d keys remembered after every attempt ended", n)
	}
}
