package wrapper

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"unicode"
)

// UserService manages the users of a Portkey organisation. Reach it as Client.Users.
type UserService struct {
	client *Client
}

// Delete removes the user with the given id from the organisation, as "Remove a user"
// (DELETE /admin/users/{userId}) does.
//
// The id is checked before anything is sent: an empty id, "." or "..", or one holding a
// control character is refused, since each would address another resource than the
// user. Any other id is sent as exactly one path segment, escaped as needed.
//
// An unknown user gives an *APIError for which IsNotFound reports true. A delete that
// fails on the way (connection refused or reset, 429, 502, 503, 504) is retried as
// WithMaxRetries allows. When an attempt may have removed the user before its answer was
// lost (the connection broke after the request went out, or a gateway answered 502 or
// 504), a retry told "not found" (AB08) counts as success: the user is gone either way.
func (s *UserService) Delete(ctx context.Context, userID string, opts ...CallOption) error {
	if err := checkPathID("userID", userID); err != nil {
		return fmt.Errorf("portkey: Users.Delete: %w", err)
	}
	return s.client.send(ctx, opts, request{
		do: func(ctx context.Context) (*http.Response, error) {
			return s.client.api.DeleteUser(ctx, userID)
		},
		idempotentDelete: true,
	})
}

// checkPathID refuses an id that would not travel as the one path segment it names.
func checkPathID(field, id string) error {
	switch {
	case id == "":
		return fmt.Errorf("%s is empty", field)
	case id == "." || id == "..":
		return fmt.Errorf("%s %q is a dot segment, which would address another path", field, id)
	case strings.ContainsFunc(id, unicode.IsControl):
		return fmt.Errorf("%s %q holds a control character", field, id)
	}
	return nil
}
