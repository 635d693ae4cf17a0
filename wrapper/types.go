package wrapper

import (
	"context"
	"net/http"

	"github.com/oapi-codegen/nullable"
)

// OrgRole is a user's role in the organisation. A role the API names that this package
// does not know yet comes through as it was sent.
type OrgRole string

// The organisation roles the API knows today.
const (
	OrgRoleOwner  OrgRole = "owner"
	OrgRoleAdmin  OrgRole = "admin"
	OrgRoleMember OrgRole = "member"
)

// WorkspaceRole is a user's role in one workspace. A role this package does not know yet
// comes through as it was sent.
type WorkspaceRole string

// The workspace roles the API knows today.
const (
	WorkspaceRoleAdmin   WorkspaceRole = "admin"
	WorkspaceRoleManager WorkspaceRole = "manager"
	WorkspaceRoleMember  WorkspaceRole = "member"
)

// Change is a field of an update that can be cleared as well as set. Its zero value
// leaves the field as it is; Set gives it a value; Clear sends an explicit null, which
// is how the API is told to remove the value.
//
//	wrapper.WorkspaceUpdate{UserAPIKeyConfig: wrapper.Set("pc-team-a")}
//	wrapper.WorkspaceUpdate{UserAPIKeyConfig: wrapper.Clear[string]()}
type Change[T any] struct {
	value T
	op    changeOp
}

type changeOp uint8

const (
	changeLeave changeOp = iota
	changeSet
	changeClear
)

// Set returns a Change that gives the field the value v.
func Set[T any](v T) Change[T] {
	return Change[T]{value: v, op: changeSet}
}

// Clear returns a Change that removes the field's value by sending null.
func Clear[T any]() Change[T] {
	return Change[T]{op: changeClear}
}

// Value returns the value Set gave, and whether the Change sets one.
func (c Change[T]) Value() (T, bool) {
	return c.value, c.op == changeSet
}

// Clears reports whether the Change removes the field's value.
func (c Change[T]) Clears() bool {
	return c.op == changeClear
}

// nullable is the Change as the generated request field: nil to leave the field out, a
// value, or an explicit null.
func (c Change[T]) nullable() nullable.Nullable[T] {
	switch c.op {
	case changeSet:
		return nullable.NewNullableWithValue(c.value)
	case changeClear:
		return nullable.NewNullNullable[T]()
	}
	return nil
}

// nonZero returns a pointer to v, or nil when v is its type's zero value: the generated
// request types leave a nil field out of the request.
func nonZero[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

// nonNil returns a pointer to s, or nil when s is nil, so that an empty but non-nil
// slice is still sent (as []) and a nil one is left out.
func nonNil[S ~[]E, E any](s S) *S {
	if s == nil {
		return nil
	}
	return &s
}

// convertAll converts each element of list for a request. Like nonNil, it returns nil
// for a nil list, which leaves the field out, and sends an empty one as [].
func convertAll[T, G any](list []T, convert func(T) G) *[]G {
	if list == nil {
		return nil
	}
	out := make([]G, 0, len(list))
	for _, v := range list {
		out = append(out, convert(v))
	}
	return &out
}

// nonNilMap is nonNil for a map, sent as {} when empty.
func nonNilMap[M ~map[string]E, E any](m M) *M {
	if m == nil {
		return nil
	}
	return &m
}

// getOne runs a call whose answer is one object, read with read. The object must hold
// the field named by required (the result's id, say): a 2xx answer without it, such as
// {} from a proxy or a misrouted base URL, is an error rather than an empty result.
func getOne[T any](c *Client, ctx context.Context, opts []CallOption, required string,
	do func(context.Context) (*http.Response, error), read func(*object) T) (*T, error) {
	var v T
	if err := c.send(ctx, opts, request{do: do, decode: decodeOne(&v, required, read)}); err != nil {
		return nil, err
	}
	return &v, nil
}
