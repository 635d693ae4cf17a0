// Package wrapper is a Go client for the Portkey admin API, starting with removing a user
// from an organisation.
//
// # Connecting
//
// New builds a Client. By default it talks to Portkey's cloud at CloudBaseURL; give
// WithSelfHosted the base URL of a self-hosted control plane instead:
//
//	client, err := wrapper.New(wrapper.WithAPIKey(key))
//	client, err := wrapper.New(wrapper.WithAPIKey(key),
//		wrapper.WithSelfHosted("https://portkey.internal.example/v1"))
//
// A self-hosted base URL is used exactly as given (no "/v1" is added or removed). New
// refuses a URL that is empty, has no scheme or host, uses a scheme other than http or
// https, carries user info, a query or a fragment, has surrounding white space or a bad
// port, or has a path a server could read as another (empty or dot segments, also
// encoded, or a backslash). Plain http is accepted for a loopback host only,
// unless WithInsecureHTTP says otherwise.
//
// # Environment
//
// When the matching option is not given, New reads PORTKEY_API_KEY and PORTKEY_BASE_URL
// (an empty variable counts as unset). Options always win; WithoutEnvironment makes New
// ignore both variables. New reads the environment nowhere else, and only once.
//
// # Errors
//
// For a delete, any 2xx answer is success, whatever its body says ({}, nothing, 204).
// Every answer outside 2xx is an *APIError, with the HTTP status, Portkey's error code
// (such as "AB08"), the message, the request id and the start of the body. Use errors.As
// to reach it, IsNotFound for the common case, or errors.Is with ErrUnauthorized,
// ErrForbidden, ErrNotFound, ErrConflict and ErrRateLimited. IsNotFound requires the
// admin API's errorCode AB08, so a wrong base URL's 404 never reads as "already
// removed". Input that cannot be right
// (an empty user id, ".", "..", control characters) is refused with an error naming the
// argument, before anything is sent.
//
// # Retries and timeouts
//
// A request that is safe to repeat (GET, HEAD, OPTIONS, PUT, DELETE; never POST) is
// retried after a connection error or a 429, 502, 503 or 504 answer: DefaultMaxRetries
// times unless WithMaxRetries says otherwise, with exponential backoff and full jitter,
// or after the wait the server names in Retry-After (seconds or a date) when that is at
// most a minute. A longer Retry-After is not waited out: the *APIError comes back at once
// with RetryAfter set.
// Each call is bounded by DefaultTimeout, or WithTimeout, retries included; a context that
// ends sooner ends the call, and no wait starts that would outlast the deadline.
//
// A delete whose answer was lost (the connection broke after the request went out, or a
// gateway answered 502 or 504) is settled by its retry: "not found" (AB08) then means the
// thing is gone, and the call succeeds.
//
// # Per-call options
//
// Every method takes CallOptions after its arguments: WithCallHeader, WithCallTimeout and
// WithCallMaxRetries. They change that call only, never the Client.
//
// # Safety
//
// The API key travels in the x-portkey-api-key header, set in one place, only on
// requests to the configured origin. Redirects are never followed: a 3xx comes back as
// an *APIError, so neither the key nor a DELETE (turned into a GET, or pointed at
// another user) can leave by that road. The key never appears in an error,
// whatever a server echoes, nor when a Client is printed with fmt. The package writes no
// logs.
//
// # Testing your code
//
// Package portkeytest runs an in-memory control plane on loopback; see its
// documentation and the examples here.
package wrapper
