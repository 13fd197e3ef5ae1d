package credential

import (
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Import parameters: argon2id with 1 MiB and 1 pass, about 1.4 ms a hash on
// one core of a small server instead of about 35 ms, so a bulk import of
// 100,000 plaintext passwords takes about a minute on two cores rather than
// half an hour. They are weaker against offline guessing than the sign-in
// parameters, so NeedsRehash reports such hashes and whoever verifies a
// password (portal sign-in) should store a HashPassword hash in its place.
const (
	importMemoryKiB = 1024
	importTime      = 1
)

// HashPasswordsForImport hashes every password with the import parameters
// on every core. An entry that already is an argon2id PHC hash is kept as it
// is (imports from another Canale keep their hashes); progress, when not
// nil, is called after every 10,000 hashes with the count done so far.
func HashPasswordsForImport(passwords []string, progress func(done int)) ([]string, int, error) {
	out := make([]string, len(passwords))
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		hashed  int
		firstEr error
	)
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				h, did, err := importHash(passwords[i])
				mu.Lock()
				out[i] = h
				if did {
					hashed++
					if progress != nil && hashed%10000 == 0 {
						progress(hashed)
					}
				}
				if err != nil && firstEr == nil {
					firstEr = err
				}
				mu.Unlock()
			}
		}()
	}
	for i := range passwords {
		next <- i
	}
	close(next)
	wg.Wait()
	return out, hashed, firstEr
}

func importHash(p string) (string, bool, error) {
	if IsHash(p) {
		return p, false, nil
	}
	salt := make([]byte, saltLen)
	mustRead(salt)
	key := argon2.IDKey([]byte(p), salt, importTime, importMemoryKiB, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, importMemoryKiB, importTime,
		argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), true, nil
}

// IsHash reports whether s looks like an argon2id PHC hash made by this
// package (six $-separated parts), as opposed to a plaintext password.
func IsHash(s string) bool {
	return strings.HasPrefix(s, "$argon2id$") && strings.Count(s, "$") == 5
}

// NeedsRehash reports whether a hash was made with weaker parameters than
// HashPassword uses now (for example by an import), so that the caller can
// replace it after a successful VerifyPassword.
func NeedsRehash(hash string) bool {
	return !strings.Contains(hash, fmt.Sprintf("$m=%d,t=%d,p=%d$", argonMemoryKiB, argonTime, argonThreads))
}

// HashForImport hashes one plaintext password with the import parameters
// (see HashPasswordsForImport); NeedsRehash reports the result.
func HashForImport(password string) (string, error) {
	h, _, err := importHash(password)
	return h, err
}
