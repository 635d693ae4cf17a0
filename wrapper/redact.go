package wrapper

import (
	"errors"
	"math/bits"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// masked stands in for the API key wherever a server or a lower layer repeated it.
const masked = "[redacted]"

// withheld replaces a whole text that holds the key in a form too tangled to mask in
// place, such as an encoding of an encoding.
const withheld = "[withheld: it held the API key]"

// maxDecodeLevels is how many layers of encoding are undone in search of the key. Text
// still changing after that many is withheld whole: no honest server nests deeper.
const maxDecodeLevels = 16

// maxErrorText is the longest error text from the HTTP layer that is kept. Go's client
// quotes whatever a server sent in a malformed answer, which can be megabytes.
const maxErrorText = 4 << 10

// credential holds the API key inside a function, not a string field, so that no fmt
// verb prints it: fmt shows a function as an address, even inside a struct whose
// unexported fields it walks without calling any method.
type credential struct {
	key func() string
}

func newCredential(key string) *credential {
	return &credential{key: func() string { return key }}
}

// maskString hides the key in text that came from a server or a lower layer. Copies of
// the key are masked however they are spelled: as is, percent-encoded (as in a URL), or
// with backslash escapes (JSON's and Go's, octal and surrogate pairs included), in any
// mixture. An escape such as \n is read both ways, as a newline and as the letter, since
// whoever reads the text may take either. Text that holds the key only under deeper
// layers of encoding is withheld whole. The work is linear in the length of s.
func (c *credential) maskString(s string) string {
	key := c.key()
	if strings.Contains(s, key) {
		s = strings.ReplaceAll(s, key, masked)
	}
	if !strings.ContainsAny(s, `%\`) {
		return s // nothing encoded: the common case ends here
	}

	for _, r := range []reading{asEscapes, asLetters} {
		if strings.Contains(decode(s, r), key) {
			s = maskDecoded(s, key, r)
		}
	}
	if spells(s, key) {
		return withheld
	}
	for _, r := range []reading{asEscapes, asLetters, asLayers} {
		if revealsBeneath(s, key, r) {
			return withheld
		}
	}
	return s
}

// revealsBeneath reports whether some reading of the escapes spells key in any of up to
// maxDecodeLevels layers beneath s, each peeled off with r. Text still changing past
// that many layers counts as revealing it.
func revealsBeneath(s, key string, r reading) bool {
	for range maxDecodeLevels {
		next := decode(s, r)
		switch {
		case next == s:
			return false
		case !strings.ContainsAny(next, `%\`):
			return strings.Contains(next, key)
		case spells(next, key):
			return true
		}
		s = next
	}
	return true
}

// spells reports whether some reading of s spells key, each escape read any way a
// reader might take it: as itself, as what it encodes, or as the character after the
// backslash. A hostile server can mix readings within one key, which no single decoding
// of the whole text sees. It walks s once, keeping for the next few positions the set of
// key prefixes that could end there.
func spells(s, key string) bool {
	const reach = 13 // the longest escape (a \uXXXX\uXXXX pair) plus one
	words := len(key)/64 + 1
	var ahead [reach][]uint64
	for i := range ahead {
		ahead[i] = make([]uint64, words)
	}

	var buf [8]decodedRun
	for i := 0; i < len(s); i++ {
		here := ahead[i%reach]
		here[0] |= 1 // a copy of the key may start anywhere
		if c := s[i]; c != '%' && c != '\\' {
			// A plain byte has one reading: move every prefix it extends one step on.
			next := ahead[(i+1)%reach]
			for w, set := range here {
				for ; set != 0; set &= set - 1 {
					if j := w*64 + bits.TrailingZeros64(set); key[j] == c {
						if j+1 == len(key) {
							return true
						}
						next[(j+1)/64] |= 1 << ((j + 1) % 64)
					}
				}
				here[w] = 0
			}
			continue
		}
		readings := readingsAt(s, i, buf[:0])
		for w, set := range here {
			for ; set != 0; set &= set - 1 {
				j := w*64 + bits.TrailingZeros64(set)
				for _, r := range readings {
					b := r.d.bytes()
					if len(key)-j < len(b) || key[j:j+len(b)] != string(b) {
						continue
					}
					if j+len(b) == len(key) {
						return true
					}
					next := ahead[(i+r.n)%reach]
					next[(j+len(b))/64] |= 1 << ((j + len(b)) % 64)
				}
			}
			here[w] = 0
		}
	}
	return false
}

// decodedRun is one reading of the text at a position: what it stands for and how many
// bytes it takes.
type decodedRun struct {
	d decoded
	n int
}

// readingsAt lists the ways the text at s[i] can be read: as itself, and, for an
// escape, as what it encodes and as the character after the backslash.
func readingsAt(s string, i int, out []decodedRun) []decodedRun {
	out = append(out, decodedRun{oneByte(s[i]), 1})
	if s[i] != '%' && s[i] != '\\' {
		return out
	}
	if d, n := decodeAt(s, i, asEscapes); n > 1 {
		out = append(out, decodedRun{d, n})
	}
	if s[i] == '\\' && i+1 < len(s) {
		// The two other ways to read a backslash escape; percent-encoding has no others.
		if d, n := decodeAt(s, i, asLetters); n > 1 {
			out = append(out, decodedRun{d, n})
		}
		out = append(out, decodedRun{oneByte(s[i+1]), 2})
	}
	return out
}

// maskBody is maskString for an error body. A body cut short, at the size limit or by a
// stalled read, loses its last few hundred bytes as well: a copy of the key cut in two
// by the end, in whatever spelling, cannot be recognised, so the tail where it could
// be goes.
func (c *credential) maskBody(body []byte, truncated bool) []byte {
	text := string(body)
	if truncated {
		text = c.cut(text, len(text))
	}
	return []byte(c.maskString(text))
}

// cut shortens s to at most limit bytes, for text that is cut before it is masked. A
// copy of the key split by the cut would no longer be recognised, so the cut also drops
// the stretch before it that could hold the start of one: no spelling takes more than
// 10 bytes for a byte of the key (\U0000XXXX). "…" marks the cut.
func (c *credential) cut(s string, limit int) string {
	end := max(0, min(len(s), limit)-10*len(c.key()))
	for end > 0 && end < len(s) && !utf8.RuneStart(s[end]) {
		end-- // never split a character
	}
	return s[:end] + "…"
}

// maskError hides the key in an error from below the wrapper: Go's HTTP client quotes
// URLs and malformed answers in its errors, and a hostile server can put the key in
// either. An error that holds the key, or is too long to check cheaply, is replaced
// whole, chain included, by a masked and shortened copy that errors.Is still matches
// against the original (so context.Canceled and the like keep working); errors.As no
// longer reaches the types inside it, since any of them could print the key.
func (c *credential) maskError(err error) error {
	if err == nil {
		return nil
	}
	text := err.Error()
	if len(text) <= maxErrorText && c.chainIsClean(err) {
		return err
	}
	if len(text) > maxErrorText {
		text = c.cut(text, maxErrorText)
	}
	return &maskedError{text: c.maskString(text), is: err}
}

// chainIsClean reports whether no error in err's chain holds the key. Every text in
// the chain must be short enough to check.
func (c *credential) chainIsClean(err error) bool {
	for e := err; e != nil; e = errors.Unwrap(e) {
		text := e.Error()
		if len(text) > maxErrorText || c.maskString(text) != text {
			return false
		}
	}
	return true
}

// maskedError is an error whose text had the key masked; see maskError.
type maskedError struct {
	text string
	is   error
}

// Error returns the masked text.
func (e *maskedError) Error() string { return e.text }

// Is matches what the original error matched, without exposing it.
func (e *maskedError) Is(target error) bool { return errors.Is(e.is, target) }

// maskDecoded masks copies of key spelled with escapes by searching a decoded view of
// s that remembers which stretch of s each decoded byte came from.
func maskDecoded(s, key string, r reading) string {
	view := make([]byte, 0, len(s))
	var start, end []int32 // the stretch of s behind each byte of view
	for i := 0; i < len(s); {
		d, n := decodeAt(s, i, r)
		for range d.len {
			start, end = append(start, int32(i)), append(end, int32(i+n))
		}
		view = append(view, d.bytes()...)
		i += n
	}

	var out strings.Builder
	last := 0
	for j, plain := 0, string(view); ; {
		k := strings.Index(plain[j:], key)
		if k < 0 {
			break
		}
		from, to := int(start[j+k]), int(end[j+k+len(key)-1])
		if from >= last {
			out.WriteString(s[last:from])
			out.WriteString(masked)
			last = to
		}
		j += k + len(key)
	}
	if last == 0 {
		return s
	}
	out.WriteString(s[last:])
	return out.String()
}

// decode undoes one level of escapes, read as r says.
func decode(s string, r reading) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		d, n := decodeAt(s, i, r)
		b = append(b, d.bytes()...)
		i += n
	}
	return string(b)
}

// decoded holds what one escape stands for: at most one UTF-8 encoded rune.
type decoded struct {
	buf [utf8.UTFMax]byte
	len int
}

func (d *decoded) bytes() []byte { return d.buf[:d.len] }

func oneByte(b byte) decoded { return decoded{buf: [utf8.UTFMax]byte{b}, len: 1} }

func oneRune(r rune) decoded {
	var d decoded
	d.len = utf8.EncodeRune(d.buf[:], r)
	return d
}

// reading says how decodeAt takes a backslash escape.
type reading int

const (
	// asEscapes reads escapes as JSON and Go do: \n is a newline, \x41 is "A".
	asEscapes reading = iota
	// asLetters reads \n and its kind as the letter after the backslash, and so an \x
	// or \u without its digits.
	asLetters
	// asLayers undoes only what nests one encoding in another, %XX and \\, and leaves
	// every other escape for spells to read in all its ways at the next layer.
	asLayers
)

// decodeAt decodes the escape at s[i], if there is one: %XX, \xXX, \ooo (octal),
// \uXXXX (a surrogate pair as one character), \UXXXXXXXX, or a backslash before any
// other character, read as r says. It returns what the escape stands for, or s[i]
// itself, and how many bytes of s that took.
func decodeAt(s string, i int, r reading) (decoded, int) {
	switch {
	case s[i] == '%':
		if v, ok := hexAt(s, i+1, 2); ok {
			return oneByte(byte(v)), 3
		}
	case s[i] == '\\' && r == asLayers:
		if i+1 < len(s) && s[i+1] == '\\' {
			return oneByte('\\'), 2
		}
	case s[i] == '\\' && i+1 < len(s):
		c := s[i+1]
		switch {
		case c == 'x':
			if v, ok := hexAt(s, i+2, 2); ok {
				return oneByte(byte(v)), 4
			}
		case c == 'u':
			if v, ok := hexAt(s, i+2, 4); ok {
				if utf16.IsSurrogate(rune(v)) && i+11 < len(s) && s[i+6] == '\\' && s[i+7] == 'u' {
					if low, ok := hexAt(s, i+8, 4); ok {
						return oneRune(utf16.DecodeRune(rune(v), rune(low))), 12
					}
				}
				return oneRune(rune(v)), 6
			}
		case c == 'U':
			if v, ok := hexAt(s, i+2, 8); ok {
				return oneRune(rune(v)), 10
			}
		case '0' <= c && c <= '7':
			if v, ok := octalAt(s, i+1); ok {
				return oneByte(v), 4
			}
		}
		if j := strings.IndexByte("nrtbfav", c); j >= 0 && r == asEscapes {
			return oneByte("\n\r\t\b\f\a\v"[j]), 2
		}
		// Any other escaped character stands for itself, as \/ and \" do in JSON: for
		// masking, a liberal reading is the safe one.
		return oneByte(c), 2
	}
	return oneByte(s[i]), 1
}

// hexAt reads n hex digits at s[from:], without allocating.
func hexAt(s string, from, n int) (uint32, bool) {
	if from+n > len(s) {
		return 0, false
	}
	var v uint32
	for _, c := range []byte(s[from : from+n]) {
		switch {
		case '0' <= c && c <= '9':
			v = v<<4 | uint32(c-'0')
		case 'a' <= c && c <= 'f':
			v = v<<4 | uint32(c-'a'+10)
		case 'A' <= c && c <= 'F':
			v = v<<4 | uint32(c-'A'+10)
		default:
			return 0, false
		}
	}
	return v, true
}

// octalAt reads three octal digits at s[from:] that make a byte.
func octalAt(s string, from int) (byte, bool) {
	if from+3 > len(s) {
		return 0, false
	}
	var v uint32
	for _, c := range []byte(s[from : from+3]) {
		if c < '0' || c > '7' {
			return 0, false
		}
		v = v<<3 | uint32(c-'0')
	}
	return byte(v), v <= 0xff
}
