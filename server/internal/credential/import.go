package credential

import (
	"context"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"canale/server/internal/pace"

	"golang.org/x/crypto/argon2"
)

// Import parameters: argon2id with 1 MiB and 1 pass, about 1.4 ms a hash on
// one core of a small server instead of about 35 ms, so a bulk import of
// 100,000 plaintext passwords would take about a minute on two cores flat
// out (nine paced, see HashAllForImport) rather than half an hour. They are weaker against offline guessing than the sign-in
// parameters, so NeedsRehash reports such hashes and Hasher.Verify returns
// a HashPassword hash to store in their place after a successful sign-in.
const (
	importMemoryKiB = 1024
	importTime      = 1
)

// HashAllForImport hashes passwords with the import parameters on workers
// goroutines (one per core when workers < 1), the one pool every bulk
// import uses. The workers together are paced to pace.DefaultShare of one
// CPU: run flat out, 100,000 plaintext passwords held every core of the
// server for a minute and play checks waited behind them; paced, they
// take about nine minutes, which only the operator waits for. An entry that already is an argon2id PHC hash is kept as it
// is (imports from another Canale keep their hashes). progress, when not
// nil, is called from the workers with the count handled so far after each
// entry. It stops early, with ctx's error, when ctx ends; hashed counts the
// entries hashed rather than kept.
func HashAllForImport(ctx context.Context, passwords []string, workers int, progress func(done int)) (out []string, hashed int, err error) {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	out = make([]string, len(passwords))
	var done, made atomic.Int64
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			p := pace.New(pace.DefaultShare / float64(workers))
			for i := range next {
				h, did := importHash(passwords[i])
				out[i] = h
				if did {
					made.Add(1)
					_ = p.Check(ctx) // a hash is a millisecond: look at the clock each time; ctx ends the feed
				} else {
					_ = p.Step(ctx)
				}
				if n := done.Add(1); progress != nil {
					progress(int(n))
				}
			}
		})
	}
	func() {
		defer close(next)
		for i := range passwords {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, 0, fmt.Errorf("hash passwords: %w", err)
	}
	return out, int(made.Load()), nil
}

func importHash(p string) (string, bool) {
	if IsHash(p) {
		return p, false
	}
	salt := make([]byte, saltLen)
	mustRead(salt)
	key := argon2.IDKey([]byte(p), salt, importTime, importMemoryKiB, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, importMemoryKiB, importTime,
		argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), true
}

// IsHash reports whether s looks like an argon2id PHC hash made by this
// package (six $-separated parts), as opposed to a plaintext password.
func IsHash(s string) bool {
	return strings.HasPrefix(s, "$argon2id$") && strings.Count(s, "$") == 5
}

// NeedsRehash reports whether a hash was made otherwise than HashPassword
// makes them now (an import's argon2id, SHA-512 crypt), so that
// Hasher.Verify replaces it after a successful check.
func NeedsRehash(hash string) bool {
	return !strings.HasPrefix(hash, "$argon2id$") || !strings.Contains(hash, currentParams)
}

var currentParams = fmt.Sprintf("$m=%d,t=%d,p=%d$", argonMemoryKiB, argonTime, argonThreads)
