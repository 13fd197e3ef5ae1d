package session

import (
	"encoding/json"
	"strings"
)

// Preferences is where remembered servers are stored; fyne.Preferences
// satisfies it. Values are saved as soon as they are set.
type Preferences interface {
	String(key string) string
	SetString(key, value string)
}

// Server is a server the user signed in to before.
type Server struct {
	URL         string `json:"url"`
	Login       string `json:"login"`
	Fingerprint string `json:"fingerprint,omitempty"` // pinned certificate, for self-signed servers
}

const serversKey = "servers"

// maxServers bounds the remembered list; the oldest are forgotten.
const maxServers = 10

// Servers returns the remembered servers, most recently used first.
func (s *Session) Servers() []Server {
	if s.cfg.Prefs == nil {
		return nil
	}
	var out []Server
	_ = json.Unmarshal([]byte(s.cfg.Prefs.String(serversKey)), &out) // an unreadable list is an empty one
	return out
}

// ForgetServer removes a server, and its pinned certificate, from the list.
func (s *Session) ForgetServer(url string) {
	s.saveServers(withoutServer(s.Servers(), url))
}

func (s *Session) server(url string) (Server, bool) {
	for _, sv := range s.Servers() {
		if strings.EqualFold(sv.URL, url) {
			return sv, true
		}
	}
	return Server{}, false
}

func (s *Session) rememberServer(sv Server) {
	list := append([]Server{sv}, withoutServer(s.Servers(), sv.URL)...)
	s.saveServers(list[:min(len(list), maxServers)])
}

func (s *Session) saveServers(list []Server) {
	if s.cfg.Prefs == nil {
		return
	}
	b, _ := json.Marshal(list)
	s.cfg.Prefs.SetString(serversKey, string(b))
}

func withoutServer(list []Server, url string) []Server {
	out := list[:0:0]
	for _, sv := range list {
		if !strings.EqualFold(sv.URL, url) {
			out = append(out, sv)
		}
	}
	return out
}
