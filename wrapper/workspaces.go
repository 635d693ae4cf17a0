package wrapper

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"time"

	"github.com/portkey-go/portkey/generated"
)

// WorkspaceService manages the organisation's workspaces. Reach it as Client.Workspaces.
type WorkspaceService struct {
	client *Client

	// Members manages who belongs to a workspace.
	Members *MemberService
	// SCIMGroups manages the links that make the members of a SCIM group members of a
	// workspace.
	SCIMGroups *SCIMGroupService
}

// WorkspaceStatus is a workspace's state, for filtering a list.
type WorkspaceStatus string

// The workspace states the API knows today.
const (
	WorkspaceStatusActive   WorkspaceStatus = "active"
	WorkspaceStatusArchived WorkspaceStatus = "archived"
)

// Workspace is a workspace of the organisation. The fields from IsDefault to
// UserAPIKeyConfig are the workspace's defaults, which the API sends as one object.
type Workspace struct {
	// ID is the workspace's id. The workspace methods take it or the slug.
	ID string
	// Slug is the workspace's slug, such as "ws-team-a".
	Slug string
	// Name is the workspace's name.
	Name string
	// Description is the workspace's description.
	Description string
	// IsDefault tells whether this is the organisation's default workspace.
	IsDefault bool
	// Metadata is added to every request made in the workspace.
	Metadata map[string]string
	// InputGuardrails run on every request's input (Get only).
	InputGuardrails []string
	// OutputGuardrails run on every answer (Get only).
	OutputGuardrails []string
	// UserAPIKeyConfig is the config the workspace's user API keys use, "" for none
	// (Get only).
	UserAPIKeyConfig string
	// UsageLimits cap the workspace's spending or tokens.
	UsageLimits []UsageLimit
	// RateLimits cap how fast the workspace may send requests or tokens.
	RateLimits []RateLimit
	// Members are the workspace's members (Get only).
	Members []Member
	// CreatedAt is when the workspace was made; zero when the answer did not say, or
	// said it in a way the client could not read (see Unparsed).
	CreatedAt time.Time
	// LastUpdatedAt is when the workspace last changed, read like CreatedAt.
	LastUpdatedAt time.Time
	// Unparsed holds each field of the answer the client could not read, keyed by its
	// JSON name (nested ones as "defaults.metadata" or "usage_limits[0].type"), with
	// the value as it was sent (JSON text); nil when every field was read. A member that
	// could not be read whole keeps its own Unparsed.
	Unparsed map[string]string
}

// UsageLimit caps spending or tokens, optionally starting again on a schedule. A zero
// field is left out of a request.
type UsageLimit struct {
	// Type is what is counted: "cost" or "tokens".
	Type string
	// CreditLimit is the cap, in the unit Type names.
	CreditLimit int
	// AlertThreshold is the usage at which an alert goes out.
	AlertThreshold int
	// PeriodicReset is a calendar period after which usage starts again: "monthly" or
	// "weekly".
	PeriodicReset string
	// PeriodicResetDays resets usage every so many days instead.
	PeriodicResetDays int
	// NextUsageResetAt is when usage next starts from zero.
	NextUsageResetAt time.Time
}

// RateLimit caps how fast requests or tokens may be used. A zero field is left out of a
// request.
type RateLimit struct {
	// Type is what is counted: "requests" or "tokens".
	Type string
	// Unit is the period: "rpm", "rph" or "rpd".
	Unit string
	// Value is how many per Unit.
	Value int
}

func readWorkspace(o *object) Workspace {
	var w Workspace
	field(o, "id", &w.ID)
	field(o, "slug", &w.Slug)
	field(o, "name", &w.Name)
	field(o, "description", &w.Description)
	timeField(o, "created_at", &w.CreatedAt)
	timeField(o, "last_updated_at", &w.LastUpdatedAt)
	if d := o.nested("defaults"); d != nil {
		flagField(d, "is_default", &w.IsDefault)
		field(d, "metadata", &w.Metadata)
		field(d, "input_guardrails", &w.InputGuardrails)
		field(d, "output_guardrails", &w.OutputGuardrails)
		field(d, "user_api_key_config", &w.UserAPIKeyConfig)
	}
	w.UsageLimits = nestedList(o, "usage_limits", readUsageLimit)
	w.RateLimits = nestedList(o, "rate_limits", readRateLimit)
	if users := o.list("users"); users != nil {
		w.Members = readItems(users, readMember)
	}
	w.Unparsed = o.done()
	return w
}

func readUsageLimit(o *object) UsageLimit {
	var l UsageLimit
	field(o, "type", &l.Type)
	field(o, "credit_limit", &l.CreditLimit)
	field(o, "alert_threshold", &l.AlertThreshold)
	field(o, "periodic_reset", &l.PeriodicReset)
	field(o, "periodic_reset_days", &l.PeriodicResetDays)
	timeField(o, "next_usage_reset_at", &l.NextUsageResetAt)
	return l
}

func readRateLimit(o *object) RateLimit {
	var l RateLimit
	field(o, "type", &l.Type)
	field(o, "unit", &l.Unit)
	field(o, "value", &l.Value)
	return l
}

// request is the limit as the generated request type.
func (l UsageLimit) request() generated.UsageLimit {
	g := generated.UsageLimit{
		Type:              nonZero(generated.UsageLimitType(l.Type)),
		CreditLimit:       nonZero(l.CreditLimit),
		AlertThreshold:    nonZero(l.AlertThreshold),
		PeriodicReset:     nonZero(generated.UsageLimitPeriodicReset(l.PeriodicReset)),
		PeriodicResetDays: nonZero(l.PeriodicResetDays),
	}
	if !l.NextUsageResetAt.IsZero() {
		g.NextUsageResetAt = new(l.NextUsageResetAt.UTC().Format(time.RFC3339))
	}
	return g
}

// request is the limit as the generated request type.
func (l RateLimit) request() generated.RateLimit {
	return generated.RateLimit{
		Type:  nonZero(generated.RateLimitType(l.Type)),
		Unit:  nonZero(generated.RateLimitUnit(l.Unit)),
		Value: nonZero(l.Value),
	}
}

// WorkspaceCreate is the workspace Workspaces.Create makes. Only Name is required; a
// field left zero is left out of the request.
type WorkspaceCreate struct {
	// Name is the new workspace's name; it must be set.
	Name string
	// Description describes the workspace.
	Description string
	// Metadata is added to every request made in the workspace.
	Metadata map[string]string
	// UserIDs are users to add as members.
	UserIDs []string
	// UsageLimits cap the workspace's spending or tokens.
	UsageLimits []UsageLimit
	// RateLimits cap how fast the workspace may send requests or tokens.
	RateLimits []RateLimit
}

// Create makes a workspace ("Create a workspace", POST /admin/workspaces) and returns
// it. A workspace without a name is refused before anything is sent. Like every POST,
// it is never retried: a repeat could make a second workspace.
func (s *WorkspaceService) Create(ctx context.Context, w WorkspaceCreate,
	opts ...CallOption) (*Workspace, error) {
	if w.Name == "" {
		return nil, errors.New("portkey: Workspaces.Create: Name is empty")
	}
	body := generated.WorkspaceCreate{
		Name:        &w.Name,
		Description: nonZero(w.Description),
		Users:       nonNil(w.UserIDs),
		UsageLimits: convertAll(w.UsageLimits, UsageLimit.request),
		RateLimits:  convertAll(w.RateLimits, RateLimit.request),
	}
	if w.Metadata != nil {
		body.Defaults = &generated.WorkspaceCreateDefaults{Metadata: &w.Metadata}
	}
	return getOne(s.client, ctx, opts, "id", func(ctx context.Context) (*http.Response, error) {
		return s.client.api.CreateWorkspace(ctx, body)
	}, readWorkspace)
}

// WorkspaceListOptions narrows and pages a list of workspaces. The zero value asks for
// the first page of every workspace, at the server's page size.
type WorkspaceListOptions struct {
	// PageSize is how many workspaces a page holds; 0 leaves it to the server (List) or
	// uses DefaultPageSize (All).
	PageSize int
	// Page is the page to return, counting from 0; All starts there.
	Page int
	// Name keeps only workspaces whose name contains this text (case matters).
	Name string
	// ExactName keeps only the workspace with exactly this name.
	ExactName string
	// Status keeps only workspaces in this state.
	Status WorkspaceStatus
}

// List returns one page of the organisation's workspaces ("List workspaces", GET
// /admin/workspaces). Use All to walk every page.
func (s *WorkspaceService) List(ctx context.Context, opts WorkspaceListOptions,
	callOpts ...CallOption) (*WorkspacePage, error) {
	params := &generated.ListWorkspacesParams{
		PageSize:    nonZero(opts.PageSize),
		CurrentPage: &opts.Page, // always sent: a server's default first page may not be 0
		Name:        nonZero(opts.Name),
		ExactName:   nonZero(opts.ExactName),
		Status:      nonZero(generated.ListWorkspacesParamsStatus(opts.Status)),
	}
	return getPage(s.client, ctx, "Workspaces.List", paging{opts.PageSize, opts.Page}, callOpts,
		func(ctx context.Context) (*http.Response, error) {
			return s.client.api.ListWorkspaces(ctx, params)
		}, readWorkspace)
}

// All returns an iterator over every workspace that opts selects, as UserService.All
// does for users.
func (s *WorkspaceService) All(ctx context.Context, opts WorkspaceListOptions,
	callOpts ...CallOption) iter.Seq2[Workspace, error] {
	return walk("Workspaces.All", paging{opts.PageSize, opts.Page}, func(p paging) (*WorkspacePage, error) {
		o := opts // a copy: the iterator may be ranged over again
		o.PageSize, o.Page = p.size, p.page
		return s.List(ctx, o, callOpts...)
	})
}

// Get returns one workspace with its defaults, limits and members ("Get a workspace",
// GET /admin/workspaces/{workspaceId}). It takes the workspace's id or slug, checked as
// UserService.Delete checks a user id.
func (s *WorkspaceService) Get(ctx context.Context, workspaceID string,
	opts ...CallOption) (*Workspace, error) {
	if err := checkIDs("Workspaces.Get", "workspaceID", workspaceID); err != nil {
		return nil, err
	}
	return getOne(s.client, ctx, opts, "id", func(ctx context.Context) (*http.Response, error) {
		return s.client.api.GetWorkspace(ctx, workspaceID)
	}, readWorkspace)
}

// WorkspaceUpdate is the change Workspaces.Update makes. Every field left at its zero
// value (a nil pointer, slice or map) is left out of the request, so the workspace keeps
// what it has; an empty but non-nil slice or map is sent, and empties the list.
//
// UserAPIKeyConfig is the one field the API lets a caller clear: leave it zero to keep
// the config, Set a config's slug or id to use it, or Clear it to send null, which
// removes it.
type WorkspaceUpdate struct {
	// Name is the workspace's new name.
	Name *string
	// Description is the workspace's new description.
	Description *string
	// Metadata replaces the metadata added to every request made in the workspace.
	Metadata map[string]string
	// InputGuardrails replaces the guardrails run on every request's input.
	InputGuardrails []string
	// OutputGuardrails replaces the guardrails run on every answer.
	OutputGuardrails []string
	// UserAPIKeyConfig sets or clears the config (pc-... slug or id) that the
	// workspace's user API keys use.
	UserAPIKeyConfig Change[string]
	// UsageLimits replaces the workspace's usage limits.
	UsageLimits []UsageLimit
	// RateLimits replaces the workspace's rate limits.
	RateLimits []RateLimit
}

// Update changes a workspace ("Update a workspace", PUT /admin/workspaces/{workspaceId})
// as WorkspaceUpdate describes. It takes the workspace's id or slug, checked as
// UserService.Delete checks a user id. An update that changes nothing is refused.
func (s *WorkspaceService) Update(ctx context.Context, workspaceID string, u WorkspaceUpdate,
	opts ...CallOption) error {
	if err := checkIDs("Workspaces.Update", "workspaceID", workspaceID); err != nil {
		return err
	}
	body := generated.WorkspaceUpdate{
		Name:        u.Name,
		Description: u.Description,
		UsageLimits: convertAll(u.UsageLimits, UsageLimit.request),
		RateLimits:  convertAll(u.RateLimits, RateLimit.request),
	}
	defaults := generated.WorkspaceUpdateDefaults{
		Metadata:         nonNilMap(u.Metadata),
		InputGuardrails:  nonNil(u.InputGuardrails),
		OutputGuardrails: nonNil(u.OutputGuardrails),
		UserApiKeyConfig: u.UserAPIKeyConfig.nullable(),
	}
	if defaults.Metadata != nil || defaults.InputGuardrails != nil ||
		defaults.OutputGuardrails != nil || defaults.UserApiKeyConfig != nil {
		body.Defaults = &defaults
	}
	if body.Name == nil && body.Description == nil && body.UsageLimits == nil &&
		body.RateLimits == nil && body.Defaults == nil {
		// As for users and members: an update of nothing would succeed without
		// changing anything, which is never what the caller meant.
		return errors.New("portkey: Workspaces.Update: the WorkspaceUpdate is empty: nothing to change")
	}
	return s.client.send(ctx, opts, request{do: func(ctx context.Context) (*http.Response, error) {
		return s.client.api.UpdateWorkspace(ctx, workspaceID, body)
	}})
}

// WorkspaceDelete is what Workspaces.Delete sends with the request.
type WorkspaceDelete struct {
	// Name is the workspace's name, which the API may ask for as a confirmation.
	Name string
	// Force asks for the deletion to be forced.
	Force bool
}

// Delete deletes a workspace ("Delete a workspace", DELETE
// /admin/workspaces/{workspaceId}), sending d as the request's JSON body. It takes the
// workspace's id or slug, checked as UserService.Delete checks a user id. Like
// UserService.Delete, it is retried where safe, and a retry told "not found" after an
// attempt that may have done the delete succeeds.
func (s *WorkspaceService) Delete(ctx context.Context, workspaceID string, d WorkspaceDelete,
	opts ...CallOption) error {
	if err := checkIDs("Workspaces.Delete", "workspaceID", workspaceID); err != nil {
		return err
	}
	body := generated.WorkspaceDelete{Name: nonZero(d.Name), ForceDelete: nonZero(d.Force)}
	return s.client.send(ctx, opts, request{
		do: func(ctx context.Context) (*http.Response, error) {
			return s.client.api.DeleteWorkspace(ctx, workspaceID, body)
		},
		idempotentDelete: true,
	})
}
