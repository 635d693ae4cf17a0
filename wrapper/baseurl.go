package wrapper

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// CloudBaseURL is the base URL of Portkey's cloud control plane, used unless
// WithSelfHosted or PORTKEY_BASE_URL names another.
const CloudBaseURL = "https://api.portkey.ai/v1"

// parseBaseURL checks a base URL once, at construction, so that a bad one fails in New
// rather than at the first call. It returns the URL with exactly one trailing slash,
// which is what the generated client resolves operation paths against.
func parseBaseURL(raw string, allowHTTP bool) (*url.URL, error) {
	u, err := checkBaseURL(raw, allowHTTP)
	if err != nil {
		// Errors show the value as given, but never a password inside it. A value that
		// does not parse can have its password quoted anywhere in the message, escaped,
		// or cut where the parser stopped the user info ("/", "?" or "#").
		msg := err.Error()
		if password := passwordIn(raw); password != "" {
			msg = newCredential(password).maskString(msg)
			if cut := strings.IndexAny(password, "/?#"); cut > 0 {
				msg = newCredential(password[:cut]).maskString(msg)
			}
		}
		return nil, errors.New(msg)
	}

	// One trailing slash is tolerated and then added back, so "…/v1" and "…/v1/" mean the
	// same.
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	return url.Parse(u.Scheme + "://" + u.Host + path + "/")
}

func checkBaseURL(raw string, allowHTTP bool) (*url.URL, error) {
	if raw == "" {
		return nil, fmt.Errorf("base URL is empty")
	}
	if strings.TrimSpace(raw) != raw {
		return nil, fmt.Errorf("base URL %q has surrounding white space", raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err // the url.Error quotes the value too
		}
		return nil, fmt.Errorf("base URL %q does not parse: %w", raw, err)
	}

	if err := checkURLParts(u, raw, allowHTTP); err != nil {
		return nil, fmt.Errorf("base URL %q: %w", raw, err)
	}
	if err := checkBasePath(u); err != nil {
		return nil, fmt.Errorf("base URL %q: %w", raw, err)
	}
	return u, nil
}

// checkBasePath refuses a path that a server or proxy could read as another path: an
// empty or dot segment (also when percent-encoded, or with ";params" after it, which
// some servers drop), or a backslash, which some servers take for a slash.
func checkBasePath(u *url.URL) error {
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	if path == "" {
		return nil
	}
	for seg := range strings.SplitSeq(strings.TrimPrefix(path, "/"), "/") {
		decoded, _ := url.PathUnescape(seg) // EscapedPath is always valid
		name, _, _ := strings.Cut(decoded, ";")
		switch {
		case name == "" || name == "." || name == "..":
			return fmt.Errorf("path has an empty, \".\" or \"..\" segment")
		case strings.Contains(decoded, "\\"):
			return fmt.Errorf("path has a backslash")
		}
	}
	return nil
}

// passwordIn returns what could be the password in a URL's user info: the text between
// the first ":" after the scheme and the last "@". It works on the text, so it also
// serves a value that does not parse, and it errs on the side of finding one.
func passwordIn(raw string) string {
	at := strings.LastIndex(raw, "@")
	if at < 0 {
		return ""
	}
	rest := raw[:at]
	if scheme, after, ok := strings.Cut(rest, ":"); ok && strings.HasPrefix(after, "/") &&
		!strings.ContainsAny(scheme, "/@") {
		rest = after // skip "https:"; without a "/" after it, "u:" is a user name
	}
	_, password, ok := strings.Cut(strings.TrimLeft(rest, "/"), ":")
	if !ok {
		return ""
	}
	return password
}

func checkURLParts(u *url.URL, raw string, allowHTTP bool) error {
	switch {
	case u.Scheme == "":
		return fmt.Errorf("no scheme: write https://…")
	case u.Scheme != "https" && u.Scheme != "http":
		return fmt.Errorf("scheme %q is not http or https", u.Scheme)
	case u.Opaque != "" || u.Hostname() == "":
		return fmt.Errorf("no host")
	case u.User != nil:
		return fmt.Errorf("user info is not allowed: the API key is the only credential")
	case u.RawQuery != "" || u.ForceQuery:
		return fmt.Errorf("a query is not allowed")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return fmt.Errorf("a fragment is not allowed")
	case !validPort(u):
		return fmt.Errorf("port %q is not a number from 1 to 65535", u.Port())
	case u.Scheme == "http" && !allowHTTP && !isLoopback(u.Hostname()):
		return fmt.Errorf("plain http to a host that is not loopback would send the API key " +
			"unencrypted; use https, or WithInsecureHTTP to allow it")
	}
	return nil
}

// validPort accepts no port, or a decimal port from 1 to 65535 without leading zeros.
func validPort(u *url.URL) bool {
	port := u.Port()
	if port == "" {
		return !strings.HasSuffix(u.Host, ":")
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= 1 && n <= 65535 && port[0] != '0'
}

// isLoopback reports whether host is "localhost" or a loopback IP address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// origin returns scheme://host:port with the default port made explicit, so that
// "https://h" and "https://h:443" compare equal.
func origin(u *url.URL) string {
	scheme, port := strings.ToLower(u.Scheme), u.Port()
	if port == "" && scheme == "https" {
		port = "443"
	} else if port == "" && scheme == "http" {
		port = "80"
	}
	return scheme + "://" + strings.ToLower(u.Hostname()) + ":" + port
}
