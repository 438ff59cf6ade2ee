package auth

import (
	"errors"
	"fmt"
	"runtime"
	"testing"
)

func TestNewHashPoolSize(t *testing.T) {
	tests := []struct {
		name string
		size int
		want int
	}{
		{"negative means NumCPU", -1, runtime.NumCPU()},
		{"zero means NumCPU", 0, runtime.NumCPU()},
		{"one", 1, 1},
		{"explicit", 7, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hp := NewHashPool(tt.size, cheapParams)
			if got := cap(hp.slots); got != tt.want {
				t.Fatalf("NewHashPool(%d) has %d slots, want %d", tt.size, got, tt.want)
			}
			if hp.Params() != cheapParams {
				t.Fatalf("Params() = %+v, want %+v", hp.Params(), cheapParams)
			}
		})
	}
}

func TestNewHashPoolInvalidParams(t *testing.T) {
	tests := []struct {
		name   string
		params Params
	}{
		{"zero value", Params{}},
		{"memory above 1 GiB", Params{Memory: 2 << 20, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatalf("NewHashPool(1, %+v) did not panic", tt.params)
				}
			}()
			NewHashPool(1, tt.params)
		})
	}
}

// poolOps calls each HashPool method once and returns its error.
var poolOps = []struct {
	name string
	call func(hp *HashPool, encoded string) error
}{
	{"Hash", func(hp *HashPool, _ string) error {
		_, err := hp.Hash("correct horse battery staple")
		return err
	}},
	{"Verify", func(hp *HashPool, encoded string) error {
		ok, err := hp.verify(encoded, "correct horse battery staple")
		if err == nil && !ok {
			return errors.New("right password refused")
		}
		return err
	}},
	{"VerifyDummy", func(hp *HashPool, _ string) error {
		return hp.verifyDummy("correct horse battery staple")
	}},
}

func TestHashPoolBusy(t *testing.T) {
	encoded, err := HashPassword("correct horse battery staple", cheapParams)
	if err != nil {
		t.Fatalf("HashPassword: %v", err)
	}
	for _, size := range []int{1, 3} {
		for _, op := range poolOps {
			t.Run(fmt.Sprintf("%s size %d", op.name, size), func(t *testing.T) {
				hp := NewHashPool(size, cheapParams)
				for i := range size {
					if !hp.tryAcquire() {
						t.Fatalf("could not take slot %d of %d", i+1, size)
					}
				}
				if err := op.call(hp, encoded); !errors.Is(err, ErrBusy) {
					t.Fatalf("with all %d slots held: error = %v, want ErrBusy", size, err)
				}
				hp.release()
				if err := op.call(hp, encoded); err != nil {
					t.Fatalf("with one slot free: error = %v, want nil", err)
				}
				if !hp.tryAcquire() {
					t.Fatal("the call did not give its slot back")
				}
			})
		}
	}
}

func TestHashPoolZeroValueIsBusy(t *testing.T) {
	for _, op := range poolOps {
		t.Run(op.name, func(t *testing.T) {
			var hp HashPool
			if err := op.call(&hp, refHash); !errors.Is(err, ErrBusy) {
				t.Fatalf("zero HashPool: error = %v, want ErrBusy", err)
			}
		})
	}
}

func TestHashPoolReleasesSlotOnError(t *testing.T) {
	tooLong := string(make([]byte, MaxPasswordBytes+1))
	tests := []struct {
		name string
		call func(hp *HashPool) error
		want error
	}{
		{"Hash too long", func(hp *HashPool) error { _, err := hp.Hash(tooLong); return err }, ErrPasswordTooLong},
		{"Verify malformed", func(hp *HashPool) error { _, err := hp.verify("$argon2id$bad", "x"); return err }, ErrInvalidHash},
		{"Verify too long", func(hp *HashPool) error { _, err := hp.verify(refHash, tooLong); return err }, ErrPasswordTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hp := NewHashPool(1, cheapParams)
			if err := tt.call(hp); !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			if !hp.tryAcquire() {
				t.Fatal("the failed call did not give its slot back")
			}
		})
	}
}

func TestHashPoolRoundTrip(t *testing.T) {
	hp := NewHashPool(2, cheapParams)
	encoded, err := hp.Hash("correct horse battery staple")
	if err != nil {
		t.Fatalf("Hash: %v", err)
	}
	tests := []struct {
		name     string
		password string
		want     bool
	}{
		{"right password", "correct horse battery staple", true},
		{"wrong password", "correct horse battery stapler", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := hp.verify(encoded, tt.password)
			if err != nil || ok != tt.want {
				t.Fatalf("Verify = %v, %v; want %v, nil", ok, err, tt.want)
			}
		})
	}
	if NeedsRehash(encoded, hp.Params()) {
		t.Error("a hash made by the pool needs rehashing with the pool's params")
	}
	if NeedsRehash(hp.dummy, hp.Params()) {
		t.Error("the pool's dummy hash does not use the pool's params, so VerifyDummy would not cost the same as Verify")
	}
}
