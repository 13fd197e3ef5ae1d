package adminapi

import (
	"net/http"

	"canale/shared/api"
)

// resellerBusinessDocs documents the operator's rules per reseller and what
// a reseller does with trials and sub-resellers (reseller_business_handlers.go).
var resellerBusinessDocs = []routeDoc{
	{Method: "GET", Path: "/resellers/:id/rules", Summary: "What the operator lets a reseller do: trials, sub-resellers, login/password lengths, killing connections, its DNS, refunds", Response: api.ResellerRules{}},
	{Method: "PUT", Path: "/resellers/:id/rules", Summary: "Replace a reseller's rules", Request: api.ResellerRules{}, Response: api.ResellerRules{}},
	{Method: "GET", Path: "/resellers/:id/activity", Summary: "What a reseller did and what was done to it, newest first, with the address it came from", Query: []string{"cursor", "limit"}, Response: api.Page[api.AuditEntry]{}},
	{Method: "GET", Path: "/me/rules", Summary: "The signed-in reseller's rules", Response: api.ResellerRules{}},
	{Method: "GET", Path: "/me/activity", Summary: "The signed-in reseller's activity, newest first", Query: []string{"cursor", "limit"}, Response: api.Page[api.AuditEntry]{}},
	{Method: "POST", Path: "/me/trials", Summary: "Make a free trial line on the reseller's trial package (409 naming trials_per_day or trials_per_month past the quota)", Request: api.TrialRequest{}, Response: api.Subscriber{}, Status: http.StatusCreated},
	{Method: "GET", Path: "/me/sub-resellers", Summary: "The signed-in reseller's sub-resellers", Query: []string{"cursor", "limit"}, Response: api.Page[api.Reseller]{}},
	{Method: "POST", Path: "/me/sub-resellers", Summary: "Make a sub-reseller (when the rules allow; prices no lower than one's own; opening credits come from one's own)", Request: api.Reseller{}, Response: api.Reseller{}, Status: http.StatusCreated},
	{Method: "GET", Path: "/me/sub-resellers/:id", Summary: "A reseller of one's subtree", Response: api.Reseller{}},
	{Method: "GET", Path: "/me/sub-resellers/:id/subscribers", Summary: "The lines of a reseller of one's subtree, read-only", Query: []string{"cursor", "limit"}, Response: api.Page[api.Subscriber]{}},
	{Method: "PUT", Path: "/me/sub-resellers/:id/packages", Summary: "Set what a direct sub-reseller sells and at what prices", Request: []api.ResellerPackage{}, Response: api.Reseller{}},
	{Method: "POST", Path: "/me/sub-resellers/:id/credits", Summary: "Transfer credits to (positive) or back from (negative) a direct sub-reseller", Request: api.CreditTransfer{}, Response: api.Reseller{}},
}
