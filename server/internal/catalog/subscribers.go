package catalog

import (
	"encoding/binary"
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

// indexOf builds an index of subs with every map sized for them up front
// (growing a million-entry map rehashes it a dozen times).
func indexOf(subs []*Subscriber) *subscriberIndex {
	var ids, tokens, logins [shardCount]int
	lowered := make([]string, len(subs))
	for i, s := range subs {
		lowered[i] = strings.ToLower(s.Login)
		ids[idShard(s.ID)]++
		tokens[strShard(s.Token)]++
		logins[strShard(lowered[i])]++
	}
	x := &subscriberIndex{}
	for i := range x.shards {
		x.shards[i] = subShard{byID: make(map[int64]*Subscriber, ids[i]),
			byToken: make(map[string]*Subscriber, tokens[i]), byLogin: make(map[string]*Subscriber, logins[i])}
	}
	for i, s := range subs {
		x.shards[idShard(s.ID)].byID[s.ID] = s
		x.shards[strShard(s.Token)].byToken[s.Token] = s
		x.shards[strShard(lowered[i])].byLogin[lowered[i]] = s
	}
	return x
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

// newSubscriber converts a row into the compact form (see fillSubscriber).
func newSubscriber(r *store.ReadSubscriber) *Subscriber {
	s := &Subscriber{}
	fillSubscriber(s, r, nil)
	return s
}

// fillSubscriber converts a row into the compact form. Status strings are
// interned (a million copies of "active" would cost 16 MB for nothing),
// package lists too when sets is given (most subscribers share a handful of
// package sets), and unparsable IP rules are kept out rather than allowing
// everything: an entry that cannot be parsed matches no address.
func fillSubscriber(s *Subscriber, r *store.ReadSubscriber, sets *packageSets) {
	*s = Subscriber{ID: r.ID, ResellerID: r.ResellerID, Login: r.Login, PasswordHash: r.PasswordHash,
		Token: r.Token, Status: internStatus(r.Status), MaxSessions: r.MaxSessions,
		Name: r.Name, Balance: r.Balance, PaymentInfo: r.PaymentInfo, Trial: r.Trial, Version: r.Version,
		CreatedAt: r.CreatedAt}
	if r.ExpiresAt != nil {
		s.ExpiresAt = *r.ExpiresAt
	}
	if len(r.PackageIDs) > 0 {
		s.PackageIDs = sets.intern(r.PackageIDs)
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
}

// packageSets interns sorted package lists during a full load, so a million
// subscribers holding a few hundred distinct sets share their slices. A nil
// *packageSets interns nothing and only copies. Shared slices are safe
// because published subscribers are never modified.
type packageSets struct {
	byKey map[string][]int64
	key   []byte
}

func newPackageSets() *packageSets { return &packageSets{byKey: map[string][]int64{}} }

// intern returns a sorted copy of ids that the caller must not modify; ids
// itself is not kept.
func (p *packageSets) intern(ids []int64) []int64 {
	if p == nil || !slices.IsSorted(ids) {
		out := slices.Clone(ids)
		slices.Sort(out)
		return out
	}
	p.key = p.key[:0]
	for _, id := range ids {
		p.key = binary.AppendVarint(p.key, id)
	}
	if out, ok := p.byKey[string(p.key)]; ok {
		return out
	}
	out := slices.Clone(ids)
	p.byKey[string(p.key)] = out
	return out
}

// subscriberSlab hands out subscribers from chunks, so a full load makes a
// few hundred allocations instead of a million. A chunk lives as long as
// any of its subscribers is published; a full reload frees them together.
type subscriberSlab struct {
	chunk []Subscriber
	all   []*Subscriber
}

const slabChunk = 4096

func (s *subscriberSlab) next() *Subscriber {
	if len(s.chunk) == 0 {
		s.chunk = make([]Subscriber, slabChunk)
	}
	sub := &s.chunk[0]
	s.chunk = s.chunk[1:]
	s.all = append(s.all, sub)
	return sub
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
