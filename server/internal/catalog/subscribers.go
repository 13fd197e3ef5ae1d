package catalog

import (
	"encoding/binary"
	"hash/maphash"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"canale/server/internal/store"
	"canale/shared/api"
)

// shardCount spreads a million subscribers over enough locks that a writer
// replacing one entry never holds up readers of the others.
const shardCount = 256

var seed = maphash.MakeSeed()

func hashString(s string) uint64 { return maphash.String(seed, s) }

// subscriberIndex finds subscribers by id, token and login. Subscribers are
// stored packed (see packed.go): records hold no pointers, so neither do
// the maps, which go from an id to the position of a record, or from the
// 64-bit hash of a token or lowered login to a keyRef. The rare key whose hash collides with
// another key of its shard goes to the shard's overflow map instead. Each
// key kind is sharded by its own hash; a shard's maps hold only keys of
// that shard.
//
// One writer at a time (the caller serialises them) appends records and
// swaps positions in the maps under the shard's lock; readers take one
// shard's read lock for a lookup and build the *Subscriber they return from
// the record, its strings pointing into the text store.
type subscriberIndex struct {
	shards [shardCount]subShard
	hash   func(string) uint64 // hashString; tests force collisions

	recs   paged[subRecord]
	texts  texts
	sets   paged[[]int64]    // distinct package lists; position 0 is the empty list
	rules  paged[subRules]   // IP and user-agent rules; position 0 is none
	setPos map[string]uint32 // varint key of a package list -> its position; writer only
	key    []byte            // scratch for setPos keys; writer only
	// epoch is the subscribers table's store.ReadCatalog.SubscribersEpoch
	// when the index was loaded; set before it is published.
	epoch int64
	// dead counts records no key leads to any more (replaced or removed):
	// they stay in recs and texts until a full load builds a new index.
	dead atomic.Int64
}

type subShard struct {
	mu       sync.RWMutex
	byID     map[int64]uint32
	byToken  map[uint64]keyRef
	byLogin  map[uint64]keyRef
	overflow map[string]uint32 // "t"+token or "l"+login whose hash another key holds
}

// keyRef is what a token or login hash leads to: the record, and where the
// key's own text is. With both in the map entry, a lookup compares the key
// and reads the record at the same time instead of one after the other;
// over a million subscribers each is a cache miss, and a token check is
// the one every viewer waits for.
type keyRef struct {
	rec uint32
	key text
}

// subRecord is a subscriber without pointers. Times are Unix nanoseconds.
type subRecord struct {
	id, resellerID, version int64
	expiresAt, createdAt    int64
	maxSessions             int32
	status                  uint8
	trial, expires          bool
	deviceOnly              api.DeviceOnly // fits the padding after the bools
	packages, rules         uint32
	login, passwordHash     text
	token, name             text
	balance, paymentInfo    text
}

// subRules are the rare per-subscriber restrictions; they keep their
// pointers, but only subscribers that have rules have an entry.
type subRules struct {
	ips []netip.Prefix
	uas []string
}

// statuses maps a subRecord's status code to its string; unknown statuses
// read from the database are kept as "disabled" is: not active.
var statuses = [...]string{StatusActive, StatusDisabled, StatusBanned}

func statusCode(s string) uint8 {
	for i, v := range statuses {
		if v == s {
			return uint8(i)
		}
	}
	return 1
}

func newSubscriberIndex(sizeHint int) *subscriberIndex {
	x := &subscriberIndex{hash: hashString, setPos: map[string]uint32{}}
	per := sizeHint/shardCount + 1
	for i := range x.shards {
		x.shards[i] = subShard{byID: make(map[int64]uint32, per), byToken: make(map[uint64]keyRef, per),
			byLogin: make(map[uint64]keyRef, per), overflow: map[string]uint32{}}
	}
	x.sets.add(nil)
	x.rules.add(subRules{})
	return x
}

func (x *subscriberIndex) idShard(id int64) *subShard { return &x.shards[uint64(id)%shardCount] }

func (x *subscriberIndex) keyShard(h uint64) *subShard { return &x.shards[h%shardCount] }

func (x *subscriberIndex) byID(id int64) (*Subscriber, bool) {
	sh := x.idShard(id)
	sh.mu.RLock()
	i, ok := sh.byID[id]
	sh.mu.RUnlock()
	if !ok {
		return nil, false
	}
	return x.subscriber(i), true
}

// fillByToken is byToken into a value of the caller's, for the hot path
// that would otherwise allocate one per check.
func (x *subscriberIndex) fillByToken(token string, s *Subscriber) bool {
	i, ok := x.find('t', token)
	if ok {
		x.fill(i, s)
	}
	return ok
}

func (x *subscriberIndex) byToken(token string) (*Subscriber, bool) {
	i, ok := x.find('t', token)
	if !ok {
		return nil, false
	}
	return x.subscriber(i), true
}

func (x *subscriberIndex) byLogin(login string) (*Subscriber, bool) {
	i, ok := x.find('l', strings.ToLower(login))
	if !ok {
		return nil, false
	}
	return x.subscriber(i), true
}

// find looks a token ('t') or lowered login ('l') up.
func (x *subscriberIndex) find(kind byte, key string) (uint32, bool) {
	h := x.hash(key)
	sh := x.keyShard(h)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	if ref, ok := sh.keys(kind)[h]; ok && x.keyIs(kind, ref.key, key) {
		return ref.rec, true
	}
	if len(sh.overflow) == 0 {
		return 0, false
	}
	i, ok := sh.overflow[string(kind)+key]
	return i, ok
}

func (sh *subShard) keys(kind byte) map[uint64]keyRef {
	if kind == 't' {
		return sh.byToken
	}
	return sh.byLogin
}

// keyOf is the token or lowered login of the record at i.
func (x *subscriberIndex) keyOf(kind byte, i uint32) string {
	return x.keyString(kind, x.keyText(kind, i))
}

// keyText is where the token or login of the record at i is stored.
func (x *subscriberIndex) keyText(kind byte, i uint32) text {
	r := x.recs.at(i)
	if kind == 't' {
		return r.token
	}
	return r.login
}

// keyString is the key stored at t: a token as it is, a login lowered.
func (x *subscriberIndex) keyString(kind byte, t text) string {
	if kind == 't' {
		return x.texts.str(t)
	}
	return strings.ToLower(x.texts.str(t))
}

// keyIs reports whether the key stored at t is key.
func (x *subscriberIndex) keyIs(kind byte, t text, key string) bool {
	return x.keyString(kind, t) == key
}

// subscriber builds the value a lookup returns from the record at i.
func (x *subscriberIndex) subscriber(i uint32) *Subscriber {
	s := &Subscriber{}
	x.fill(i, s)
	return s
}

// fill sets s to the subscriber of the record at i.
func (x *subscriberIndex) fill(i uint32, s *Subscriber) {
	r := x.recs.at(i)
	*s = Subscriber{ID: r.id, ResellerID: r.resellerID, Status: statuses[r.status], MaxSessions: int(r.maxSessions),
		Trial: r.trial, Version: int(r.version), CreatedAt: time.Unix(0, r.createdAt), DeviceOnly: r.deviceOnly,
		Login: x.texts.str(r.login), PasswordHash: x.texts.str(r.passwordHash), Token: x.texts.str(r.token),
		Name: x.texts.str(r.name), Balance: x.texts.str(r.balance), PaymentInfo: x.texts.str(r.paymentInfo)}
	if r.expires {
		s.ExpiresAt = time.Unix(0, r.expiresAt)
	}
	if r.packages != 0 {
		s.PackageIDs = *x.sets.at(r.packages)
	}
	if r.rules != 0 {
		rules := x.rules.at(r.rules)
		s.AllowedIPs, s.AllowedUserAgents = rules.ips, rules.uas
	}
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
//
// The new keys are set before the old ones are dropped: a refresh that
// keeps the token (a package or expiry change) must never leave a moment in
// which a play check finds no subscriber for it. dropKey removes a key only
// while it still points at the old record, so a kept key stays.
func (x *subscriberIndex) put(s *Subscriber) {
	i := x.recs.add(x.record(s))
	x.setKey('t', s.Token, i)
	x.setKey('l', strings.ToLower(s.Login), i)
	sh := x.idShard(s.ID)
	sh.mu.Lock()
	old, had := sh.byID[s.ID]
	sh.byID[s.ID] = i
	sh.mu.Unlock()
	if had {
		x.dead.Add(1)
		x.dropKey('t', x.keyOf('t', old), old)
		x.dropKey('l', x.keyOf('l', old), old)
	}
}

// remove drops the subscriber with id, if present.
func (x *subscriberIndex) remove(id int64) {
	sh := x.idShard(id)
	sh.mu.Lock()
	old, had := sh.byID[id]
	delete(sh.byID, id)
	sh.mu.Unlock()
	if had {
		x.dead.Add(1)
		x.dropKey('t', x.keyOf('t', old), old)
		x.dropKey('l', x.keyOf('l', old), old)
	}
}

// setKey points key at the record i, in the overflow map when another key
// of the shard holds its hash.
func (x *subscriberIndex) setKey(kind byte, key string, i uint32) {
	h := x.hash(key)
	sh := x.keyShard(h)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	m := sh.keys(kind)
	if ref, taken := m[h]; taken && !x.keyIs(kind, ref.key, key) {
		sh.overflow[string(kind)+key] = i
		return
	}
	m[h] = keyRef{rec: i, key: x.keyText(kind, i)}
}

// dropKey removes key if it still points at the record i (a newer record
// of another subscriber may have taken it over).
func (x *subscriberIndex) dropKey(kind byte, key string, i uint32) {
	h := x.hash(key)
	sh := x.keyShard(h)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if m := sh.keys(kind); m[h].rec == i {
		delete(m, h) // a missing key reads as 0 and deletes nothing
	}
	if j, ok := sh.overflow[string(kind)+key]; ok && j == i {
		delete(sh.overflow, string(kind)+key)
	}
}

// record packs s, copying its strings into the text store and interning
// its package list.
func (x *subscriberIndex) record(s *Subscriber) subRecord {
	r := subRecord{id: s.ID, resellerID: s.ResellerID, version: int64(s.Version), maxSessions: int32(s.MaxSessions),
		status: statusCode(s.Status), trial: s.Trial, createdAt: s.CreatedAt.UnixNano(), deviceOnly: s.DeviceOnly,
		login: x.texts.add(s.Login), passwordHash: x.texts.add(s.PasswordHash), token: x.texts.add(s.Token),
		name: x.texts.add(s.Name), balance: x.texts.add(s.Balance), paymentInfo: x.texts.add(s.PaymentInfo),
		packages: x.packageList(s.PackageIDs)}
	if !s.ExpiresAt.IsZero() {
		r.expires, r.expiresAt = true, s.ExpiresAt.UnixNano()
	}
	if len(s.AllowedIPs) > 0 || len(s.AllowedUserAgents) > 0 {
		r.rules = x.rules.add(subRules{ips: slices.Clone(s.AllowedIPs), uas: slices.Clone(s.AllowedUserAgents)})
	}
	return r
}

// packageList interns a sorted package list: a million subscribers hold a
// few hundred distinct lists.
func (x *subscriberIndex) packageList(ids []int64) uint32 {
	if len(ids) == 0 {
		return 0
	}
	x.key = x.key[:0]
	for _, id := range ids {
		x.key = binary.AppendVarint(x.key, id)
	}
	if i, ok := x.setPos[string(x.key)]; ok {
		return i
	}
	i := x.sets.add(slices.Clone(ids))
	x.setPos[string(x.key)] = i
	return i
}

// each calls fn for every subscriber, shard by shard, under read locks.
func (x *subscriberIndex) each(fn func(*Subscriber) bool) {
	for i := range x.shards {
		sh := &x.shards[i]
		sh.mu.RLock()
		for _, j := range sh.byID {
			if !fn(x.subscriber(j)) {
				sh.mu.RUnlock()
				return
			}
		}
		sh.mu.RUnlock()
	}
}

// newSubscriber converts a row into a Subscriber (see fillSubscriber).
func newSubscriber(r *store.ReadSubscriber) *Subscriber {
	s := &Subscriber{}
	fillSubscriber(s, r)
	return s
}

// fillSubscriber converts a row into a Subscriber, ready for put: package
// ids sorted (in r's own slice, which put copies), and unparsable IP rules
// kept out rather than allowing everything: an entry that cannot be parsed
// matches no address.
func fillSubscriber(s *Subscriber, r *store.ReadSubscriber) {
	*s = Subscriber{ID: r.ID, ResellerID: r.ResellerID, Login: r.Login, PasswordHash: r.PasswordHash,
		Token: r.Token, Status: r.Status, MaxSessions: r.MaxSessions,
		Name: r.Name, Balance: r.Balance, PaymentInfo: r.PaymentInfo, Trial: r.Trial, Version: r.Version,
		CreatedAt: r.CreatedAt, DeviceOnly: r.DeviceOnly}
	if r.ExpiresAt != nil {
		s.ExpiresAt = *r.ExpiresAt
	}
	if len(r.PackageIDs) > 0 {
		slices.Sort(r.PackageIDs)
		s.PackageIDs = r.PackageIDs
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
		switch {
		case ua == "=": // exact, of nothing: no rule
		case strings.HasPrefix(ua, "="):
			s.AllowedUserAgents = append(s.AllowedUserAgents, ua) // exact: case and spaces count
		case strings.TrimSpace(ua) != "":
			s.AllowedUserAgents = append(s.AllowedUserAgents, strings.ToLower(strings.TrimSpace(ua)))
		}
	}
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
