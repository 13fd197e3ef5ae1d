package client

import (
	"net/url"
	"strconv"
	"time"

	"canale/shared/api"
)

// The filter encoders below turn each store filter of shared/api into the
// query parameters its list handler reads, so a list call takes the same
// api.<Entity>Filter the handler hands to the store: one shape from the
// client down to the SQL. Zero fields do not filter, as in the store.

func channelQuery(f api.ChannelFilter) url.Values {
	q := url.Values{}
	setNonZero(q, "category_id", f.CategoryID)
	setNonZero(q, "pipeline_id", f.PipelineID)
	setBool(q, "enabled", f.Enabled)
	return q
}

func categoryQuery(f api.CategoryFilter) url.Values {
	q := url.Values{}
	setNonZero(q, "kind", f.Kind)
	return q
}

func packageQuery(f api.PackageFilter) url.Values {
	q := url.Values{}
	setNonZero(q, "channel_id", f.ChannelID)
	setBool(q, "free", f.Free)
	return q
}

func pipelineQuery(f api.PipelineFilter) url.Values {
	q := url.Values{}
	setNonZero(q, "streamer_id", f.StreamerID)
	return q
}

func streamerQuery(f api.StreamerFilter) url.Values {
	q := url.Values{}
	setNonZero(q, "role", f.Role)
	setBool(q, "enabled", f.Enabled)
	return q
}

func vodQuery(f api.VODFilter) url.Values {
	q := url.Values{}
	setNonZero(q, "category_id", f.CategoryID)
	setBool(q, "enabled", f.Enabled)
	return q
}

func seriesQuery(f api.SeriesFilter) url.Values {
	q := url.Values{}
	setNonZero(q, "category_id", f.CategoryID)
	setBool(q, "enabled", f.Enabled)
	return q
}

func seasonQuery(f api.SeasonFilter) url.Values {
	q := url.Values{}
	setNonZero(q, "series_id", f.SeriesID)
	return q
}

func episodeQuery(f api.EpisodeFilter) url.Values {
	q := url.Values{}
	setNonZero(q, "season_id", f.SeasonID)
	setNonZero(q, "series_id", f.SeriesID)
	return q
}

func epgSourceQuery(f api.EPGSourceFilter) url.Values {
	q := url.Values{}
	setBool(q, "enabled", f.Enabled)
	return q
}

func resellerQuery(f api.ResellerFilter) url.Values {
	q := url.Values{}
	setNonZero(q, "parent_id", f.ParentID)
	setNonZero(q, "status", f.Status)
	return q
}

func subscriberQuery(f api.SubscriberFilter) url.Values {
	q := url.Values{}
	setNonZero(q, "status", f.Status)
	setNonZero(q, "package_id", f.PackageID)
	setNonZero(q, "reseller_id", f.ResellerID)
	setTime(q, "expires_before", f.ExpiresBefore)
	return q
}

func playSessionQuery(f api.PlaySessionFilter) url.Values {
	q := url.Values{}
	setNonZero(q, "channel", f.Channel)
	setNonZero(q, "subscriber", f.SubscriberLogin)
	setNonZero(q, "subscriber_id", f.SubscriberID)
	setNonZero(q, "streamer_id", f.StreamerID)
	if f.History {
		q.Set("history", strconv.FormatBool(true))
	}
	return q
}

func playRefusalQuery(f api.PlayRefusalFilter) url.Values {
	q := url.Values{}
	setNonZero(q, "subscriber", f.SubscriberLogin)
	setNonZero(q, "reason", f.Reason)
	setTime(q, "since", f.Since)
	return q
}

// setBool sets key when the tri-state filter b is set.
func setBool(q url.Values, key string, b *bool) {
	if b != nil {
		q.Set(key, strconv.FormatBool(*b))
	}
}

// setTime sets key as RFC 3339 in UTC when t is set.
func setTime(q url.Values, key string, t time.Time) {
	if !t.IsZero() {
		q.Set(key, t.UTC().Format(time.RFC3339))
	}
}
