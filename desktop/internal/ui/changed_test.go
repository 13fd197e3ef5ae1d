package ui

import (
	"testing"

	"canale/shared/api"
)

func TestChanged(t *testing.T) {
	event := func(c api.Change) api.Event {
		e, err := api.NewEvent(api.EventChange, c)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	alert, _ := api.NewEvent(api.EventAlert, api.Alert{Kind: "stream_down"})
	tests := []struct {
		name string
		e    api.Event
		want bool
	}{
		{"Shown", event(api.Change{Entity: api.EntityChannel, ID: "1", Op: api.OpUpdate}), true},
		{"SecondShown", event(api.Change{Entity: api.EntityCategory, ID: "2", Op: api.OpDelete}), true},
		{"NotShown", event(api.Change{Entity: api.EntitySubscriber, ID: "1", Op: api.OpUpdate}), false},
		{"Everything", event(api.Change{Entity: api.EntityAll, Op: api.OpReset}), true},
		{"NotAChange", alert, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := changed(tt.e, api.EntityChannel, api.EntityCategory); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
