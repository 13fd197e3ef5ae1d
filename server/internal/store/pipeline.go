package store

import (
	"context"
	"fmt"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// Steps travel as one JSON array built in SQL, so a pipeline is one row.
const pipelineColumns = `p.id, p.name, coalesce((SELECT json_agg(json_build_object('role', ps.role,
		'placement', ps.placement, 'streamer_ids', ARRAY(SELECT pss.streamer_id FROM pipeline_step_streamers pss
		WHERE pss.step_id = ps.id ORDER BY pss.streamer_id)) ORDER BY ps.position)
	FROM pipeline_steps ps WHERE ps.pipeline_id = p.id), '[]'), p.version, p.created_at, p.updated_at`

func scanPipeline(row pgx.Row) (api.Pipeline, error) {
	var p api.Pipeline
	err := row.Scan(&p.ID, &p.Name, &p.Steps, &p.Version, &p.CreatedAt, &p.UpdatedAt)
	return p, err
}

func findPipeline(ctx context.Context, db querier, id int64, lock string) (api.Pipeline, error) {
	return scanPipeline(db.QueryRow(ctx, `SELECT `+pipelineColumns+` FROM pipelines p WHERE p.id = $1`+lock, id))
}

// FindPipelineByID returns the pipeline with that id, or CodeNotFound.
func (s *Store) FindPipelineByID(ctx context.Context, id int64) (api.Pipeline, error) {
	p, err := findPipeline(ctx, s.pool, id, "")
	if err != nil {
		return p, fmt.Errorf("find pipeline %d: %w", id, interpretError(err))
	}
	return p, nil
}

// FindPipelines returns a page of pipelines; ?q= searches name prefixes; sort
// by name (default) or id.
func (s *Store) FindPipelines(ctx context.Context, f api.PipelineFilter, lp api.ListParams) (api.Page[api.Pipeline], error) {
	q := listQuery{selectFrom: `SELECT ` + pipelineColumns + ` FROM pipelines p`, idExpr: "p.id",
		search: []string{"lower(p.name)"}, defaultSort: "name", sorts: map[string]sortKey{
			"name": {expr: "lower(p.name)", cast: "text", key: func(v any) string { return lowerString(v.(api.Pipeline).Name) }},
			"id":   {expr: "p.id", cast: "bigint", key: func(v any) string { return fmt.Sprint(v.(api.Pipeline).ID) }},
		}}
	if f.StreamerID != 0 {
		q.filter(`EXISTS (SELECT 1 FROM pipeline_steps ps JOIN pipeline_step_streamers pss ON pss.step_id = ps.id
			WHERE ps.pipeline_id = p.id AND pss.streamer_id = %s)`, f.StreamerID)
	}
	page, err := findPage(ctx, s.pool, q, lp, scanPipeline, func(p api.Pipeline) int64 { return p.ID })
	if err != nil {
		return page, fmt.Errorf("find pipelines: %w", err)
	}
	return page, nil
}

// CreatePipeline adds a pipeline. It returns CodeInvalid (also for streamer
// ids that do not exist) or CodeConflict when the name is taken.
func (s *Store) CreatePipeline(ctx context.Context, actor api.Actor, p api.Pipeline) (api.Pipeline, error) {
	p = p.Normalize()
	if err := p.Validate(); err != nil {
		return p, err
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO pipelines (name) VALUES ($1) RETURNING id`, p.Name).Scan(&id); err != nil {
			return err
		}
		var err error
		if p, err = writePipelineSteps(ctx, tx, id, p.Steps); err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpCreate, api.EntityPipeline, id, nil, p))
	})
	if err != nil {
		return p, fmt.Errorf("create pipeline: %w", err)
	}
	return p, nil
}

// writePipelineSteps replaces the steps of pipeline id and returns the
// pipeline as stored. A missing streamer is named as steps[i].streamer_ids.
func writePipelineSteps(ctx context.Context, tx pgx.Tx, id int64, steps []api.PipelineStep) (api.Pipeline, error) {
	if _, err := tx.Exec(ctx, `DELETE FROM pipeline_steps WHERE pipeline_id = $1`, id); err != nil {
		return api.Pipeline{}, err
	}
	for i, st := range steps {
		var stepID int64
		if err := tx.QueryRow(ctx, `INSERT INTO pipeline_steps (pipeline_id, position, role, placement)
			VALUES ($1, $2, $3, $4) RETURNING id`, id, i, st.Role, st.Placement).Scan(&stepID); err != nil {
			return api.Pipeline{}, err
		}
		var missing []int64
		if err := tx.QueryRow(ctx, `SELECT coalesce(array_agg(x), '{}') FROM unnest($1::bigint[]) x
			WHERE NOT EXISTS (SELECT 1 FROM streamers s WHERE s.id = x)`, st.StreamerIDs).Scan(&missing); err != nil {
			return api.Pipeline{}, err
		}
		if len(missing) > 0 {
			return api.Pipeline{}, &api.Error{Code: api.CodeInvalid, Message: "refers to a missing streamer",
				Fields: map[string]string{fmt.Sprintf("steps[%d].streamer_ids", i): fmt.Sprintf("streamers %v do not exist", missing)}}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO pipeline_step_streamers (step_id, streamer_id)
			SELECT $1, x FROM unnest($2::bigint[]) x ON CONFLICT DO NOTHING`, stepID, st.StreamerIDs); err != nil {
			return api.Pipeline{}, err
		}
	}
	return findPipeline(ctx, tx, id, "")
}

// UpdatePipeline applies u; steps, when given, replace all steps. It returns
// CodeNotFound, CodeConflict or CodeInvalid.
func (s *Store) UpdatePipeline(ctx context.Context, actor api.Actor, id int64, u api.PipelineUpdate) (api.Pipeline, error) {
	var after api.Pipeline
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findPipeline(ctx, tx, id, " FOR UPDATE OF p")
		if err != nil {
			return err
		}
		if err := checkVersion("pipeline", id, before.Version, u.Version); err != nil {
			return err
		}
		after = u.Apply(before)
		if err := after.Validate(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE pipelines SET name = $2, version = version + 1, updated_at = now()
			WHERE id = $1`, id, after.Name); err != nil {
			return err
		}
		if after, err = writePipelineSteps(ctx, tx, id, after.Steps); err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpUpdate, api.EntityPipeline, id, before, after))
	})
	if err != nil {
		return after, fmt.Errorf("update pipeline %d: %w", id, err)
	}
	return after, nil
}

// DeletePipeline removes a pipeline. It returns CodeNotFound, or CodeConflict
// naming the channels that still use it.
func (s *Store) DeletePipeline(ctx context.Context, actor api.Actor, id int64) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findPipeline(ctx, tx, id, " FOR UPDATE OF p")
		if err != nil {
			return err
		}
		names, total, err := referencingNames(ctx, tx, `SELECT name FROM channels WHERE pipeline_id = $1`, id)
		if err != nil {
			return err
		}
		if total > 0 {
			return conflict("channels", "pipeline "+before.Name+" is used by channel(s) "+namesList(names, total)+"; move them to another pipeline first")
		}
		if _, err := tx.Exec(ctx, `DELETE FROM pipelines WHERE id = $1`, id); err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpDelete, api.EntityPipeline, id, before, nil))
	})
	if err != nil {
		return fmt.Errorf("delete pipeline %d: %w", id, err)
	}
	return nil
}
