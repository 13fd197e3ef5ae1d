package importxc

import (
	"slices"
	"strings"
	"testing"
)

func TestJSONList(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"[]", nil},
		{"null", nil},
		{`""`, nil},
		{`[1,"2", 3.0]`, []string{"1", "2", "3"}},
		{`["http:\/\/a\/b"]`, []string{"http://a/b"}},
		{`"http:\/\/a"`, []string{"http://a"}},
		{`5`, []string{"5"}},
		{`http:\/\/x, http:\/\/y`, []string{"http://x", "http://y"}},
		{`[null, "", [1], {"a":1}, "x"]`, []string{"x"}},
	} {
		t.Run(tt.in, func(t *testing.T) {
			if got := jsonList(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("jsonList(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRowAccessors(t *testing.T) {
	r := row{"a": "12", "b": "12.9", "c": int64(7), "d": nil, "e": "junk", "f": float64(3.5), "g": "a\x00b",
		"h": `[3,"3",-1,"x",4]`, "exp": "0", "exp2": "1600000000", "dt": "2020-09-13 12:26:40"}
	for _, tt := range []struct {
		col  string
		want int64
	}{{"a", 12}, {"b", 12}, {"c", 7}, {"d", 0}, {"e", 0}, {"f", 3}, {"missing", 0}} {
		if got := r.int(tt.col); got != tt.want {
			t.Errorf("int(%s) = %d, want %d", tt.col, got, tt.want)
		}
	}
	if got := r.str("g"); got != "ab" {
		t.Errorf("str with NUL = %q, want %q", got, "ab")
	}
	if got := r.ids("h"); !slices.Equal(got, []int64{3, 4}) {
		t.Errorf("ids = %v, want [3 4]", got)
	}
	if _, ok := r.unixTime("exp"); ok {
		t.Errorf("unixTime(0) is a time, want none")
	}
	if got, ok := r.unixTime("exp2"); !ok || got.Unix() != 1600000000 {
		t.Errorf("unixTime(1600000000) = %v, %v", got, ok)
	}
	if got, ok := r.unixTime("dt"); !ok || got.Unix() != 1600000000 {
		t.Errorf("unixTime(DATETIME) = %v, %v", got, ok)
	}
}

func TestSlugify(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Première TV HD", "premiere_tv_hd"},
		{"Первый канал", "pervyi_kanal"},
		{"中央电视台", "zhong_yang_dian_shi_tai"},
		{"الجزيرة", "ljzyr"},
		{"ΕΡΤ 1", "ert_1"},
		{"Canal+ Sport", "canalplus_sport"},
		{"  --BBC One--  ", "bbc_one"},
		{"!!!", ""},
		{"日本", "ri_ben"},
		{"a/b\\c.d", "a_b_c_d"},
	} {
		t.Run(tt.in, func(t *testing.T) {
			if got := slugify(tt.in); got != tt.want {
				t.Errorf("slugify(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	var n names
	for i, want := range []string{"bbc", "bbc_2", "bbc_3"} {
		got, why := n.unique("BBC", "channel", int64(i+1))
		if got != want || (i > 0) != (why == `"bbc" is the name of stream 1`) {
			t.Errorf("unique #%d = %q (%s), want %q", i, got, why, want)
		}
	}
	// A title that slugifies to another's id-suffixed name still gets a unique one.
	if got, why := n.unique("bbc 2", "channel", 2); got != "bbc_2_2" || why != `"bbc_2" is the name of stream 2` {
		t.Errorf("unique(bbc 2) = %q (%s), want bbc_2_2", got, why)
	}
	if got, why := n.unique("!!!", "channel", 9); got != "channel" || !strings.Contains(why, "no letter") {
		t.Errorf("unique(!!!) = %q (%s), want channel, with the reason", got, why)
	}
}

func TestReusableToken(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"0123456789abcdef0123456789ABCDEF", "0123456789abcdef0123456789abcdef"},
		{"0123456789abcdef", ""},                             // 64 bits
		{"aZ09_-aZ09_-aZ09_-aZ09", "aZ09_-aZ09_-aZ09_-aZ09"}, // 22 base64url characters
		{"1234567890123456789012345", ""},                    // digits only: ~83 bits
		{"abc def ghi jkl mno pqr stu", ""},                  // not URL-safe
		{"", ""},
	} {
		if got := reusableToken(tt.in); got != tt.want {
			t.Errorf("reusableToken(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
