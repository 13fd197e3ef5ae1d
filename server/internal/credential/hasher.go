package credential

import (
	"context"
	"errors"
	"runtime"
	"time"
)

// ErrBusy is returned by Hasher.Verify when every slot stayed taken for the
// whole wait: the caller should answer at once and ask for a retry.
var ErrBusy = errors.New("too many password checks at once")

// Work names one hashing run of Hasher.Verify, for HasherOptions.OnWork.
type Work int

const (
	// WorkFull is an argon2id run with HashPassword's parameters, the cost
	// that dominates a sign-in (19 MiB, about 30 ms of one core).
	WorkFull Work = iota
	// WorkLegacy is a check against a cheaper hash from an import.
	WorkLegacy
)

// HasherOptions tune a Hasher; zero values take the defaults.
type HasherOptions struct {
	// Slots is how many checks may hash at once; default one per core
	// (GOMAXPROCS), since more would only queue on the CPU while each holds
	// its 19 MiB.
	Slots int
	// Wait is how long a check waits for a slot before ErrBusy; default
	// 100 ms, a few runs' time, so a burst of honest sign-ins queues while
	// a flood is refused quickly.
	Wait time.Duration
	// WriteWait is how long Hash waits for a slot; default 5 s.
	WriteWait time.Duration
	// OnWork, when not nil, is called before each hashing run. Tests count
	// the work of a check with it instead of timing it.
	OnWork func(Work)
}

// Hasher checks sign-in passwords. It bounds the memory and CPU that
// hashing can take, whoever sends the sign-ins, and makes a failed check
// cost the same whether the account is unknown, has a hash of today's
// parameters or an older, cheaper one: one argon2id run with today's
// parameters, so neither the answer nor its time tells which logins exist.
// One Hasher serves every sign-in surface of a process.
type Hasher struct {
	slots     chan struct{}
	wait      time.Duration
	writeWait time.Duration
	onWork    func(Work)
}

// NewHasher returns a Hasher with the given options.
func NewHasher(o HasherOptions) *Hasher {
	if o.Slots <= 0 {
		o.Slots = runtime.GOMAXPROCS(0)
	}
	if o.Wait <= 0 {
		o.Wait = 100 * time.Millisecond
	}
	if o.WriteWait <= 0 {
		o.WriteWait = 5 * time.Second
	}
	return &Hasher{slots: make(chan struct{}, o.Slots), wait: o.Wait, writeWait: o.WriteWait, onWork: o.OnWork}
}

// Verify checks password against hash while holding a slot. An empty hash
// stands for an unknown account: it costs what a wrong password costs and
// returns ErrMismatch. When the password is right and hash was made with
// other parameters than HashPassword's (an import's argon2id, SHA-512
// crypt), upgraded is a new hash of the password for the caller to store in
// its place. It returns ErrBusy when no slot freed up in time, the
// context's error when ctx ended first, ErrMismatch for a wrong password
// and another error for a malformed hash.
func (h *Hasher) Verify(ctx context.Context, hash, password string) (upgraded string, err error) {
	release, err := h.acquire(ctx, h.wait)
	if err != nil {
		return "", err
	}
	defer release()
	if hash != "" && !NeedsRehash(hash) {
		h.work(WorkFull)
		return "", VerifyPassword(hash, password)
	}
	err = ErrMismatch
	if hash != "" {
		h.work(WorkLegacy)
		err = VerifyPassword(hash, password)
	}
	// Either the upgrade or a run that matches nothing: the same cost.
	h.work(WorkFull)
	if err != nil {
		_ = VerifyPassword(dummyHash, password)
		return "", err
	}
	return HashPassword(password)
}

// Hash hashes a new password (an account created or a password set) while
// holding a slot: setting passwords is open to resellers and to every
// signed-in account, and each run takes 19 MiB, so it shares the bound of
// the sign-ins. It waits longer for a slot than a sign-in (WriteWait): the
// caller is signed in, a billing system creates accounts many at a time,
// and waiting costs no hashing memory. It returns ErrBusy or the context's
// error like Verify.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	release, err := h.acquire(ctx, h.writeWait)
	if err != nil {
		return "", err
	}
	defer release()
	h.work(WorkFull)
	return HashPassword(password)
}

func (h *Hasher) acquire(ctx context.Context, wait time.Duration) (release func(), err error) {
	select {
	case h.slots <- struct{}{}:
		return h.release, nil
	default:
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case h.slots <- struct{}{}:
		return h.release, nil
	case <-t.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (h *Hasher) release() { <-h.slots }

func (h *Hasher) work(w Work) {
	if h.onWork != nil {
		h.onWork(w)
	}
}
