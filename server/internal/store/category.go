package store

import (
	"context"
	"fmt"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

const categoryColumns = `c.id, c.kind, c.name, c.position, c.attributes, c.version, c.created_at, c.updated_at`

func scanCategory(row pgx.Row) (api.Category, error) {
	var c api.Category
	err := row.Scan(&c.ID, &c.Kind, &c.Name, &c.Position, &c.Attributes, &c.Version, &c.CreatedAt, &c.UpdatedAt)
	return c, err
}

func findCategory(ctx context.Context, db querier, id int64, lock string) (api.Category, error) {
	return scanCategory(db.QueryRow(ctx, `SELECT `+categoryColumns+` FROM categories c WHERE c.id = $1`+lock, id))
}

// FindCategoryByID returns the category with that id, or CodeNotFound.
func (s *Store) FindCategoryByID(ctx context.Context, id int64) (api.Category, error) {
	c, err := findCategory(ctx, s.pool, id, "")
	if err != nil {
		return c, fmt.Errorf("find category %d: %w", id, interpretError(err))
	}
	return c, nil
}

// FindCategories returns a page of categories; ?q= searches name prefixes;
// sort by position (default), name or id.
func (s *Store) FindCategories(ctx context.Context, f api.CategoryFilter, p api.ListParams) (api.Page[api.Category], error) {
	q := listQuery{selectFrom: `SELECT ` + categoryColumns + ` FROM categories c`, idExpr: "c.id",
		search: []string{"lower(c.name)"}, defaultSort: "position", sorts: map[string]sortKey{
			"position": {expr: "c.position", cast: "integer", key: func(v any) string { return fmt.Sprint(v.(api.Category).Position) }},
			"name":     {expr: "lower(c.name)", cast: "text", key: func(v any) string { return lowerString(v.(api.Category).Name) }},
			"id":       {expr: "c.id", cast: "bigint", key: func(v any) string { return fmt.Sprint(v.(api.Category).ID) }},
		}}
	if f.Kind != "" {
		q.filter("c.kind = %s", f.Kind)
	}
	page, err := findPage(ctx, s.pool, q, p, scanCategory, func(c api.Category) int64 { return c.ID })
	if err != nil {
		return page, fmt.Errorf("find categories: %w", err)
	}
	return page, nil
}

// CreateCategory adds a category. It returns CodeInvalid, or CodeConflict
// when a category of that kind has the name.
func (s *Store) CreateCategory(ctx context.Context, actor api.Actor, c api.Category) (api.Category, error) {
	c = c.Normalize()
	if err := c.Validate(); err != nil {
		return c, err
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		c, err = insertCategory(ctx, tx, c)
		if err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpCreate, api.EntityCategory, c.ID, nil, c))
	})
	if err != nil {
		return c, fmt.Errorf("create category: %w", err)
	}
	return c, nil
}

func insertCategory(ctx context.Context, tx pgx.Tx, c api.Category) (api.Category, error) {
	return scanCategory(tx.QueryRow(ctx, `INSERT INTO categories AS c (kind, name, position, attributes)
		VALUES ($1, $2, $3, $4) RETURNING `+categoryColumns, c.Kind, c.Name, c.Position, jsonObject(c.Attributes)))
}

// UpdateCategory applies u. It returns CodeNotFound, CodeConflict or CodeInvalid.
func (s *Store) UpdateCategory(ctx context.Context, actor api.Actor, id int64, u api.CategoryUpdate) (api.Category, error) {
	var after api.Category
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findCategory(ctx, tx, id, " FOR UPDATE")
		if err != nil {
			return err
		}
		if err := checkVersion("category", id, before.Version, u.Version); err != nil {
			return err
		}
		after = u.Apply(before)
		if err := after.Validate(); err != nil {
			return err
		}
		after, err = scanCategory(tx.QueryRow(ctx, `UPDATE categories AS c SET kind = $2, name = $3, position = $4,
			attributes = $5, version = version + 1, updated_at = now() WHERE id = $1 RETURNING `+categoryColumns,
			id, after.Kind, after.Name, after.Position, jsonObject(after.Attributes)))
		if err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpUpdate, api.EntityCategory, id, before, after))
	})
	if err != nil {
		return after, fmt.Errorf("update category %d: %w", id, err)
	}
	return after, nil
}

// DeleteCategory removes a category; its channels and VOD items stay, with
// no category. It returns CodeNotFound.
func (s *Store) DeleteCategory(ctx context.Context, actor api.Actor, id int64) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findCategory(ctx, tx, id, " FOR UPDATE")
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM categories WHERE id = $1`, id); err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpDelete, api.EntityCategory, id, before, nil))
	})
	if err != nil {
		return fmt.Errorf("delete category %d: %w", id, err)
	}
	return nil
}
