package simulator

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxConfigPages bounds cursor paging against a misbehaving backend.
const maxConfigPages = 1000

// externalStream is the part of a stream_config the simulator uses.
type externalStream struct {
	Name   string          `json:"name"`
	Static *bool           `json:"static"`
	OnPlay json.RawMessage `json:"on_play"`
	Auth   json.RawMessage `json:"auth"` // the older directive
	DVR    *struct {
		Expiration int64 `json:"expiration"` // seconds of archive kept
	} `json:"dvr"`
}

// authURL reads on_play (or auth) as {"url":..} or as a bare string.
func (e externalStream) authURL() string {
	for _, raw := range []json.RawMessage{e.OnPlay, e.Auth} {
		var obj struct {
			URL string `json:"url"`
		}
		var str string
		switch {
		case json.Unmarshal(raw, &obj) == nil && obj.URL != "":
			return obj.URL
		case json.Unmarshal(raw, &str) == nil && str != "":
			return str
		}
	}
	return ""
}

// Refresh pulls GET <config_external>/streams?host=<hostname> (following
// next cursors) and adopts the list: new streams appear, listed ones get
// their on_play URL, and streams adopted earlier but no longer listed stop.
// On failure nothing changes and the streamer reports
// streamer_status config_external_error, as Flussonic does.
func (s *Simulator) Refresh(ctx context.Context) error {
	if s.configExternal() == "" {
		return fmt.Errorf("refresh: no config_external URL")
	}
	list, err := s.pullExternal(ctx, url.Values{"host": {s.opts.Hostname}})
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.status = "config_external_error"
		s.changedLocked()
		return err
	}
	s.status = "running"
	keep := map[string]bool{}
	for _, e := range list {
		keep[e.Name] = true
		s.adoptLocked(e)
	}
	for name, st := range s.streams {
		if st.External && !keep[name] {
			delete(s.streams, name)
		}
	}
	s.changedLocked()
	return nil
}

// SetConfigExternal points the simulator at a config_external URL after it
// started: the demo starts its streamers listening before Canale knows
// them (so the first poll finds them answering) and before the URL's
// secret exists. Call Refresh to pull at once.
func (s *Simulator) SetConfigExternal(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.ConfigExternal = u
}

func (s *Simulator) configExternal() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opts.ConfigExternal
}

// lookupExternal asks config_external about one unknown stream a player
// requested (GET <base>/streams?host=..&name=..) and adopts it if listed.
func (s *Simulator) lookupExternal(ctx context.Context, name string) bool {
	if s.configExternal() == "" {
		return false
	}
	list, err := s.pullExternal(ctx, url.Values{"host": {s.opts.Hostname}, "name": {name}})
	if err != nil {
		s.log.Warn("config_external lookup", "error", err, "stream", name)
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	found := false
	for _, e := range list {
		if e.Name == name {
			s.adoptLocked(e)
			found = true
		}
	}
	s.changedLocked()
	return found
}

func (s *Simulator) adoptLocked(e externalStream) {
	st, ok := s.streams[e.Name]
	if !ok {
		st = Stream{Name: e.Name, Alive: true, InputKbps: s.opts.DefaultKbps, OutputKbps: s.opts.DefaultKbps}
	}
	st.External = true
	st.OnDemand = e.Static != nil && !*e.Static
	st.AuthURL = e.authURL()
	st.DVRFrom, st.DVRDepth = time.Time{}, 0
	if e.DVR != nil && e.DVR.Expiration > 0 {
		// A simulated archive is full from the first moment: the loop
		// stands for every recorded second of the depth.
		st.DVRDepth = time.Duration(e.DVR.Expiration) * time.Second
		st.DVRFrom = s.opts.Now().Add(-st.DVRDepth).Truncate(time.Second)
	}
	s.streams[e.Name] = st
}

// pullExternal fetches every page of <base>/streams with query q.
func (s *Simulator) pullExternal(ctx context.Context, q url.Values) ([]externalStream, error) {
	var all []externalStream
	base := strings.TrimRight(s.configExternal(), "/") + "/streams"
	for range maxConfigPages {
		var page struct {
			Streams []externalStream `json:"streams"`
			Next    *string          `json:"next"`
		}
		if err := s.getJSON(ctx, base+"?"+q.Encode(), &page); err != nil {
			return nil, err
		}
		for _, e := range page.Streams {
			if e.Name != "" {
				all = append(all, e)
			}
		}
		if page.Next == nil || *page.Next == "" || len(page.Streams) == 0 {
			return all, nil
		}
		q.Set("cursor", *page.Next)
	}
	return nil, fmt.Errorf("pull config_external: more than %d pages", maxConfigPages)
}

func (s *Simulator) getJSON(ctx context.Context, u string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("pull config_external: %w", err)
	}
	resp, err := s.opts.HTTPClient.Do(req)
	if err != nil {
		return fmt.Errorf("pull config_external: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("pull config_external: read: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("pull config_external: HTTP %d: %s", resp.StatusCode, bytes.TrimSpace(body[:min(len(body), 200)]))
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("pull config_external: decode: %w", err)
	}
	return nil
}
