package acme

import (
	"context"
	"encoding/pem"

	"canale/shared/api"

	"golang.org/x/crypto/acme/autocert"
)

// cache adapts the store to autocert.Cache, turning not-found into
// autocert.ErrCacheMiss as autocert expects.
type cache struct{ s Store }

func (c cache) Get(ctx context.Context, key string) ([]byte, error) {
	b, err := c.s.GetACME(ctx, key)
	if api.ErrorCode(err) == api.CodeNotFound {
		return nil, autocert.ErrCacheMiss
	}
	return b, err
}

func (c cache) Put(ctx context.Context, key string, data []byte) error {
	return c.s.PutACME(ctx, key, data)
}

func (c cache) Delete(ctx context.Context, key string) error { return c.s.DeleteACME(ctx, key) }

func pemDecode(b []byte) (*pem.Block, []byte) { return pem.Decode(b) }
