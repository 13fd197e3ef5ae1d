package catalog

// job is a background job of the read model.
type job uint8

const (
	jobNone job = iota
	// jobRebuild loads the whole model beside the old one (Load).
	jobRebuild
	// jobReconcile is the periodic safety net, paced (Reconcile).
	jobReconcile
	// jobReconcileNow is a reconcile for a bulk change, which should
	// apply at once (reconcileNow).
	jobReconcileNow
)

// step is what a transition of the scheduler asks Run to do.
type step struct {
	start       job  // a job to start; jobNone for none
	cancelPaced bool // cancel the paced reconcile that runs
	retryLater  bool // a job failed: arm the retry timer
}

// scheduler decides when Catalog.Run starts its background jobs. It holds
// the state that decides it and changes it only in its methods, one per
// event Run sees; it starts nothing itself, so it is tested as a table of
// events without a database (scheduler_test.go).
//
// A rebuild or reconcile asked for while one runs is run after it: the one
// running may have read before the change that asked. A paced reconcile is
// cancelled instead when an urgent one is asked for: a bulk change should
// apply at once, not after the paced walk over a million subscribers. A
// rebuild may start while a reconcile runs (Load serialises with itself).
type scheduler struct {
	rebuilding  bool
	reconciling job // jobNone, jobReconcile or jobReconcileNow
	// wantRebuild and wantReconcile are jobs asked for while one ran;
	// wantNow says the reconcile wanted is an urgent one.
	wantRebuild, wantReconcile, wantNow bool
	// superseded says the paced reconcile running was cancelled for an
	// urgent one: its cancellation is no failure.
	superseded bool
}

// changed is the transition after a batch of changes was applied: a reset
// or a failed read needs a rebuild, a bulk change an urgent reconcile, and
// so many replaced records (compact) a rebuild too.
func (s *scheduler) changed(needRebuild, needReconcile, compact bool) step {
	switch {
	case needRebuild || compact:
		return s.rebuild()
	case needReconcile:
		return s.reconcile(true)
	}
	return step{}
}

// tick is the transition of the resync timer: the paced safety net.
func (s *scheduler) tick() step { return s.reconcile(false) }

// retry is the transition of the retry timer after a failure.
func (s *scheduler) retry() step { return s.rebuild() }

// rebuilt is the transition when a rebuild ends.
func (s *scheduler) rebuilt(failed, compact bool) step {
	s.rebuilding = false
	return s.finished(failed, compact)
}

// reconciled is the transition when a reconcile ends.
func (s *scheduler) reconciled(failed, compact bool) step {
	s.reconciling = jobNone
	if s.superseded {
		failed, s.superseded = false, false // cancelled for the urgent one wanted next
	}
	return s.finished(failed, compact)
}

// idle reports whether no job runs; Run waits for both before it returns.
func (s *scheduler) idle() bool { return !s.rebuilding && s.reconciling == jobNone }

func (s *scheduler) rebuild() step {
	if s.wantRebuild = s.rebuilding; s.rebuilding {
		return step{}
	}
	s.rebuilding = true
	return step{start: jobRebuild}
}

func (s *scheduler) reconcile(now bool) step {
	if s.rebuilding || s.reconciling != jobNone {
		s.wantReconcile, s.wantNow = true, s.wantNow || now
		if now && s.reconciling == jobReconcile && !s.superseded {
			s.superseded = true
			return step{cancelPaced: true}
		}
		return step{}
	}
	s.wantReconcile, s.wantNow = false, false
	s.reconciling = jobReconcile
	if now {
		s.reconciling = jobReconcileNow
	}
	return step{start: s.reconciling}
}

// finished starts what was asked for meanwhile or, after a failure, asks
// for a retry later: at once would spin while the database is away.
func (s *scheduler) finished(failed, compact bool) step {
	switch {
	case failed:
		return step{retryLater: true}
	case s.wantRebuild || compact:
		return s.rebuild()
	case s.wantReconcile:
		return s.reconcile(s.wantNow)
	}
	return step{}
}
