package wrapper

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// masked stands in for the API key wherever a server or a lower layer repeated it.
const masked = "[redacted]"

// withheld replaces a whole text that holds the key in a form too tangled to mask in
// place, such as an encoding of an encoding.
const withheld = "[withheld: it held the API key]"

// minPartialKey is the shortest start of the key that is masked where a body was cut off
// at the size limit; anything shorter says nothing about the key.
const minPartialKey = 4

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
// with backslash escapes (as in JSON or Go's quoted strings), in any mixture. An escape
// such as \n is read both ways, as a newline and as the letter, since whoever reads the
// text may take either. Text that still holds the key once decoded twice more is
// withheld whole.
func (c *credential) maskString(s string) string {
	key := c.key()
	if strings.Contains(s, key) {
		s = strings.ReplaceAll(s, key, masked)
	}
	if !strings.ContainsAny(s, `%\`) {
		return s // nothing encoded: the common case ends here
	}

	for _, literal := range []bool{false, true} {
		if strings.Contains(decode(s, literal), key) {
			s = maskDecoded(s, key, literal)
		}
	}
	for _, literal := range []bool{false, true} {
		once := decode(s, literal)
		for range 3 {
			if strings.Contains(once, key) {
				return withheld
			}
			if !strings.ContainsAny(once, `%\`) {
				break
			}
			once = decode(once, literal)
		}
	}
	return s
}

// maskBody is maskString for an error body. Where the body was cut off at the size
// limit, a tail that is the start of the key is masked too.
func (c *credential) maskBody(body []byte, truncated bool) []byte {
	key := c.key()
	if truncated {
		for n := min(len(key)-1, len(body)); n >= minPartialKey; n-- {
			if bytes.HasSuffix(body, []byte(key[:n])) {
				body = append(body[:len(body)-n:len(body)-n], masked...)
				break
			}
		}
	}
	return []byte(c.maskString(string(body)))
}

// maskError hides the key in an error from below the wrapper: Go's HTTP client quotes
// URLs and malformed answers in its errors, and a hostile server can put the key in
// either. An error that holds the key is replaced whole, chain included, by a masked
// copy that errors.Is still matches against the original (so context.Canceled and the
// like keep working); errors.As no longer reaches the types inside it, since any of
// them could print the key.
func (c *credential) maskError(err error) error {
	if err == nil {
		return nil
	}
	chain := err.Error()
	for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
		chain += "\n" + e.Error()
	}
	if c.maskString(chain) == chain {
		return err
	}
	return &maskedError{text: c.maskString(err.Error()), is: err}
}

// maskedError is an error whose text had the key masked; see maskError.
type maskedError struct {
	text string
	is   error
}

func (e *maskedError) Error() string { return e.text }

// Is matches what the original error matched, without exposing it.
func (e *maskedError) Is(target error) bool { return errors.Is(e.is, target) }

// maskDecoded masks copies of key spelled with escapes by searching a decoded view of
// s that remembers which stretch of s each decoded byte came from.
func maskDecoded(s, key string, literal bool) string {
	view := make([]byte, 0, len(s))
	var start, end []int32 // the stretch of s behind each byte of view
	for i := 0; i < len(s); {
		d, n := decodeAt(s, i, literal)
		for range len(d.bytes()) {
			start, end = append(start, int32(i)), append(end, int32(i+n))
		}
		view = append(view, d.bytes()...)
		i += n
	}

	var out strings.Builder
	last := 0
	for j := 0; ; {
		k := bytes.Index(view[j:], []byte(key))
		if k < 0 {
			break
		}
		from, to := int(start[j+k]), int(end[j+k+len(key)-1])
		if from >= last {
			out.WriteString(s[last:from] + masked)
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

// decode undoes one level of percent-encoding and backslash escapes; see decodeAt for
// literal.
func decode(s string, literal bool) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		d, n := decodeAt(s, i, literal)
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

// decodeAt decodes the escape at s[i], if there is one: %XX, \xXX, \uXXXX, \UXXXXXXXX
// or a backslash before any other character. With literal, \n and its kind stand for the
// letter after the backslash rather than a control character. It returns what the
// escape stands for, or s[i] itself, and how many bytes of s that took.
func decodeAt(s string, i int, literal bool) (decoded, int) {
	hexAt := func(from, n int) (uint64, bool) {
		if from+n > len(s) {
			return 0, false
		}
		v, err := strconv.ParseUint(s[from:from+n], 16, 32)
		return v, err == nil
	}

	switch {
	case s[i] == '%':
		if v, ok := hexAt(i+1, 2); ok {
			return oneByte(byte(v)), 3
		}
	case s[i] == '\\' && i+1 < len(s):
		c := s[i+1]
		switch c {
		case 'x':
			if v, ok := hexAt(i+2, 2); ok {
				return oneByte(byte(v)), 4
			}
		case 'u', 'U':
			width := 4
			if c == 'U' {
				width = 8
			}
			if v, ok := hexAt(i+2, width); ok {
				var d decoded
				d.len = utf8.EncodeRune(d.buf[:], rune(v))
				return d, 2 + width
			}
		}
		if j := strings.IndexByte("nrtbfav", c); j >= 0 && !literal {
			return oneByte("\n\r\t\b\f\a\v"[j]), 2
		}
		// Any other escaped character stands for itself, as \/ and \" do in JSON, and so
		// does an \x or \u without its digits: for masking, a liberal reading is the safe
		// one.
		return oneByte(c), 2
	}
	return oneByte(s[i]), 1
}
