package credential

import (
	"errors"
	"testing"
)

// The test vectors of Drepper's "Unix crypt using SHA-256 and SHA-512"
// specification (also in glibc's crypt/sha512c-test.c), plus the default
// admin hash of an Xtream Codes panel (salt "xtreamcodes", password "admin"),
// checked against glibc crypt(3) through perl -e 'print crypt(...)'.
var sha512CryptVectors = []struct {
	setting, password, want string
}{
	{"$6$saltstring", "Hello world!",
		"$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1"},
	{"$6$rounds=10000$saltstringsaltstring", "Hello world!",
		"$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v."},
	{"$6$rounds=5000$toolongsaltstring", "This is just a test",
		"$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0"},
	{"$6$rounds=1400$anotherlongsaltstring", "a very much longer text to encrypt.  This one even stretches over morethan one line.",
		"$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1"},
	{"$6$rounds=77777$short", "we have a short salt string but not a short password",
		"$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0"},
	{"$6$rounds=123456$asaltof16chars..", "a short string",
		"$6$rounds=123456$asaltof16chars..$BtCwjqMJGx5hrJhZywWvt0RLE8uZ4oPwcelCjmw2kSYu.Ec6ycULevoBK25fs2xXgMNrCzIMVcgEJAstJeonj1"},
	{"$6$rounds=10$roundstoolow", "the minimum number is still observed",
		"$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX."},
	{"$6$rounds=20000$xtreamcodes", "admin",
		"$6$rounds=20000$xtreamcodes$XThC5OwfuS0YwS4ahiifzF14vkGbGsFF1w7ETL4sRRC5sOrAWCjWvQJDromZUQoQuwbAXAFdX3h3Cp3vqulpS0"},
}

func TestSHA512CryptVectors(t *testing.T) {
	for _, v := range sha512CryptVectors {
		t.Run(v.setting, func(t *testing.T) {
			got, err := sha512Crypt(v.password, v.setting)
			if err != nil {
				t.Fatalf("sha512Crypt: %v", err)
			}
			if got != v.want {
				t.Errorf("sha512Crypt(%q, %q)\n got %s\nwant %s", v.password, v.setting, got, v.want)
			}
		})
	}
}

func TestVerifyPasswordSHA512Crypt(t *testing.T) {
	for _, v := range sha512CryptVectors {
		if v.setting == "$6$rounds=10$roundstoolow" {
			continue // the stored hash names rounds=1000; covered below
		}
		t.Run(v.setting, func(t *testing.T) {
			if err := VerifyPassword(v.want, v.password); err != nil {
				t.Errorf("VerifyPassword(right password) = %v, want nil", err)
			}
			if err := VerifyPassword(v.want, v.password+"x"); !errors.Is(err, ErrMismatch) {
				t.Errorf("VerifyPassword(wrong password) = %v, want ErrMismatch", err)
			}
			if !NeedsRehash(v.want) {
				t.Errorf("NeedsRehash(%s) = false, want true", v.want)
			}
		})
	}
	if err := VerifyPassword("$6$rounds=x$salt$abc", "p"); err == nil || errors.Is(err, ErrMismatch) {
		t.Errorf("malformed rounds: err = %v, want a parse error", err)
	}
	h, err := HashPassword("secret-password")
	if err != nil {
		t.Fatal(err)
	}
	if NeedsRehash(h) {
		t.Errorf("NeedsRehash(argon2id) = true, want false")
	}
}
