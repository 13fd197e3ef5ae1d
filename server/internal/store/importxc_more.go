package store

import (
	"context"
	"encoding/json"
	"fmt"

	"canale/shared/api"
)

// VODStorages returns the vod_storages setting as the import's transaction
// sees it, so local files of the source panel can be mapped to storage
// paths. A value that does not parse counts as none, as in lockSettings.
func (ci *CatalogImport) VODStorages(ctx context.Context) ([]api.VODStorage, error) {
	var raw []byte
	err := ci.tx.QueryRow(ctx, `SELECT coalesce((SELECT data->'vod_storages' FROM settings WHERE id = 1), '[]')::text`).Scan(&raw)
	if err != nil {
		return nil, fmt.Errorf("read vod_storages: %w", err)
	}
	var out []api.VODStorage
	if json.Unmarshal(raw, &out) != nil {
		return nil, nil
	}
	return out, nil
}
