package catalog

import "testing"

// event is one thing Run sees, fed to the scheduler in the table below.
type event struct {
	name string
	do   func(*scheduler) step
	want step
}

var (
	evReset     = func(s *scheduler) step { return s.changed(true, false, false) }
	evBulk      = func(s *scheduler) step { return s.changed(false, true, false) }
	evPlain     = func(s *scheduler) step { return s.changed(false, false, false) }
	evCompact   = func(s *scheduler) step { return s.changed(false, false, true) }
	evTick      = func(s *scheduler) step { return s.tick() }
	evRetry     = func(s *scheduler) step { return s.retry() }
	evRebuilt   = func(s *scheduler) step { return s.rebuilt(false, false) }
	evRebuildKO = func(s *scheduler) step { return s.rebuilt(true, false) }
	evReconOK   = func(s *scheduler) step { return s.reconciled(false, false) }
	evReconKO   = func(s *scheduler) step { return s.reconciled(true, false) }
)

func TestScheduler(t *testing.T) {
	none := step{}
	startRebuild, startPaced, startNow := step{start: jobRebuild}, step{start: jobReconcile}, step{start: jobReconcileNow}
	tests := []struct {
		name   string
		events []event
		idle   bool
	}{
		{"PlainChangeStartsNothing", []event{{"change", evPlain, none}}, true},
		{"ResetRebuilds", []event{{"reset", evReset, startRebuild}, {"done", evRebuilt, none}}, true},
		{"CompactionRebuilds", []event{{"compact", evCompact, startRebuild}}, false},
		{"ResetDuringRebuildRebuildsAgainAfter", []event{
			{"reset", evReset, startRebuild}, {"reset again", evReset, none},
			{"done", evRebuilt, startRebuild}, {"done again", evRebuilt, none}}, true},
		{"TickReconcilesPaced", []event{{"tick", evTick, startPaced}, {"done", evReconOK, none}}, true},
		{"BulkReconcilesNow", []event{{"bulk", evBulk, startNow}, {"done", evReconOK, none}}, true},
		{"BulkCancelsPacedThenRunsNow", []event{
			{"tick", evTick, startPaced}, {"bulk", evBulk, step{cancelPaced: true}},
			{"bulk again", evBulk, none},
			{"cancelled", evReconKO, startNow}, {"done", evReconOK, none}}, true},
		{"TickDuringNowWaits", []event{
			{"bulk", evBulk, startNow}, {"tick", evTick, none},
			{"done", evReconOK, startPaced}}, false},
		{"ReconcileWaitsForRebuild", []event{
			{"reset", evReset, startRebuild}, {"tick", evTick, none}, {"bulk", evBulk, none},
			{"rebuilt", evRebuilt, startNow}, {"done", evReconOK, none}}, true},
		{"RebuildMayStartDuringReconcile", []event{
			{"tick", evTick, startPaced}, {"reset", evReset, startRebuild},
			{"reconciled", evReconOK, none}, {"rebuilt", evRebuilt, none}}, true},
		{"FailedRebuildRetriesLater", []event{
			{"reset", evReset, startRebuild}, {"failed", evRebuildKO, step{retryLater: true}},
			{"retry", evRetry, startRebuild}, {"done", evRebuilt, none}}, true},
		{"FailedReconcileRetriesLater", []event{
			{"tick", evTick, startPaced}, {"failed", evReconKO, step{retryLater: true}}}, true},
		{"FailureDoesNotStartWhatWasWanted", []event{
			{"reset", evReset, startRebuild}, {"tick", evTick, none},
			{"failed", evRebuildKO, step{retryLater: true}}, {"retry", evRetry, startRebuild},
			{"rebuilt", evRebuilt, startPaced}}, false},
		{"CompactionAfterReconcileRebuilds", []event{
			{"tick", evTick, startPaced},
			{"done", func(s *scheduler) step { return s.reconciled(false, true) }, startRebuild}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s scheduler
			for i, ev := range tt.events {
				if got := ev.do(&s); got != ev.want {
					t.Fatalf("event %d (%s): got %+v, want %+v", i, ev.name, got, ev.want)
				}
			}
			if got := s.idle(); got != tt.idle {
				t.Errorf("idle at the end: got %v, want %v", got, tt.idle)
			}
		})
	}
}
