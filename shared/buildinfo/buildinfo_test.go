package buildinfo

import "testing"

func TestNew(t *testing.T) {
	tests := []struct {
		name            string
		version, commit string
		want            string
	}{
		{name: "Linked", version: "0.2.0", commit: "abc1234", want: "0.2.0 (commit abc1234)"},
		{name: "BetweenTags", version: "0.2.0+git20261207.3.abc1234", commit: "abc1234",
			want: "0.2.0+git20261207.3.abc1234 (commit abc1234)"},
		// A test binary carries no VCS stamp.
		{name: "Plain", want: "dev (commit unknown)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := New(tt.version, tt.commit).String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
