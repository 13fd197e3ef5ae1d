package importxc

import "testing"

func TestRepairMojibake(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		repaired bool
	}{
		{"PremiÃ¨re TV", "Première TV", true},
		{"ÐŸÐµÑ€Ð²Ñ‹Ð¹ ÐºÐ°Ð½Ð°Ð»", "Первый канал", true},
		{"Donâ€™t", "Don’t", true},              // through Windows-1252
		{"Première TV", "Première TV", false},   // true Latin-1 text
		{"Первый канал", "Первый канал", false}, // true UTF-8 beyond Latin-1
		{"plain", "plain", false},
		{"Ã", "Ã", false},               // one byte of nothing
		{"Ã¨ and Ω", "Ã¨ and Ω", false}, // mixed: not one round of double encoding
	} {
		got, ok := repairMojibake(tt.in)
		if got != tt.want || ok != tt.repaired {
			t.Errorf("repairMojibake(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.repaired)
		}
	}
}
