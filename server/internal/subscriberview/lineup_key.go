package subscriberview

import "strconv"

// LineupKey names what sub's line-up is built from: the free packages and
// the catalog are the same for everyone (Version covers them), so it is
// the subscriber's own package set. Subscribers with equal keys see equal
// line-ups, which lets a surface cache one line-up per package set.
func (d *CatalogDirectory) LineupKey(sub Subscriber) string {
	cs, ok := d.cat.SubscriberByID(sub.ID)
	if !ok {
		return "none"
	}
	b := make([]byte, 0, 2+8*len(cs.PackageIDs))
	b = append(b, 'p', ':')
	for i, id := range cs.PackageIDs { // sorted by the read model
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(b)
}
