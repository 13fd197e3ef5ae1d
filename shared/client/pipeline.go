package client

import (
	"context"

	"canale/shared/api"
)

func (c *Client) pipelines() resource[api.Pipeline, api.Pipeline, api.PipelineUpdate] {
	return resource[api.Pipeline, api.Pipeline, api.PipelineUpdate]{c: c, path: "/api/v1/pipelines"}
}

// Pipelines returns a page of pipelines, selected by f as the store selects them.
func (c *Client) Pipelines(ctx context.Context, f api.PipelineFilter, p api.ListParams) (api.Page[api.Pipeline], error) {
	return c.pipelines().list(ctx, f, p)
}

// Pipeline returns the pipeline with that id.
func (c *Client) Pipeline(ctx context.Context, id int64) (api.Pipeline, error) {
	return c.pipelines().get(ctx, id)
}

// CreatePipeline creates a pipeline.
func (c *Client) CreatePipeline(ctx context.Context, in api.Pipeline) (api.Pipeline, error) {
	return c.pipelines().create(ctx, in)
}

// UpdatePipeline changes the set fields of u; a stale u.Version is CodeConflict.
func (c *Client) UpdatePipeline(ctx context.Context, id int64, u api.PipelineUpdate) (api.Pipeline, error) {
	return c.pipelines().update(ctx, id, u)
}

// DeletePipeline deletes a pipeline; CodeConflict says what still refers to it.
func (c *Client) DeletePipeline(ctx context.Context, id int64) error {
	return c.pipelines().delete(ctx, id)
}
