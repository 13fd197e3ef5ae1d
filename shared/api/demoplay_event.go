package api

// OpResolve: a recovery closed a trouble alert (EntityAlert); the Change ID
// is the closed alert's ID. Desktop apps read the alerts again and show it
// resolved, with its ResolvedAt.
const OpResolve Op = "resolve"
