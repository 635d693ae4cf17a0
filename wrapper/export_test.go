package wrapper

import (
	"context"
	"time"
)

// Test-only options: they reach into the configuration where a public option would be
// the wrong promise to users.

// WithLookupEnv replaces the environment, so environment tests can run in parallel.
func WithLookupEnv(lookup func(string) (string, bool)) Option {
	return func(c *config) error {
		c.lookupEnv = lookup
		return nil
	}
}

// WithWait replaces the sleep between retries, so tests control time.
func WithWait(wait func(context.Context, time.Duration) error) Option {
	return func(c *config) error {
		c.wait = wait
		return nil
	}
}

// WithJitter replaces the random draw within a backoff ceiling.
func WithJitter(jitter func(time.Duration) time.Duration) Option {
	return func(c *config) error {
		c.jitter = jitter
		return nil
	}
}

// RetryAfter exposes the Retry-After parser.
var RetryAfter = retryAfter

// Backoff exposes the backoff schedule.
var Backoff = backoff
