// Package failover holds the suite that proves Canale survives what a
// highly available PostgreSQL does: two Canale instances behind nginx on a
// Patroni cluster (testpatroni) under play-check load from Flussonic
// simulators and admin writes, through a primary crash, a switchover and a
// partition of one instance from the database. It has only tests; its
// figures (lines starting "failover: ") are printed by make test and make
// bench.
package failover
