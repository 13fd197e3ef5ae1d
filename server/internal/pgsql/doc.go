// Package pgsql runs a private PostgreSQL cluster: the embedded default of
// `canale serve` when no CANALE_DATABASE_URL is set, and the throwaway
// clusters of the tests. It manages processes and files only; it does not
// speak the PostgreSQL protocol (that is the store's job), and it learns that
// the server is ready from postmaster.pid, which PostgreSQL keeps up to date.
package pgsql
