package catalog

import (
	"testing"

	"canale/server/internal/store"
)

func TestEntitled(t *testing.T) {
	m := newSmall(store.ReadCatalog{
		Channels: []store.ReadChannel{{ID: 1, Name: "a"}, {ID: 2, Name: "b"}, {ID: 3, Name: "c"}, {ID: 4, Name: "d", Free: true}},
		Packages: []store.ReadPackage{ // not by id: the lists on the channels must still come out sorted
			{ID: 9, Free: true, ChannelIDs: []int64{3}},
			{ID: 5, ChannelIDs: []int64{1, 2, 2}},
			{ID: 3, ChannelIDs: []int64{2, 404}},
		},
	})
	c := &Catalog{}
	c.small.Store(m)
	for _, tc := range []struct {
		packages []int64
		want     string // the channels entitled, in order
	}{
		{nil, "cd"},
		{[]int64{3}, "bcd"},
		{[]int64{5}, "abcd"},
		{[]int64{1, 2, 4, 6}, "cd"},
		{[]int64{3, 5, 7}, "abcd"},
	} {
		s := &Subscriber{PackageIDs: tc.packages}
		got := ""
		for _, ch := range m.channels {
			if c.Entitled(s, ch) {
				got += ch.Name
			}
		}
		if got != tc.want {
			t.Errorf("packages %v: entitled to %q, want %q", tc.packages, got, tc.want)
		}
	}
	if b := m.channelsByName["b"]; len(b.packages) != 2 || b.packages[0] != 3 || b.packages[1] != 5 {
		t.Errorf("channel b's packages = %v, want [3 5]", b.packages)
	}
}
