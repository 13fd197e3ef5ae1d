package playauth_test

import "canale/shared/api"

func apiFilter(sub int64) api.PlaySessionFilter { return api.PlaySessionFilter{SubscriberID: sub} }

func apiList() api.ListParams { return api.ListParams{} }

func adminActor() api.Actor { return api.Actor{Kind: "admin", Login: "test"} }
