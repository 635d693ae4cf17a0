package wrapper

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"unicode"
)

// CloudBaseURL is the base URL of Portkey's cloud control plane, used unless
// WithSelfHosted or PORTKEY_BASE_URL names another.
const CloudBaseURL = "https://api.portkey.ai/v1"

// parseBaseURL checks a base URL once, at construction, so that a bad one fails in New
// rather than at the first call. It returns the URL with exactly one trailing slash,
// which is what the generated client resolves operation paths against.
func parseBaseURL(raw string, allowHTTP bool) (*url.URL, error) {
	if raw == "" {
		return nil, fmt.Errorf("base URL is empty")
	}
	if strings.TrimSpace(raw) != raw {
		return nil, fmt.Errorf("base URL %q has surrounding white space", raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Parse quotes the input itself.
		return nil, fmt.Errorf("base URL does not parse: %w", err)
	}
	// Errors show the value as given, but never a password inside it.
	shown := raw
	if _, hasPassword := u.User.Password(); hasPassword {
		shown = u.Redacted()
	}

	if err := checkURLParts(u, raw, allowHTTP); err != nil {
		return nil, fmt.Errorf("base URL %q: %w", shown, err)
	}

	// One trailing slash is tolerated and then added back, so "…/v1" and "…/v1/" mean the
	// same. Any other empty or dot segment would change the request path, so it is refused.
	// Segments are compared decoded, since servers and proxies treat "%2e%2e" as "..".
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	for seg := range strings.SplitSeq(strings.TrimPrefix(path, "/"), "/") {
		decoded, _ := url.PathUnescape(seg) // EscapedPath is always valid
		if path != "" && (decoded == "" || decoded == "." || decoded == "..") {
			return nil, fmt.Errorf("base URL %q: path has an empty, \".\" or \"..\" segment", shown)
		}
	}
	norm, err := url.Parse(u.Scheme + "://" + u.Host + path + "/")
	if err != nil {
		return nil, fmt.Errorf("base URL %q: %w", shown, err)
	}
	return norm, nil
}

func checkURLParts(u *url.URL, raw string, allowHTTP bool) error {
	switch {
	case u.Scheme == "":
		return fmt.Errorf("no scheme: write https://…")
	case u.Scheme != "https" && u.Scheme != "http":
		return fmt.Errorf("scheme %q is not http or https", u.Scheme)
	case u.Opaque != "" || u.Host == "":
		return fmt.Errorf("no host")
	case u.User != nil:
		return fmt.Errorf("user info is not allowed: the API key is the only credential")
	case u.RawQuery != "" || u.ForceQuery:
		return fmt.Errorf("a query is not allowed")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return fmt.Errorf("a fragment is not allowed")
	case u.Hostname() == "":
		return fmt.Errorf("no host")
	case u.Scheme == "http" && !allowHTTP && !isLoopback(u.Hostname()):
		return fmt.Errorf("plain http to a host that is not loopback would send the API key " +
			"unencrypted; use https, or WithInsecureHTTP to allow it")
	}
	return nil
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

func isControl(r rune) bool {
	return unicode.IsControl(r)
}
