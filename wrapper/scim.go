package wrapper

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/portkey-go/portkey/generated"
)

// SCIMGroupService manages SCIM group mappings: links that make the members of a group
// from the identity provider members of a workspace, with the mapping's role. Reach it
// as Client.Workspaces.SCIMGroups.
type SCIMGroupService struct {
	client *Client
}

// SCIMGroupMapping links a SCIM group to a workspace.
type SCIMGroupMapping struct {
	// ID is the mapping's id, which Delete takes.
	ID string
	// WorkspaceID is the workspace's id.
	WorkspaceID string
	// GroupID is the SCIM group's id.
	GroupID string
	// GroupName is the SCIM group's display name.
	GroupName string
	// Role is the workspace role the group's members get.
	Role WorkspaceRole
	// Unparsed holds each field of the answer the client could not read, keyed by its
	// JSON name, with the value as it was sent (JSON text); nil when every field was read.
	Unparsed map[string]string
}

func readSCIMGroupMapping(o *object) SCIMGroupMapping {
	var m SCIMGroupMapping
	field(o, "id", &m.ID)
	field(o, "workspace_id", &m.WorkspaceID)
	field(o, "scim_group_id", &m.GroupID)
	field(o, "scim_group", &m.GroupName)
	field(o, "role", &m.Role)
	m.Unparsed = o.done()
	return m
}

// SCIMGroupMappingListOptions narrows a list of mappings; the zero value lists them all.
type SCIMGroupMappingListOptions struct {
	// WorkspaceID keeps only mappings to this workspace (id or slug).
	WorkspaceID string
	// GroupID keeps only mappings of this SCIM group.
	GroupID string
	// Role keeps only mappings that grant this workspace role.
	Role WorkspaceRole
}

// List returns the mappings that opts selects ("List SCIM group mappings", GET
// /scim/workspaces). The API sends them all in one answer.
func (s *SCIMGroupService) List(ctx context.Context, opts SCIMGroupMappingListOptions,
	callOpts ...CallOption) ([]SCIMGroupMapping, error) {
	params := &generated.ListScimGroupMappingsParams{
		WorkspaceId: nonZero(opts.WorkspaceID),
		ScimGroupId: nonZero(opts.GroupID),
		Role:        nonZero(generated.ListScimGroupMappingsParamsRole(opts.Role)),
	}
	var mappings []SCIMGroupMapping
	err := s.client.send(ctx, callOpts, request{
		do: func(ctx context.Context) (*http.Response, error) {
			return s.client.api.ListScimGroupMappings(ctx, params)
		},
		decode: func(resp *http.Response) error {
			body, err := readBody(resp)
			if err != nil {
				return err
			}
			var list struct {
				Mappings json.RawMessage `json:"mappings"`
			}
			if err := json.Unmarshal(body, &list); err != nil {
				return fmt.Errorf("the answer is not a list of mappings: %w", err)
			}
			raws, err := listEntries(list.Mappings, "mappings")
			if err != nil {
				return err
			}
			mappings = readItems(raws, readSCIMGroupMapping)
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	return mappings, nil
}

// SCIMGroupMappingCreate is the mapping SCIMGroups.Create makes. It names the group
// either by GroupID, a group the identity provider has already sent, or by GroupName,
// which creates a group of that name ahead of the provider; exactly one must be set.
type SCIMGroupMappingCreate struct {
	// WorkspaceID is the workspace's id or slug; it must be set.
	WorkspaceID string
	// Role is the workspace role the group's members get; it must be set.
	Role WorkspaceRole
	// GroupID is the id of an existing SCIM group.
	GroupID string
	// GroupName is the display name of the group. It must not look like a name the
	// provider's automatic provisioning uses (such as ws-name-role-admin).
	GroupName string
}

// Create links a SCIM group to a workspace ("Map a SCIM group to a workspace", POST
// /scim/workspaces) and returns the mapping. A mapping without a workspace or role, or
// with both or neither of GroupID and GroupName, is refused before anything is sent.
// Like every POST, it is never retried.
func (s *SCIMGroupService) Create(ctx context.Context, m SCIMGroupMappingCreate,
	opts ...CallOption) (*SCIMGroupMapping, error) {
	switch {
	case m.WorkspaceID == "":
		return nil, errors.New("portkey: Workspaces.SCIMGroups.Create: WorkspaceID is empty")
	case m.Role == "":
		return nil, errors.New("portkey: Workspaces.SCIMGroups.Create: Role is empty")
	case (m.GroupID == "") == (m.GroupName == ""):
		return nil, errors.New("portkey: Workspaces.SCIMGroups.Create: set exactly one of GroupID and GroupName")
	}
	body := generated.ScimGroupMappingCreate{
		WorkspaceId:   m.WorkspaceID,
		Role:          generated.ScimGroupMappingCreateRole(m.Role),
		ScimGroupId:   nonZero(m.GroupID),
		ScimGroupName: nonZero(m.GroupName),
	}
	return getOne(s.client, ctx, opts, "id", func(ctx context.Context) (*http.Response, error) {
		return s.client.api.CreateScimGroupMapping(ctx, body)
	}, readSCIMGroupMapping)
}

// Delete ends a mapping; the group and the workspace both stay ("Remove a SCIM group
// mapping", DELETE /scim/workspaces/{scimWorkspaceGroupId}). The id is checked as
// UserService.Delete checks a user id. Like UserService.Delete, it is retried where
// safe, and a retry told "not found" after an attempt that may have done the delete
// succeeds.
func (s *SCIMGroupService) Delete(ctx context.Context, mappingID string, opts ...CallOption) error {
	if err := checkIDs("Workspaces.SCIMGroups.Delete", "mappingID", mappingID); err != nil {
		return err
	}
	return s.client.send(ctx, opts, request{
		do: func(ctx context.Context) (*http.Response, error) {
			return s.client.api.DeleteScimGroupMapping(ctx, mappingID)
		},
		idempotentDelete: true,
	})
}
