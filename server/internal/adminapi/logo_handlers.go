package adminapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"canale/server/internal/store"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// MaxLogoBytes bounds an uploaded logo: a 300×300 PNG is far smaller.
const MaxLogoBytes = 1 << 20

// maxLogoUpload bounds the body of a logo upload: the image and, in a
// multipart form, the form around it.
const maxLogoUpload = MaxLogoBytes + 64<<10

// handleChannelLogoPut answers PUT /channels/{id}/logo with the image as the
// raw body or as the "file" (or first) part of a multipart form.
func (a *API) handleChannelLogoPut(c *gin.Context) {
	id, ok := a.pathID(c, "id")
	if !ok {
		return
	}
	data, err := readLogo(c)
	if err != nil {
		a.writeError(c, err)
		return
	}
	ct, ok := sniffImage(data)
	if !ok {
		a.writeError(c, &api.Error{Code: api.CodeInvalid, Message: "unsupported image",
			Fields: map[string]string{"logo": "must be a PNG, JPEG, WebP or SVG image"}})
		return
	}
	ch, err := a.Catalog.SetChannelLogo(c, currentActor(c), id, ct, data)
	a.logos.forget(id)
	a.reply(c, http.StatusOK, ch, err)
}

func (a *API) handleChannelLogoDelete(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		ch, err := a.Catalog.DeleteChannelLogo(c, currentActor(c), id)
		a.logos.forget(id)
		a.reply(c, http.StatusOK, ch, err)
	}
}

func readLogo(c *gin.Context) ([]byte, error) {
	tooBig := &api.Error{Code: api.CodeInvalid, Message: "logo too large",
		Fields: map[string]string{"logo": "must be at most " + strconv.Itoa(MaxLogoBytes>>10) + " KiB"}}
	var r io.Reader = c.Request.Body // bounded by the route to maxLogoUpload
	if strings.HasPrefix(c.ContentType(), "multipart/") {
		form, err := c.MultipartForm()
		if err != nil {
			return nil, api.Errorf(api.CodeInvalid, "invalid multipart body: %v", err)
		}
		files := form.File["file"]
		for _, fs := range form.File {
			if len(files) == 0 {
				files = fs
			}
		}
		if len(files) == 0 {
			return nil, &api.Error{Code: api.CodeInvalid, Message: "no file", Fields: map[string]string{"file": "required"}}
		}
		f, err := files[0].Open()
		if err != nil {
			return nil, api.Errorf(api.CodeInvalid, "read upload: %v", err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxLogoBytes+1))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) || len(data) > MaxLogoBytes {
		return nil, tooBig
	}
	if err != nil {
		return nil, api.Errorf(api.CodeInvalid, "read upload: %v", err)
	}
	return data, nil
}

// sniffImage returns the content type of a PNG, JPEG, WebP or SVG image by
// its bytes, never by what the client claims.
func sniffImage(b []byte) (string, bool) {
	switch ct := http.DetectContentType(b); ct {
	case "image/png", "image/jpeg", "image/webp":
		return ct, true
	}
	head := b[:min(len(b), 1024)]
	if bytes.Contains(bytes.ToLower(head), []byte("<svg")) {
		return "image/svg+xml", true
	}
	return "", false
}

// LogoStore is what the public logo route reads.
type LogoStore interface {
	FindChannelLogo(ctx context.Context, channelID int64) (store.ChannelLogo, error)
	FindChannelByID(ctx context.Context, id int64) (api.Channel, error)
}

// Logos serves GET /logos/{channel_id} without authentication: players and
// playlists link to it directly. Mount it at "/".
type Logos struct {
	API   *API // for writeError
	Store LogoStore
}

// Register mounts the public logo route.
func (l *Logos) Register(r *gin.RouterGroup) {
	r.GET("/logos/:channel_id", l.handleLogo)
	r.HEAD("/logos/:channel_id", l.handleLogo)
}

// handleLogo serves the uploaded logo with an ETag (its SHA-256), answering
// 304 to a matching If-None-Match. Without an upload it redirects to the
// channel's logo_url, so /logos/{id} is always a usable logo address. The
// answer comes from memory after the first request for a channel.
func (l *Logos) handleLogo(c *gin.Context) {
	id, ok := l.API.pathID(c, "channel_id")
	if !ok {
		return
	}
	e, gen, ok := l.API.logos.get(id)
	if !ok {
		var err error
		if e, err = l.load(c, id); err != nil {
			l.API.writeError(c, err)
			return
		}
		l.API.logos.put(gen, id, e)
	}
	switch {
	case e.data != nil:
		c.Header("ETag", e.etag)
		c.Header("Cache-Control", "public, max-age=3600")
		c.Header("X-Content-Type-Options", "nosniff")
		// An SVG can carry script; this keeps it inert when opened directly.
		c.Header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
		if match := c.GetHeader("If-None-Match"); match != "" && (match == e.etag || match == "*" || strings.Contains(match, e.etag)) {
			c.Status(http.StatusNotModified)
			return
		}
		c.Data(http.StatusOK, e.contentType, e.data)
	case e.redirect != "":
		c.Redirect(http.StatusFound, e.redirect)
	default:
		l.API.writeError(c, api.Errorf(api.CodeNotFound, "channel %d has no logo", id))
	}
}

// load reads what /logos/{id} answers from the database. It returns
// CodeNotFound for a channel that does not exist.
func (l *Logos) load(ctx context.Context, id int64) (logoEntry, error) {
	logo, err := l.Store.FindChannelLogo(ctx, id)
	if err == nil {
		return logoEntry{contentType: logo.ContentType, data: logo.Data, etag: `"` + logo.SHA256 + `"`}, nil
	}
	if api.ErrorCode(err) != api.CodeNotFound {
		return logoEntry{}, err
	}
	ch, err := l.Store.FindChannelByID(ctx, id)
	return logoEntry{redirect: ch.LogoURL}, err
}
