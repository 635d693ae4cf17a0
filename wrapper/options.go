package wrapper

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"
	"unicode"
)

// Option configures a Client. Each option checks its argument and makes New fail with
// an error that names the option when the argument is unusable.
type Option func(*config) error

// config is what New resolves options, environment and defaults into.
type config struct {
	apiKey    setting[string]
	baseURL   setting[string]
	retries   int
	timeout   time.Duration
	userAgent string
	client    *http.Client
	allowHTTP bool
	noEnv     bool

	// lookupEnv reads the environment; tests replace it to run in parallel.
	lookupEnv func(string) (string, bool)
	// wait sleeps between retries; tests replace it to control time.
	wait func(ctx context.Context, d time.Duration) error
	// jitter draws the backoff within its ceiling; tests replace it to pin the draw.
	jitter func(ceiling time.Duration) time.Duration
}

// setting is a value together with where it came from, so an error can name its source.
type setting[T any] struct {
	value  T
	source string
	set    bool
}

func (s *setting[T]) from(source string, v T) {
	*s = setting[T]{value: v, source: source, set: true}
}

// WithAPIKey sets the Portkey API key sent in the x-portkey-api-key header. It wins over
// PORTKEY_API_KEY. The key must be non-empty, without surrounding white space or control
// characters; errors about it never repeat it.
func WithAPIKey(key string) Option {
	return func(c *config) error {
		if err := checkAPIKey(key); err != nil {
			return fmt.Errorf("WithAPIKey: %w", err)
		}
		c.apiKey.from("WithAPIKey", key)
		return nil
	}
}

// WithSelfHosted points the client at a self-hosted control plane instead of Portkey's
// cloud. The base URL is used as given, such as "https://portkey.internal.example/v1":
// nothing is added to or removed from its path except one trailing slash. It wins over
// PORTKEY_BASE_URL. Plain http is accepted only for a loopback host unless
// WithInsecureHTTP is also given.
func WithSelfHosted(baseURL string) Option {
	return func(c *config) error {
		c.baseURL.from("WithSelfHosted", baseURL)
		return nil
	}
}

// WithInsecureHTTP allows a plain http base URL to a host that is not loopback. The API
// key then crosses the network unencrypted, so keep it to networks you trust.
func WithInsecureHTTP() Option {
	return func(c *config) error {
		c.allowHTTP = true
		return nil
	}
}

// WithHTTPClient sets the HTTP client used for every request. The client is copied, never
// changed: its transport, cookie jar and timeout are kept, and its redirect policy is
// replaced by one that follows no redirect (see the package documentation).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("WithHTTPClient: client is nil")
		}
		c.client = hc
		return nil
	}
}

// WithMaxRetries sets how many times a failed request that is safe to repeat is retried
// (DefaultMaxRetries unless set). 0 turns retries off; a negative number is an error.
func WithMaxRetries(n int) Option {
	return func(c *config) error {
		if err := checkRetries("WithMaxRetries", n); err != nil {
			return err
		}
		c.retries = n
		return nil
	}
}

// WithTimeout sets the most one method call may take, retries and the waits between them
// included (DefaultTimeout unless set). A context deadline that comes sooner still wins.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if err := checkTimeout("WithTimeout", d); err != nil {
			return err
		}
		c.timeout = d
		return nil
	}
}

// WithUserAgent replaces the User-Agent header, which by default names this module and
// its version.
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		if strings.TrimSpace(ua) == "" || strings.ContainsFunc(ua, unicode.IsControl) {
			return fmt.Errorf("WithUserAgent: %q is empty or holds control characters", ua)
		}
		c.userAgent = ua
		return nil
	}
}

// WithoutEnvironment makes New ignore PORTKEY_API_KEY and PORTKEY_BASE_URL, so that the
// client is configured by its options alone.
func WithoutEnvironment() Option {
	return func(c *config) error {
		c.noEnv = true
		return nil
	}
}

// Environment variables read by New when the matching option is not given. They are the
// names Portkey's own SDKs use.
const (
	// EnvAPIKey names the variable holding the API key, used unless WithAPIKey is given.
	EnvAPIKey = "PORTKEY_API_KEY"
	// EnvBaseURL names the variable holding a self-hosted base URL, used unless
	// WithSelfHosted is given.
	EnvBaseURL = "PORTKEY_BASE_URL"
)

// applyEnvironment fills what options left unset from the environment. An empty variable
// counts as unset.
func (c *config) applyEnvironment() {
	if c.noEnv {
		return
	}
	lookup := c.lookupEnv
	if lookup == nil {
		lookup = os.LookupEnv
	}
	if v, ok := lookup(EnvAPIKey); ok && v != "" && !c.apiKey.set {
		c.apiKey.from(EnvAPIKey, v)
	}
	if v, ok := lookup(EnvBaseURL); ok && v != "" && !c.baseURL.set {
		c.baseURL.from(EnvBaseURL, v)
	}
}

func checkAPIKey(key string) error {
	switch {
	case key == "":
		return errors.New("API key is empty")
	case strings.TrimSpace(key) != key:
		return errors.New("API key has surrounding white space")
	case strings.ContainsFunc(key, unicode.IsControl):
		return errors.New("API key holds a control character")
	}
	return nil
}

// checkRetries and checkTimeout hold the rules shared by the client's options and the
// per-call ones, and name the option in their errors.
func checkRetries(option string, n int) error {
	if n < 0 {
		return fmt.Errorf("%s: %d is negative", option, n)
	}
	return nil
}

func checkTimeout(option string, d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("%s: %v is not positive", option, d)
	}
	return nil
}
