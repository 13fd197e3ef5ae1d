package playauth

import "canale/server/internal/catalog"

// checkOnDemand decides a play of a movie's or an episode's file, which a
// streamer's VOD location asks about by its stream name
// (`vod/films/a.mkv`) as it asks about a channel. Both ways a player gets
// such a URL arrive here: an Xtream app's /movie/ and /series/ redirect
// carries the subscriber's own token, a Stalker box's create_link a minted
// one bound to the file (its channel is minus the file's id, and the
// signature names the file). The rules are the line-ups': the file is
// enabled and in a free package or one of the subscriber's; then the
// subscriber's address and user-agent lists apply, and the session is
// admitted under the same limit as a live play. A name that is neither a
// channel nor a file is an unknown channel, as before.
func (s *Service) checkOnDemand(r Request, sub *catalog.Subscriber, mintedChannel int64) Reason {
	files := s.Catalog.OnDemandByName(r.Name)
	switch {
	case len(files) == 0:
		return ReasonUnknownChannel
	case mintedChannel > 0: // a live channel's link opens no file
		return ReasonUnknownToken
	case r.DVR: // a file has no archive
		return ReasonDVRNotAllowed
	}
	reason := ReasonUnknownToken // a minted link whose file is none of these
	for _, f := range files {
		switch {
		case mintedChannel < 0 && f.ID() != -mintedChannel:
		case !f.Enabled():
			reason = ReasonChannelDisabled
		case !s.Catalog.EntitledOnDemand(sub, f):
			reason = ReasonNotInPackage
		default:
			return viewerAllowed(sub, r.IP, r.UserAgent)
		}
	}
	return reason
}
