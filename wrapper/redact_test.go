package wrapper

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// spell writes key with each byte, at random, as itself, %XX (either case), \xXX,
// \u00XX or a backslash before it, the way a hostile server could.
func spell(r *rand.Rand, key string) string {
	var b strings.Builder
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch r.IntN(6) {
		case 0:
			fmt.Fprintf(&b, "%%%02X", c)
		case 1:
			fmt.Fprintf(&b, "%%%02x", c)
		case 2:
			fmt.Fprintf(&b, `\x%02x`, c)
		case 3:
			fmt.Fprintf(&b, `\u%04X`, c)
		case 4:
			b.WriteString(`\` + string(c))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// TestMaskStringProperty hides the key in random spellings, percent-encoded again up to
// twice, inside random text, and checks that masking leaves nothing that decodes to it.
// The check decodes with rules of its own, apart from the package's decoder.
func TestMaskStringProperty(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	keys := []string{"pk-live-AbC123xyz", "K2+ab/Cd=ef==", "0123456789abcdef0123"}
	for i := range 3000 {
		key := keys[i%len(keys)]
		spelled := spell(r, key)
		for range r.IntN(3) {
			spelled = strings.ReplaceAll(spelled, "%", "%25")
		}
		text := fmt.Sprintf("noise %d %s more%%noise\\ %s", i, spelled, strings.Repeat("x", r.IntN(5)))

		got := newCredential(key).maskString(text)
		if leaks(got, key) {
			t.Fatalf("case %d: key %q spelled %q\nmasked to %q", i, key, text, got)
		}
	}
}

// leaks decodes s up to four times, undoing percent-encoding with net/url (lenient on
// stray %) and backslash escapes, and reports whether key shows at any stage.
func leaks(s, key string) bool {
	for range 5 {
		if strings.Contains(s, key) {
			return true
		}
		s = unbackslash(unpercent(s))
	}
	return false
}

func unpercent(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if d, err := url.PathUnescape(s[i : i+3]); err == nil {
				b.WriteString(d)
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func unbackslash(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		hex := func(n int) (rune, bool) {
			if i+2+n > len(s) {
				return 0, false
			}
			v, err := strconv.ParseUint(s[i+2:i+2+n], 16, 32)
			return rune(v), err == nil
		}
		switch n := s[i+1]; {
		case n == 'x':
			if v, ok := hex(2); ok {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		case n == 'u':
			if v, ok := hex(4); ok {
				b.WriteRune(v)
				i += 5
				continue
			}
		}
		b.WriteByte(s[i+1])
		i++
	}
	return b.String()
}

// hostileBodies are error bodies built to make masking work hard: every byte an escape
// introducer, half-finished escapes, deep nesting.
var hostileBodies = map[string]string{
	"percent signs":      strings.Repeat("%", 1<<20),
	"half escapes":       strings.Repeat("%2", 1<<19),
	"backslash x":        strings.Repeat(`\x`, 1<<19),
	"backslash u":        strings.Repeat(`\u`, 1<<19),
	"backslashes":        strings.Repeat(`\`, 1<<20),
	"nested percent":     strings.Repeat("%2525252541", 1<<20/11),
	"keys and near keys": strings.Repeat("pk-live-AbC123xy%7a ", 1<<20/20),
}

// TestMaskStringWorkIsBounded holds masking a hostile body to a bounded amount of
// memory, so that an error answer cannot make the client allocate without end.
func TestMaskStringWorkIsBounded(t *testing.T) {
	cred := newCredential("pk-live-AbC123xyz")
	for name, body := range hostileBodies {
		body = body[:256<<10]
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		cred.maskString(body)
		runtime.ReadMemStats(&after)
		if used := after.TotalAlloc - before.TotalAlloc; used > 16<<20 {
			t.Errorf("%s: masking 256 KiB allocated %d MiB", name, used>>20)
		}
	}
}

func BenchmarkMaskStringHostile(b *testing.B) {
	cred := newCredential("pk-live-AbC123xyz")
	for name, body := range hostileBodies {
		b.Run(strings.ReplaceAll(name, " ", "_"), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				cred.maskString(body)
			}
		})
	}
}
