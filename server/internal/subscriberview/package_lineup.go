package subscriberview

import (
	"context"
	"slices"

	"canale/shared/api"
)

// PackageChannels returns the channel ids of package id when sub may watch
// it (one of theirs, or a free one), for surfaces that show one package's
// line-up alone, such as a per-package tuner; CodeNotFound otherwise, the
// same as a package that does not exist.
func (d *CatalogDirectory) PackageChannels(_ context.Context, sub Subscriber, id int64) ([]int64, error) {
	cs, ok := d.cat.SubscriberByID(sub.ID)
	p, found := d.cat.Package(id)
	if !ok || !found || !p.Free && !slices.Contains(cs.PackageIDs, id) {
		return nil, api.Errorf(api.CodeNotFound, "no such package")
	}
	return p.ChannelIDs, nil
}
