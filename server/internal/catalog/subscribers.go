package catalog

import (
	"hash/maphash"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"canale/server/internal/store"
)

// shardCount spreads a million subscribers over enough locks that a writer
// replacing one entry never holds up readers of the others.
const shardCount = 256

var seed = maphash.MakeSeed()

// subscriberIndex finds subscribers by id, token and login. Each key kind
// is sharded by its own hash; a shard's maps hold only keys of that shard.
type subscriberIndex struct {
	shards [shardCount]subShard
}

type subShard struct {
	mu      sync.RWMutex
	byID    map[int64]*Subscriber
	byToken map[string]*Subscriber
	byLogin map[string]*Subscriber
}

func newSubscriberIndex(sizeHint int) *subscriberIndex {
	x := &subscriberIndex{}
	per := sizeHint/shardCount + 1
	for i := range x.shards {
		x.shards[i] = subShard{byID: make(map[int64]*Subscriber, per),
			byToken: make(map[string]*Subscriber, per), byLogin: make(map[string]*Subscriber, per)}
	}
	return x
}

func idShard(id int64) uint64 { return uint64(id) % shardCount }

func strShard(s string) uint64 { return maphash.String(seed, s) % shardCount }

func (x *subscriberIndex) byID(id int64) (*Subscriber, bool) {
	sh := &x.shards[idShard(id)]
	sh.mu.RLock()
	s, ok := sh.byID[id]
	sh.mu.RUnlock()
	return s, ok
}

func (x *subscriberIndex) byToken(token string) (*Subscriber, bool) {
	sh := &x.shards[strShard(token)]
	sh.mu.RLock()
	s, ok := sh.byToken[token]
	sh.mu.RUnlock()
	return s, ok
}

func (x *subscriberIndex) byLogin(login string) (*Subscriber, bool) {
	login = strings.ToLower(login)
	sh := &x.shards[strShard(login)]
	sh.mu.RLock()
	s, ok := sh.byLogin[login]
	sh.mu.RUnlock()
	return s, ok
}

func (x *subscriberIndex) count() int {
	n := 0
	for i := range x.shards {
		sh := &x.shards[i]
		sh.mu.RLock()
		n += len(sh.byID)
		sh.mu.RUnlock()
	}
	return n
}

// put publishes s, replacing any earlier value of the same id and dropping
// the old token and login keys. Writers are serialised by the caller.
func (x *subscriberIndex) put(s *Subscriber) {
	old, _ := x.byID(s.ID)
	if old != nil {
		x.dropKeys(old, s)
	}
	x.set(idShard(s.ID), func(sh *subShard) { sh.byID[s.ID] = s })
	x.set(strShard(s.Token), func(sh *subShard) { sh.byToken[s.Token] = s })
	login := strings.ToLower(s.Login)
	x.set(strShard(login), func(sh *subShard) { sh.byLogin[login] = s })
}

// remove drops the subscriber with id, if present.
func (x *subscriberIndex) remove(id int64) {
	old, ok := x.byID(id)
	if !ok {
		return
	}
	x.dropKeys(old, nil)
	x.set(idShard(id), func(sh *subShard) { delete(sh.byID, id) })
}

// dropKeys removes old's token and login unless next keeps them.
func (x *subscriberIndex) dropKeys(old, next *Subscriber) {
	if next == nil || next.Token != old.Token {
		x.set(strShard(old.Token), func(sh *subShard) {
			if sh.byToken[old.Token] == old {
				delete(sh.byToken, old.Token)
			}
		})
	}
	login := strings.ToLower(old.Login)
	if next == nil || strings.ToLower(next.Login) != login {
		x.set(strShard(login), func(sh *subShard) {
			if sh.byLogin[login] == old {
				delete(sh.byLogin, login)
			}
		})
	}
}

func (x *subscriberIndex) set(shard uint64, fn func(*subShard)) {
	sh := &x.shards[shard]
	sh.mu.Lock()
	fn(sh)
	sh.mu.Unlock()
}

// each calls fn for every subscriber, shard by shard, under read locks.
func (x *subscriberIndex) each(fn func(*Subscriber) bool) {
	for i := range x.shards {
		sh := &x.shards[i]
		sh.mu.RLock()
		for _, s := range sh.byID {
			if !fn(s) {
				sh.mu.RUnlock()
				return
			}
		}
		sh.mu.RUnlock()
	}
}

// newSubscriber converts a row into the compact form. Status strings are
// interned (a million copies of "active" would cost 16 MB for nothing) and
// unparsable IP rules are kept out rather than allowing everything: an
// entry that cannot be parsed matches no address.
func newSubscriber(r *store.ReadSubscriber) *Subscriber {
	s := &Subscriber{ID: r.ID, ResellerID: r.ResellerID, Login: r.Login, PasswordHash: r.PasswordHash,
		Token: r.Token, Status: internStatus(r.Status), MaxSessions: r.MaxSessions,
		Name: r.Name, Balance: r.Balance, PaymentInfo: r.PaymentInfo, Trial: r.Trial, Version: r.Version,
		CreatedAt: r.CreatedAt}
	if r.ExpiresAt != nil {
		s.ExpiresAt = *r.ExpiresAt
	}
	if len(r.PackageIDs) > 0 {
		s.PackageIDs = slices.Clone(r.PackageIDs)
		slices.Sort(s.PackageIDs)
	}
	if len(r.AllowedIPs) > 0 {
		s.AllowedIPs = make([]netip.Prefix, 0, len(r.AllowedIPs))
		for _, v := range r.AllowedIPs {
			if p, ok := parsePrefix(v); ok {
				s.AllowedIPs = append(s.AllowedIPs, p)
			}
		}
		if len(s.AllowedIPs) == 0 { // every rule unparsable: allow nothing rather than everything
			s.AllowedIPs = []netip.Prefix{{}}
		}
	}
	for _, ua := range r.AllowedUserAgents {
		if ua = strings.TrimSpace(ua); ua != "" {
			s.AllowedUserAgents = append(s.AllowedUserAgents, strings.ToLower(ua))
		}
	}
	return s
}

// parsePrefix accepts an address or a CIDR.
func parsePrefix(v string) (netip.Prefix, bool) {
	v = strings.TrimSpace(v)
	if p, err := netip.ParsePrefix(v); err == nil {
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(v)
	if err != nil {
		return netip.Prefix{}, false
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), true
}

func internStatus(s string) string {
	switch s {
	case StatusActive:
		return StatusActive
	case StatusDisabled:
		return StatusDisabled
	case StatusBanned:
		return StatusBanned
	}
	return s
}
