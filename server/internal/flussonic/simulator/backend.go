package simulator

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"
)

// answer is the backend's reply to one auth question.
type answer struct {
	status      int
	err         error
	duration    time.Duration
	userID      string
	maxSessions int
	location    string
	dvrLimited  bool
	dvrRanges   []dvrRange
}

// ask puts one question about ss to the stream's on_play backend and
// applies the answer. The caller holds ss.ask.
func (s *Simulator) ask(ctx context.Context, ss *session) {
	st, _ := s.Stream(ss.name)
	authURL := st.AuthURL
	if authURL == "" {
		authURL = s.opts.AuthURL
	}
	streamClients := st.Clients + int64(s.auth.openCount(ss.name))
	totalClients := s.auth.totalOpen()
	q := s.auth.question(ss, streamClients, totalClients)
	var ans answer
	if authURL == "" {
		ans = answer{status: http.StatusOK} // no backend configured: allow all
	} else {
		ans = s.callBackend(ctx, authURL, q)
	}
	s.auth.apply(ss, ans, s.opts.AuthDuration)
}

// question builds the query string Flussonic sends (specs/flussonic.md §1.3).
func (a *authState) question(ss *session, streamClients int64, totalClients int) url.Values {
	a.mu.Lock()
	defer a.mu.Unlock()
	reqType := "new_session"
	if ss.decided {
		reqType = "update_session"
	}
	q := url.Values{
		"name": {ss.name}, "proto": {ss.proto}, "ip": {ss.ip},
		"request_type": {reqType}, "request_number": {strconv.Itoa(ss.requestNumber)},
		"session_id": {ss.id}, "token": {ss.token},
		"stream_clients": {strconv.FormatInt(streamClients, 10)},
		"total_clients":  {strconv.Itoa(totalClients)},
		"qs":             {ss.qs}, "user_agent": {ss.userAgent}, "referer": {ss.referer},
	}
	if ss.decided {
		q.Set("duration", strconv.FormatInt(int64(a.now().Sub(ss.openedAt).Seconds()), 10))
		q.Set("bytes", strconv.FormatInt(ss.bytes, 10))
	}
	if ss.dvr {
		q.Set("dvr", "true")
	}
	ss.requestNumber++
	a.counters.Requests++
	if ss.decided {
		a.counters.UpdateSessions++
	} else {
		a.counters.NewSessions++
	}
	a.record(q)
	return q
}

// callBackend sends GET authURL with q added to any query the URL already has.
func (s *Simulator) callBackend(ctx context.Context, authURL string, q url.Values) answer {
	u, err := url.Parse(authURL)
	if err != nil {
		return answer{err: err}
	}
	merged := u.Query()
	for k, v := range q {
		merged[k] = v
	}
	u.RawQuery = merged.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return answer{err: err}
	}
	client := *s.opts.HTTPClient
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	if err != nil {
		s.log.Warn("auth backend unreachable", "error", err, "url", authURL)
		return answer{err: err}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	return parseAnswer(resp, body)
}

func parseAnswer(resp *http.Response, body []byte) answer {
	ans := answer{status: resp.StatusCode, location: resp.Header.Get("Location"),
		userID: resp.Header.Get("X-UserId")}
	if d, err := strconv.Atoi(resp.Header.Get("X-AuthDuration")); err == nil && d >= 0 {
		ans.duration = time.Duration(d) * time.Second
	}
	if n, err := strconv.Atoi(resp.Header.Get("X-Max-Sessions")); err == nil {
		ans.maxSessions = n
	}
	if u, _ := strconv.ParseBool(resp.Header.Get("X-Unique")); u && ans.maxSessions == 0 {
		ans.maxSessions = 1
	}
	var b struct {
		Ranges *[]struct {
			OpenedAt int64 `json:"opened_at"`
			ClosedAt int64 `json:"closed_at"`
		} `json:"allowed_dvr_ranges"`
	}
	if resp.StatusCode == http.StatusOK && json.Unmarshal(body, &b) == nil && b.Ranges != nil {
		ans.dvrLimited = true
		for _, r := range *b.Ranges {
			ans.dvrRanges = append(ans.dvrRanges, dvrRange{from: r.OpenedAt, to: r.ClosedAt})
		}
	}
	return ans
}

// apply records the backend's answer on the session: 200 allows, 302
// redirects, 5xx or no answer keeps the last decision for a while, and
// anything else refuses. Refusals close the session (a killed MPEG-TS
// answer ends at once) and are cached for X-AuthDuration.
func (a *authState) apply(ss *session, ans answer, defaultDuration time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	defer a.gen.Add(1)
	now := a.now()
	dur := defaultDuration
	if ans.duration > 0 {
		dur = ans.duration
	}
	switch {
	case ans.err != nil || ans.status >= 500:
		a.counters.BackendErrors++
		if ss.decided { // stale cache: keep the last decision a little longer
			ss.authUntil = now.Add(staleRetry)
		}
		return
	case ans.status == http.StatusOK:
		a.counters.Allowed++
		ss.allowed, ss.redirect = true, ""
		ss.userID, ss.maxSessions = ans.userID, ans.maxSessions
		ss.dvrLimited, ss.dvrRanges = ans.dvrLimited, ans.dvrRanges
	case ans.status == http.StatusFound && ans.location != "":
		a.counters.Redirected++
		ss.allowed, ss.redirect = false, ans.location
		ss.closeLocked()
	default:
		a.counters.Denied++
		ss.allowed = false
		ss.closeLocked()
	}
	ss.decided, ss.authUntil = true, now.Add(dur)
	if ss.allowed {
		a.enforceLimitLocked(ss, now, dur)
	}
}

// enforceLimitLocked cuts the user's oldest other sessions beyond
// X-Max-Sessions and bans them for X-AuthDuration. Which session Flussonic
// cuts is not documented; cutting the oldest lets the newest viewer in.
func (a *authState) enforceLimitLocked(ss *session, now time.Time, dur time.Duration) {
	if ss.userID == "" || ss.maxSessions <= 0 {
		return
	}
	var others []*session
	for _, o := range a.sessions {
		if o != ss && o.userID == ss.userID && o.openLocked(now, a.idle) {
			others = append(others, o)
		}
	}
	sort.Slice(others, func(i, j int) bool { return others[i].openedAt.Before(others[j].openedAt) })
	for len(others) >= ss.maxSessions {
		cut := others[0]
		others = others[1:]
		cut.closeLocked()
		a.bans[cut.key] = now.Add(dur)
		a.forgetLocked(cut)
	}
}

// allowsDVR reports whether the backend's allowed_dvr_ranges cover from.
func (a *authState) allowsDVR(ss *session, from int64) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !ss.dvrLimited {
		return true
	}
	for _, r := range ss.dvrRanges {
		if from >= r.from && from < r.to {
			return true
		}
	}
	return false
}
