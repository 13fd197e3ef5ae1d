package api

import (
	"strings"
	"time"
)

// Step placements: run the stream on one server of the step (picked and
// migrated on failure) or on all of them.
const (
	PlacementOne = "one"
	PlacementAll = "all"
)

// PipelineStep is one stage of a pipeline: a role and the streamers that
// may play it.
type PipelineStep struct {
	Role        string  `json:"role"`
	Placement   string  `json:"placement"`
	StreamerIDs []int64 `json:"streamer_ids"`
}

// Pipeline is a scenario for a stream: an ordered list of steps, the first
// of which ingests.
type Pipeline struct {
	ID        int64          `json:"id"`
	Name      string         `json:"name"`
	Steps     []PipelineStep `json:"steps"`
	Version   int            `json:"version"`
	CreatedAt time.Time      `json:"created_at"`
	UpdatedAt time.Time      `json:"updated_at"`
}

// Validate checks the pipeline's shape; that the streamers exist is the
// store's check. Step fields are named steps[i].field.
func (p Pipeline) Validate() error {
	f := FieldErrors{}
	checkName(f, "name", p.Name, 200)
	if len(p.Steps) == 0 {
		f.Add("steps", "at least one step (ingest) is required")
	} else if p.Steps[0].Role != RoleIngest {
		f.Add("steps[0].role", "the first step must be ingest")
	}
	for i, s := range p.Steps {
		pre := "steps[" + itoa(i) + "]."
		if !validStreamerRole(s.Role) {
			f.Add(pre+"role", "must be ingest, transcode, dvr or edge")
		}
		if s.Placement != PlacementOne && s.Placement != PlacementAll {
			f.Add(pre+"placement", "must be one or all")
		}
		if len(s.StreamerIDs) == 0 {
			f.Add(pre+"streamer_ids", "at least one streamer is required")
		}
	}
	return f.Err()
}

// Normalize trims the name and defaults empty placements to one.
func (p Pipeline) Normalize() Pipeline {
	p.Name = strings.TrimSpace(p.Name)
	steps := make([]PipelineStep, len(p.Steps))
	for i, s := range p.Steps {
		if s.Placement == "" {
			s.Placement = PlacementOne
		}
		if s.StreamerIDs == nil {
			s.StreamerIDs = []int64{}
		}
		steps[i] = s
	}
	p.Steps = steps
	return p
}

// PipelineUpdate is the body of PATCH /api/v1/pipelines/{id}; Steps, when
// set, replace all steps.
type PipelineUpdate struct {
	Name    *string         `json:"name,omitempty"`
	Steps   *[]PipelineStep `json:"steps,omitempty"`
	Version int             `json:"version"`
}

// Apply returns p with the set fields of u.
func (u PipelineUpdate) Apply(p Pipeline) Pipeline {
	set(&p.Name, u.Name)
	set(&p.Steps, u.Steps)
	return p.Normalize()
}

// PipelineFilter selects pipelines; StreamerID keeps those using it.
type PipelineFilter struct {
	StreamerID int64 `query:"streamer_id"`
}
