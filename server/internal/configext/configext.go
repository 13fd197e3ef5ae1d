// Package configext serves Flussonic's config_external protocol
// (specs/flussonic.md §3.1): every streamer pulls from Canale the list of
// streams it must run. It is mounted under /flussonic/:secret, next to the
// play authorization endpoint, so a streamer is configured with
//
//	config_external <external_url>/flussonic/<secret>/config;
//
// and calls <that>/streams?host=<its hostname>[&name=a,b]. Answers come from
// the fleet manager's memory, never from the database, so they stay well
// under 100 ms for thousands of channels.
package configext

import (
	"net/http"
	"strconv"
	"strings"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// Source answers what a streamer must run; *fleet.Manager is one.
type Source interface {
	// StreamsFor returns the JSON body {"streams":[...]}; its errors carry
	// CodeForbidden, CodeNotFound or CodeUnavailable.
	StreamsFor(secret, host string, names []string) ([]byte, error)
}

// Handler serves the config_external routes.
type Handler struct {
	Source Source
	// Guard checks the streamer secret in the path before anything else,
	// as it does for the auth routes (playauth's RequireSecret), so a wrong
	// secret cannot tell these routes exist. Without one, only Source
	// checks the secret, and answers a wrong one with 403.
	Guard gin.HandlerFunc
}

// Register mounts the routes on r, the /flussonic/:secret group. The
// separate-endpoint paths are served too, with the same answers, in case a
// streamer is set up for that mode; Canale never asks for it.
func (h *Handler) Register(r *gin.RouterGroup) {
	g := r
	if h.Guard != nil {
		g = r.Group("", h.Guard)
	}
	for _, p := range []string{"/config/streams", "/config/update-streams", "/config/dynamic-streams"} {
		g.GET(p, h.handleStreams)
	}
}

// handleStreams answers GET .../config/streams?host=H (or client_host=H, the
// name v23.01 used) with an optional name=a,b,c. The whole list fits one
// page: no next cursor is ever returned, and a cursor sent anyway is
// ignored. Errors use Flussonic's error body and a non-200 status, which a
// streamer treats as config_external_error while it keeps its streams: an
// error must never look like an empty list, which would stop them all.
func (h *Handler) handleStreams(c *gin.Context) {
	host := c.Query("host")
	if host == "" {
		host = c.Query("client_host")
	}
	var names []string
	if raw, ok := c.GetQuery("name"); ok {
		names = splitNames(raw)
	}
	body, err := h.Source.StreamsFor(c.Param("secret"), host, names)
	if err != nil {
		writeError(c, err)
		return
	}
	c.Data(http.StatusOK, "application/json", body)
}

func splitNames(raw string) []string {
	names := []string{}
	for _, n := range strings.Split(raw, ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	return names
}

// flussonicError is the error body of Flussonic's API (OA-fms error_response).
type flussonicError struct {
	Errors []errorItem `json:"errors"`
}

type errorItem struct {
	Status string `json:"status"`
	Code   string `json:"code"`
	Title  string `json:"title"`
}

func writeError(c *gin.Context, err error) {
	status := http.StatusInternalServerError
	switch api.ErrorCode(err) {
	case api.CodeForbidden:
		status = http.StatusForbidden
	case api.CodeNotFound:
		status = http.StatusNotFound
	case api.CodeUnavailable:
		status = http.StatusServiceUnavailable
	}
	c.AbortWithStatusJSON(status, flussonicError{Errors: []errorItem{{Status: strconv.Itoa(status),
		Code: string(api.ErrorCode(err)), Title: api.ErrorMessage(err)}}})
}
