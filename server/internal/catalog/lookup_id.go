package catalog

// LookupSubscriber sets *s to the subscriber with that id, without
// allocating: the Stalker portal reads its box's subscriber on every call,
// as play authorization reads a token's (LookupToken).
func (c *Catalog) LookupSubscriber(id int64, s *Subscriber) bool {
	return c.subs.Load().fillByID(id, s)
}

// fillByID is byID into a value of the caller's.
func (x *subscriberIndex) fillByID(id int64, s *Subscriber) bool {
	sh := x.idShard(id)
	sh.mu.RLock()
	i, ok := sh.byID[id]
	sh.mu.RUnlock()
	if ok {
		x.fill(i, s)
	}
	return ok
}
