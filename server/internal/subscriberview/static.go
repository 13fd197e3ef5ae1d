package subscriberview

import (
	"context"
	"strings"
	"sync"

	"canale/server/internal/credential"
	"canale/shared/api"
)

// Static is a fixed in-memory directory: every subscriber sees Lineup. Tests
// and benchmarks use it where the database would only add noise; it has the
// same method set as Directory.
type Static struct {
	mu          sync.RWMutex
	subscribers []Subscriber
	lineup      Lineup
	packages    []Package
}

// NewStatic returns a Static holding subs, all seeing lineup and packages.
func NewStatic(subs []Subscriber, lineup Lineup, packages []Package) *Static {
	return &Static{subscribers: subs, lineup: lineup, packages: packages}
}

func (s *Static) find(match func(Subscriber) bool) (Subscriber, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, sub := range s.subscribers {
		if match(sub) {
			return sub, nil
		}
	}
	return Subscriber{}, api.Errorf(api.CodeNotFound, "no such subscriber")
}

// SubscriberByLogin implements the lookup of Directory.
func (s *Static) SubscriberByLogin(_ context.Context, login string) (Subscriber, error) {
	return s.find(func(sub Subscriber) bool { return strings.EqualFold(sub.Login, login) })
}

// SubscriberByToken implements the lookup of Directory.
func (s *Static) SubscriberByToken(_ context.Context, token string) (Subscriber, error) {
	return s.find(func(sub Subscriber) bool { return token != "" && sub.Token == token })
}

// SubscriberByID implements the lookup of Directory.
func (s *Static) SubscriberByID(_ context.Context, id int64) (Subscriber, error) {
	return s.find(func(sub Subscriber) bool { return sub.ID == id })
}

// Version implements Versioned: the line-up of a Static never changes.
func (s *Static) Version() uint64 { return 1 }

// Lineup implements Directory.Lineup.
func (s *Static) Lineup(context.Context, Subscriber) (Lineup, error) { return s.lineup, nil }

// Packages implements Directory.Packages.
func (s *Static) Packages(context.Context, Subscriber) ([]Package, error) { return s.packages, nil }

// ResetToken implements Directory.ResetToken.
func (s *Static) ResetToken(_ context.Context, _ api.Actor, id int64) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.subscribers {
		if s.subscribers[i].ID == id {
			s.subscribers[i].Token = credential.NewPlaybackToken()
			s.subscribers[i].Version++
			return s.subscribers[i].Token, nil
		}
	}
	return "", api.Errorf(api.CodeNotFound, "no such subscriber")
}
