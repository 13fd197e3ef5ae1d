package catalog

// SubscriberByToken finds the subscriber holding a playback token.
func (c *Catalog) SubscriberByToken(token string) (*Subscriber, bool) {
	return c.subs.Load().byToken(token)
}

// LookupToken sets *s to the subscriber holding a playback token, without
// allocating: play authorization asks once per viewer check.
func (c *Catalog) LookupToken(token string, s *Subscriber) bool {
	return c.subs.Load().fillByToken(token, s)
}

// SubscriberByID finds a subscriber by id.
func (c *Catalog) SubscriberByID(id int64) (*Subscriber, bool) { return c.subs.Load().byID(id) }

// SubscriberByLogin finds a subscriber by login, case-insensitively.
func (c *Catalog) SubscriberByLogin(login string) (*Subscriber, bool) {
	return c.subs.Load().byLogin(login)
}

// SubscriberCount is the number of subscribers in the model.
func (c *Catalog) SubscriberCount() int { return c.subs.Load().count() }

// EachSubscriber calls fn for every subscriber until fn returns false.
func (c *Catalog) EachSubscriber(fn func(*Subscriber) bool) { c.subs.Load().each(fn) }

// Channel finds a channel by its stream name.
func (c *Catalog) Channel(name string) (*Channel, bool) {
	ch, ok := c.small.Load().channelsByName[name]
	return ch, ok
}

// ChannelByID finds a channel by id.
func (c *Catalog) ChannelByID(id int64) (*Channel, bool) {
	ch, ok := c.small.Load().channelsByID[id]
	return ch, ok
}

// Channels lists every channel by number, then id. The slice is shared: do
// not modify it.
func (c *Catalog) Channels() []*Channel { return c.small.Load().channels }

// Categories lists the categories by position, then id.
func (c *Catalog) Categories() []Category { return c.small.Load().categories }

// VOD finds a VOD item by id.
func (c *Catalog) VOD(id int64) (*VOD, bool) {
	v, ok := c.small.Load().vodByID[id]
	return v, ok
}

// VODs lists every VOD item by id.
func (c *Catalog) VODs() []*VOD { return c.small.Load().vod }

// Package finds a package by id.
func (c *Catalog) Package(id int64) (*Package, bool) {
	p, ok := c.small.Load().packagesByID[id]
	return p, ok
}

// Packages lists every package by id.
func (c *Catalog) Packages() []*Package { return c.small.Load().packages }

// FreePackages lists the packages every subscriber gets.
func (c *Catalog) FreePackages() []*Package { return c.small.Load().freePackages }

// Reseller finds a reseller by id.
func (c *Catalog) Reseller(id int64) (Reseller, bool) {
	r, ok := c.small.Load().resellers[id]
	return r, ok
}

// ResellerActive reports whether a reseller and every reseller above it are
// active; 0 (the operator) is always active, an unknown reseller is not.
func (c *Catalog) ResellerActive(id int64) bool {
	m := c.small.Load()
	for depth := 0; id != 0 && depth < 16; depth++ {
		r, ok := m.resellers[id]
		if !ok || !r.Active {
			return false
		}
		id = r.ParentID
	}
	return id == 0
}

// Streamers lists the registered streamers.
func (c *Catalog) Streamers() []*Streamer { return c.small.Load().streamers }

// StreamerByID finds a registered streamer.
func (c *Catalog) StreamerByID(id int64) (*Streamer, bool) {
	for _, s := range c.small.Load().streamers {
		if s.ID == id {
			return s, true
		}
	}
	return nil, false
}

// StreamerByHost finds the registered streamer whose API or public URL names
// host (an IP or hostname, with or without a port).
func (c *Catalog) StreamerByHost(host string) (*Streamer, bool) {
	return c.small.Load().streamerByHost(host)
}

// Settings returns the installation's settings.
func (c *Catalog) Settings() Settings { return c.small.Load().settings }

// Entitled reports whether the subscriber may watch the channel: the channel
// is free, or in a free package, or in one of the subscriber's packages. It
// does not look at the channel's Enabled flag or the subscriber's status.
func (c *Catalog) Entitled(s *Subscriber, ch *Channel) bool {
	return ch.Free || ch.inFreePackage || intersect(s.PackageIDs, ch.packages)
}

// intersect reports whether two sorted lists share an id.
func intersect(a, b []int64) bool {
	for len(a) > 0 && len(b) > 0 {
		switch {
		case a[0] == b[0]:
			return true
		case a[0] < b[0]:
			a = a[1:]
		default:
			b = b[1:]
		}
	}
	return false
}
