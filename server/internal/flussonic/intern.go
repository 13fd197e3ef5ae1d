package flussonic

// interner gives stream names as strings, reusing those of the client's
// last listing: a streamer's names rarely change between polls, and a new
// string per stream per poll was most of what a poll allocated.
type interner struct {
	last   map[string]string
	missed bool
}

func (c *Client) interner() *interner {
	in := &interner{}
	if m := c.names.Load(); m != nil {
		in.last = *m
	}
	return in
}

func (in *interner) intern(b []byte) string {
	if s, ok := in.last[string(b)]; ok {
		return s
	}
	in.missed = true
	return string(b)
}

// keep makes streams' names the client's names for the next listing when
// this one saw a name the last did not, or lost one.
func (in *interner) keep(c *Client, streams []Stream) {
	if !in.missed && len(in.last) == len(streams) {
		return
	}
	m := make(map[string]string, len(streams))
	for _, s := range streams {
		m[s.Name] = s.Name
	}
	c.names.Store(&m)
}
