// Package wrapper is a Go client for the Portkey admin API: the users, invites,
// workspaces, workspace members and SCIM group mappings of an organisation.
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
// # Services
//
// A Client reaches each part of the API through a service: Users (List, All, Get, Update,
// Delete), Invites (Create, List, All, Get, Delete, Resend), Workspaces (Create, List,
// All, Get, Update, Delete), Workspaces.Members (Add, List, All, Get, Update, Remove) and
// Workspaces.SCIMGroups (List, Create, Delete). A workspace is named by its id or slug,
// a member by their user id.
//
// # Lists
//
// List methods return one Page: its Items and the Total the server counted (-1 when it
// gave none). Pages count from 0, as Portkey's do, and each list sends the paging
// parameters its endpoint spells (pageSize for users and invites, page_size for
// workspaces and members). All methods walk every page as an iter.Seq2, asking for
// DefaultPageSize entries a page unless told otherwise, and stop after an empty page, at
// the total, or, when the server gave no total, after a short page; an empty page before
// the total ends the walk with an error matching ErrPaging. A server that sends a page it sent before, or more than
// MaxPages pages, ends the walk with an error matching ErrPaging, so no server can keep
// a loop going for ever.
//
// # Reading answers
//
// Results are this package's own types (User, Invite, Workspace, Member,
// SCIMGroupMapping), read field by field: one odd value costs that field, never the
// entry or the list. Timestamps are time.Time, read from RFC 3339 or from the zoneless
// "2024-01-25 11:35:07" the API also writes (as UTC). Roles and states the package does
// not know come through as sent; unknown fields are ignored; null reads as empty. A
// field that cannot be read stays zero, and its JSON text is kept in the result's
// Unparsed map under its name, such as "created_at".
//
// # Updates
//
// A field of an update left at its zero value is left out of the request, so the
// resource keeps its value. A field the API lets a caller clear is a Change: zero leaves
// it, Set gives it a value, and Clear sends an explicit null:
//
//	client.Workspaces.Update(ctx, "ws-research",
//		wrapper.WorkspaceUpdate{UserAPIKeyConfig: wrapper.Clear[string]()})
//
// # Errors
//
// For a delete, and for the changes the API answers with an empty object, any 2xx answer
// is success, whatever its body says ({}, nothing, 204).
// Every answer outside 2xx is an *APIError, with the HTTP status, Portkey's error code
// (such as "AB08"), the message, the request id and the start of the body. Use errors.As
// to reach it, IsNotFound for the common case, or errors.Is with ErrUnauthorized,
// ErrForbidden, ErrNotFound, ErrConflict and ErrRateLimited. IsNotFound requires the
// admin API's errorCode AB08, so a wrong base URL's 404 never reads as "already
// removed". Input that cannot be right (an id that is empty, ".", ".." or holds a control
// character, an invite without an email address) is refused with an error naming the
// method and the argument, before anything is sent.
//
// # Retries and timeouts
//
// A request that is safe to repeat (GET, HEAD, OPTIONS, PUT, DELETE; never POST, so no
// invite, workspace, membership or mapping is made twice) is retried after a connection
// error (an HTTP/2 stream reset included) or a 429, 502, 503 or 504 answer:
// DefaultMaxRetries times unless WithMaxRetries says otherwise, with exponential backoff
// and full jitter, or after the wait the server names in Retry-After (seconds or a date)
// when that is at most a minute. A longer Retry-After is not waited out: the *APIError comes back at once
// with RetryAfter set.
// Each call is bounded by DefaultTimeout, or WithTimeout, retries included; a context that
// ends sooner ends the call, and no wait starts that would outlast the deadline. A call
// that runs out of time returns an error matching context.DeadlineExceeded (and the
// cause of a caller's deadline, if any) and not context.Canceled, over HTTP/1 and HTTP/2
// alike. One timer per Client watches the calls' limits; under testing/synctest, give
// each bubble its own Client, as its own http.Transport.
//
// A 429 or 503 answer with Retry-After pauses the whole Client until then (a minute at
// most): every call, in any goroutine, waits before sending, so that many goroutines
// back off together. A call whose deadline ends first fails at once with an error
// matching ErrRateLimited. WithoutSharedWait turns the shared pause off.
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
