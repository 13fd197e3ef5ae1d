package subscriberview

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"canale/server/internal/catalog"
	"canale/shared/api"
)

// TokenResetter gives a subscriber a new playback token in the database;
// *store.Store is one.
type TokenResetter interface {
	ResetSubscriberToken(ctx context.Context, actor api.Actor, id int64) (api.Subscriber, error)
}

// CatalogDirectory answers the subscriber-facing surfaces from the in-memory
// read model, so playlists, the Xtream API and the portal never query
// PostgreSQL to read and keep answering while it is briefly away. Only the
// token reset writes (to the database); it then refreshes the subscriber in
// the model, so the instance that made the change serves it at once.
type CatalogDirectory struct {
	cat    *catalog.Catalog
	writer TokenResetter
}

// NewCatalogDirectory returns a CatalogDirectory over cat, writing through w.
func NewCatalogDirectory(cat *catalog.Catalog, w TokenResetter) *CatalogDirectory {
	return &CatalogDirectory{cat: cat, writer: w}
}

// Version changes whenever the line-up of any subscriber may have changed
// apart from the subscriber's own row, whose Version covers the rest.
func (d *CatalogDirectory) Version() uint64 { return d.cat.Version() }

// SubscriberByLogin returns the subscriber with that login, or CodeNotFound.
func (d *CatalogDirectory) SubscriberByLogin(_ context.Context, login string) (Subscriber, error) {
	return d.found(d.cat.SubscriberByLogin(login))
}

// SubscriberByToken returns the subscriber holding that playback token, or
// CodeNotFound.
func (d *CatalogDirectory) SubscriberByToken(_ context.Context, token string) (Subscriber, error) {
	if token == "" {
		return Subscriber{}, api.Errorf(api.CodeNotFound, "no token")
	}
	return d.found(d.cat.SubscriberByToken(token))
}

// SubscriberByID returns the subscriber with that id, or CodeNotFound.
func (d *CatalogDirectory) SubscriberByID(_ context.Context, id int64) (Subscriber, error) {
	var s catalog.Subscriber // filled in place: the Stalker portal asks on every call
	ok := d.cat.LookupSubscriber(id, &s)
	return d.found(&s, ok)
}

func (d *CatalogDirectory) found(s *catalog.Subscriber, ok bool) (Subscriber, error) {
	if !ok {
		return Subscriber{}, api.Errorf(api.CodeNotFound, "no such subscriber")
	}
	out := fromCatalog(s)
	if r, ok := d.cat.Reseller(s.ResellerID); ok {
		out.LinkBase = r.LinkBase
	}
	return out, nil
}

func fromCatalog(s *catalog.Subscriber) Subscriber {
	return Subscriber{ID: s.ID, Login: s.Login, PasswordHash: s.PasswordHash, Name: s.Name, Token: s.Token,
		Status: s.Status, ExpiresAt: s.ExpiresAt, MaxSessions: s.MaxSessions, Balance: s.Balance,
		PaymentInfo: s.PaymentInfo, Trial: s.Trial, Version: s.Version, CreatedAt: s.CreatedAt, DeviceOnly: s.DeviceOnly}
}

// Packages returns the packages the subscriber holds, by name.
func (d *CatalogDirectory) Packages(_ context.Context, sub Subscriber) ([]Package, error) {
	cs, ok := d.cat.SubscriberByID(sub.ID)
	if !ok {
		return nil, nil
	}
	var out []Package
	for _, id := range cs.PackageIDs {
		if p, ok := d.cat.Package(id); ok {
			out = append(out, Package{ID: p.ID, Name: p.Name, Description: p.Description, Price: p.Price,
				Currency: p.Currency, PeriodDays: p.PeriodDays})
		}
	}
	slices.SortFunc(out, func(a, b Package) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	return out, nil
}

// Lineup returns what the subscriber may watch: enabled channels that are
// free or in a free package or one of theirs, by number; enabled VOD in such
// a package, by title; and the categories holding any of them.
func (d *CatalogDirectory) Lineup(_ context.Context, sub Subscriber) (Lineup, error) {
	cs, ok := d.cat.SubscriberByID(sub.ID)
	if !ok {
		return Lineup{}, nil
	}
	chans, vods := d.entitlements(cs)
	var l Lineup
	used := map[int64]bool{}
	for _, c := range d.cat.Channels() {
		if !c.Enabled || !(c.Free || chans[c.ID]) {
			continue
		}
		used[c.CategoryID] = true
		l.Channels = append(l.Channels, Channel{ID: c.ID, Name: c.Name, Title: c.Title, LogoURL: c.LogoURL,
			HasLogo: c.HasLogo, CategoryID: c.CategoryID, Number: c.Number, EPGChannelID: c.EPGChannelID,
			DVRDays: c.DVRDays, Added: c.CreatedAt})
	}
	for _, v := range d.cat.VODs() {
		if !v.Enabled || !vods[v.ID] {
			continue
		}
		used[v.CategoryID] = true
		l.VOD = append(l.VOD, VOD{ID: v.ID, Title: v.Title, StreamName: v.StreamName, Container: v.Container,
			CategoryID: v.CategoryID, PosterURL: v.PosterURL, Description: v.Description, DurationS: v.DurationS,
			Year: v.Year, Rating: v.Rating, Added: v.CreatedAt, OriginalTitle: v.OriginalTitle, Metadata: v.Metadata})
	}
	slices.SortStableFunc(l.VOD, func(a, b VOD) int {
		if c := strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	l.Series = d.seriesOf(cs)
	for _, s := range l.Series {
		used[s.CategoryID] = true
	}
	for _, c := range d.cat.Categories() {
		switch {
		case !used[c.ID]:
		case c.Kind == "live":
			l.LiveCategories = append(l.LiveCategories, Category{ID: c.ID, Name: c.Name})
		case c.Kind == api.CategorySeries:
			l.SeriesCategories = append(l.SeriesCategories, Category{ID: c.ID, Name: c.Name})
		default:
			l.VODCategories = append(l.VODCategories, Category{ID: c.ID, Name: c.Name})
		}
	}
	return l, nil
}

// entitlements collects the channel and VOD ids of the free packages and the
// subscriber's packages, so the line-up is one pass over the catalog.
func (d *CatalogDirectory) entitlements(s *catalog.Subscriber) (chans, vods map[int64]bool) {
	chans, vods = map[int64]bool{}, map[int64]bool{}
	d.eachPackage(s, func(p *catalog.Package) {
		for _, id := range p.ChannelIDs {
			chans[id] = true
		}
		for _, id := range p.VODIDs {
			vods[id] = true
		}
	})
	return chans, vods
}

// eachPackage calls fn for every free package and every package of s.
func (d *CatalogDirectory) eachPackage(s *catalog.Subscriber, fn func(*catalog.Package)) {
	for _, p := range d.cat.FreePackages() {
		fn(p)
	}
	for _, id := range s.PackageIDs {
		if p, ok := d.cat.Package(id); ok {
			fn(p)
		}
	}
}

// ResetToken gives the subscriber a new playback token in the database
// (audited and announced to every instance) and refreshes the subscriber in
// this instance's model before returning, so the old token is refused here
// at once rather than when the notification comes round.
func (d *CatalogDirectory) ResetToken(ctx context.Context, actor api.Actor, id int64) (string, error) {
	sub, err := d.writer.ResetSubscriberToken(ctx, actor, id)
	if err != nil {
		return "", err
	}
	if err := d.cat.RefreshSubscriber(ctx, id); err != nil {
		return "", fmt.Errorf("refresh subscriber %d after token reset: %w", id, err)
	}
	return sub.Token, nil
}
