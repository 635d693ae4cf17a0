package portkeytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// handlers serve each operation of the description, keyed by Operation.Key. They run
// with s.mu held, on requests the description has already passed, and answer what the
// description cannot check: unknown ids (404 AB08), references to things that do not
// exist or a state that forbids the change (400 AB01), duplicates (409 AB07).
var handlers = map[string]func(s *Server, r *http.Request, params map[string]string) reply{
	"GET /admin/users":                                      (*Server).listUsers,
	"GET /admin/users/{userId}":                             (*Server).getUser,
	"PUT /admin/users/{userId}":                             (*Server).updateUser,
	"DELETE /admin/users/{userId}":                          (*Server).deleteUser,
	"POST /admin/users/invites":                             (*Server).createInvite,
	"GET /admin/users/invites":                              (*Server).listInvites,
	"GET /admin/users/invites/{inviteId}":                   (*Server).getInvite,
	"DELETE /admin/users/invites/{inviteId}":                (*Server).deleteInvite,
	"POST /admin/users/invites/{inviteId}/resend":           (*Server).resendInvite,
	"POST /admin/workspaces":                                (*Server).createWorkspace,
	"GET /admin/workspaces":                                 (*Server).listWorkspaces,
	"GET /admin/workspaces/{workspaceId}":                   (*Server).getWorkspace,
	"PUT /admin/workspaces/{workspaceId}":                   (*Server).updateWorkspace,
	"DELETE /admin/workspaces/{workspaceId}":                (*Server).deleteWorkspace,
	"POST /admin/workspaces/{workspaceId}/users":            (*Server).addMembers,
	"GET /admin/workspaces/{workspaceId}/users":             (*Server).listMembers,
	"GET /admin/workspaces/{workspaceId}/users/{userId}":    (*Server).getMember,
	"PUT /admin/workspaces/{workspaceId}/users/{userId}":    (*Server).updateMember,
	"DELETE /admin/workspaces/{workspaceId}/users/{userId}": (*Server).removeMember,
	"GET /scim/workspaces":                                  (*Server).listMappings,
	"POST /scim/workspaces":                                 (*Server).createMapping,
	"DELETE /scim/workspaces/{scimWorkspaceGroupId}":        (*Server).deleteMapping,
}

// The two ways the API writes a point in time: zoneless for users, invites and members,
// RFC 3339 with milliseconds for workspaces.
const (
	zoneless = "2006-01-02 15:04:05"
	rfc3339  = "2006-01-02T15:04:05.000Z07:00"
)

// defaultPageSize is the page size of a list request that names none.
const defaultPageSize = 50

func notFound(kind, id string) reply {
	return adminError(http.StatusNotFound, "AB08", kind+" "+strconv.Quote(id)+" not found")
}

func invalid(format string, args ...any) reply {
	return adminError(http.StatusBadRequest, "AB01", fmt.Sprintf(format, args...))
}

func conflict(format string, args ...any) reply {
	return adminError(http.StatusConflict, "AB07", fmt.Sprintf(format, args...))
}

// done is the empty object most changes are answered with.
var done = jsonReply(http.StatusOK, struct{}{})

// readBody decodes a request body the description has already checked.
func readBody(r *http.Request, v any) error {
	return json.NewDecoder(r.Body).Decode(v)
}

// page answers one page of all, read from the query parameters named sizeParam and
// pageParam, as {"object": "list", "total": ..., "data": [...]}.
func page[T any](r *http.Request, sizeParam, pageParam string, all []T) reply {
	q := r.URL.Query()
	size, number := defaultPageSize, 0
	for _, p := range []struct {
		name string
		dst  *int
	}{{sizeParam, &size}, {pageParam, &number}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return invalid("%s must be a whole number, at least 0", p.name)
			}
			*p.dst = n
		}
	}
	if size == 0 {
		size = defaultPageSize
	}

	data := []T{}
	// Checked by division first: a huge page number must not overflow number*size.
	if number <= len(all)/size {
		if start := number * size; start < len(all) {
			data = all[start:min(start+size, len(all))]
		}
	}
	return jsonReply(http.StatusOK, map[string]any{"object": "list", "total": len(all), "data": data})
}

// Users.

type userJSON struct {
	Object        string   `json:"object"`
	ID            string   `json:"id"`
	FirstName     string   `json:"first_name,omitempty"`
	LastName      string   `json:"last_name,omitempty"`
	Role          string   `json:"role,omitempty"`
	Email         string   `json:"email,omitempty"`
	CreatedAt     string   `json:"created_at"`
	LastUpdatedAt string   `json:"last_updated_at"`
	WorkspaceIDs  []string `json:"workspace_ids"`
}

func (s *Server) userJSON(u *entry[User]) userJSON {
	return userJSON{
		Object: "user", ID: u.val.ID, FirstName: u.val.FirstName, LastName: u.val.LastName,
		Role: u.val.Role, Email: u.val.Email,
		CreatedAt: u.created.Format(zoneless), LastUpdatedAt: u.updated.Format(zoneless),
		WorkspaceIDs: s.st.workspaceIDs(u.val.ID),
	}
}

func (s *Server) listUsers(r *http.Request, _ map[string]string) reply {
	q := r.URL.Query()
	var out []userJSON
	for _, u := range inOrder(s.st.users) {
		if q.Has("role") && u.val.Role != q.Get("role") ||
			q.Has("email") && !strings.EqualFold(u.val.Email, q.Get("email")) {
			continue
		}
		out = append(out, s.userJSON(u))
	}
	return page(r, "pageSize", "currentPage", out)
}

func (s *Server) getUser(_ *http.Request, params map[string]string) reply {
	u, ok := s.st.users[params["userId"]]
	if !ok {
		return notFound("user", params["userId"])
	}
	return jsonReply(http.StatusOK, s.userJSON(u))
}

func (s *Server) updateUser(r *http.Request, params map[string]string) reply {
	u, ok := s.st.users[params["userId"]]
	if !ok {
		return notFound("user", params["userId"])
	}
	var body struct {
		Role string `json:"role"`
	}
	if err := readBody(r, &body); err != nil {
		return invalid("%v", err)
	}
	if body.Role != "" {
		u.val.Role, u.updated = body.Role, time.Now().UTC()
	}
	return done
}

func (s *Server) deleteUser(_ *http.Request, params map[string]string) reply {
	id := params["userId"]
	if _, ok := s.st.users[id]; !ok {
		return notFound("user", id)
	}
	s.st.deleteUser(id)
	return done
}

// Invites.

type inviteJSON struct {
	Object     string `json:"object"`
	ID         string `json:"id"`
	Email      string `json:"email"`
	Role       string `json:"role,omitempty"`
	Status     string `json:"status,omitempty"`
	InvitedBy  string `json:"invited_by,omitempty"`
	CreatedAt  string `json:"created_at"`
	ExpiresAt  string `json:"expires_at"`
	AcceptedAt string `json:"accepted_at,omitempty"`
}

// inviteLifetime is how long an invite's link works.
const inviteLifetime = 7 * 24 * time.Hour

func inviteToJSON(inv *entry[Invite]) inviteJSON {
	out := inviteJSON{
		Object: "invite", ID: inv.val.ID, Email: inv.val.Email, Role: inv.val.Role,
		Status: inv.val.Status, InvitedBy: inv.val.InvitedBy,
		CreatedAt: inv.created.Format(zoneless),
		ExpiresAt: inv.created.Add(inviteLifetime).Format(zoneless),
	}
	if !inv.accepted.IsZero() {
		out.AcceptedAt = inv.accepted.Format(zoneless)
	}
	return out
}

// inviteLink is the link an invite's email carries. The .test domain is reserved: the
// link can never lead anywhere.
func inviteLink(id string) string {
	return "https://app.portkey.test/invite/" + id
}

func (s *Server) createInvite(r *http.Request, _ map[string]string) reply {
	var body struct {
		Email      string            `json:"email"`
		Role       string            `json:"role"`
		Workspaces []InviteWorkspace `json:"workspaces"`
		Details    *struct {
			Scopes []string `json:"scopes"`
		} `json:"workspace_api_key_details"`
	}
	if err := readBody(r, &body); err != nil {
		return invalid("%v", err)
	}
	if s.st.userByEmail(body.Email) != nil {
		return conflict("%s is already a user of the organisation", body.Email)
	}
	for _, inv := range s.st.invites {
		if inv.val.Status == "pending" && strings.EqualFold(inv.val.Email, body.Email) {
			return conflict("an invite for %s is already pending", body.Email)
		}
	}
	for _, w := range body.Workspaces {
		if s.st.workspace(w.ID) == nil {
			return invalid("no workspace %q", w.ID)
		}
	}

	inv := Invite{ID: freeID("invite_", s.st.invites), Email: body.Email, Role: body.Role,
		Status: "pending", Workspaces: body.Workspaces}
	if body.Details != nil {
		inv.APIKeyScopes = body.Details.Scopes
	}
	put(s.st, s.st.invites, inv.ID, inv)
	return jsonReply(http.StatusOK, map[string]string{"id": inv.ID, "invite_link": inviteLink(inv.ID)})
}

func (s *Server) listInvites(r *http.Request, _ map[string]string) reply {
	q := r.URL.Query()
	var out []inviteJSON
	for _, inv := range inOrder(s.st.invites) {
		if q.Has("role") && inv.val.Role != q.Get("role") ||
			q.Has("status") && inv.val.Status != q.Get("status") ||
			q.Has("email") && !strings.EqualFold(inv.val.Email, q.Get("email")) {
			continue
		}
		out = append(out, inviteToJSON(inv))
	}
	return page(r, "pageSize", "currentPage", out)
}

func (s *Server) getInvite(_ *http.Request, params map[string]string) reply {
	inv, ok := s.st.invites[params["inviteId"]]
	if !ok {
		return notFound("invite", params["inviteId"])
	}
	return jsonReply(http.StatusOK, inviteToJSON(inv))
}

func (s *Server) deleteInvite(_ *http.Request, params map[string]string) reply {
	id := params["inviteId"]
	if _, ok := s.st.invites[id]; !ok {
		return notFound("invite", id)
	}
	delete(s.st.invites, id)
	return done
}

func (s *Server) resendInvite(_ *http.Request, params map[string]string) reply {
	inv, ok := s.st.invites[params["inviteId"]]
	switch {
	case !ok:
		return notFound("invite", params["inviteId"])
	case inv.val.Status != "pending":
		return invalid("invite %q is %s, not pending", inv.val.ID, inv.val.Status)
	}
	return jsonReply(http.StatusOK, map[string]string{"inviteLink": inviteLink(inv.val.ID)})
}

// Workspaces.

type workspaceJSON struct {
	ID            string          `json:"id"`
	Slug          string          `json:"slug"`
	Name          string          `json:"name"`
	Description   *string         `json:"description"`
	CreatedAt     string          `json:"created_at"`
	LastUpdatedAt string          `json:"last_updated_at"`
	Defaults      defaultsJSON    `json:"defaults"`
	UsageLimits   json.RawMessage `json:"usage_limits"`
	RateLimits    json.RawMessage `json:"rate_limits"`
	Users         *[]memberJSON   `json:"users,omitempty"`
}

// defaultsJSON is a workspace's defaults. The guardrails and the user API key config
// are part of a workspace fetched on its own only.
type defaultsJSON struct {
	Object           string            `json:"object"`
	IsDefault        int               `json:"is_default"`
	Metadata         map[string]string `json:"metadata,omitempty"`
	InputGuardrails  *[]string         `json:"input_guardrails,omitempty"`
	OutputGuardrails *[]string         `json:"output_guardrails,omitempty"`
	UserAPIKeyConfig *json.RawMessage  `json:"user_api_key_config,omitempty"`
}

// workspaceToJSON writes a workspace as lists and Create answer it, or with details
// (guardrails, config, members) as Get does.
func (s *Server) workspaceToJSON(w *entry[Workspace], details bool) workspaceJSON {
	out := workspaceJSON{
		ID: w.val.ID, Slug: w.val.Slug, Name: w.val.Name,
		CreatedAt: w.created.Format(rfc3339), LastUpdatedAt: w.updated.Format(rfc3339),
		Defaults:    defaultsJSON{Object: "workspace", Metadata: w.val.Metadata},
		UsageLimits: w.val.UsageLimits, RateLimits: w.val.RateLimits,
	}
	if w.val.Description != "" {
		out.Description = &w.val.Description
	}
	if !details {
		return out
	}

	// What is not set goes out as null, as the API sends it.
	config := json.RawMessage("null")
	if w.val.UserAPIKeyConfig != "" {
		config, _ = json.Marshal(w.val.UserAPIKeyConfig)
	}
	out.Defaults.UserAPIKeyConfig = &config
	out.Defaults.InputGuardrails = &w.val.InputGuardrails
	out.Defaults.OutputGuardrails = &w.val.OutputGuardrails
	users := []memberJSON{}
	for _, m := range inOrder(s.st.members[w.val.ID]) {
		users = append(users, s.memberToJSON(m))
	}
	out.Users = &users
	return out
}

// workspaceBody is what creating or updating a workspace sends.
type workspaceBody struct {
	Name        *string `json:"name"`
	Description *string `json:"description"`
	Defaults    *struct {
		Metadata         *map[string]string `json:"metadata"`
		InputGuardrails  *[]string          `json:"input_guardrails"`
		OutputGuardrails *[]string          `json:"output_guardrails"`
		// Raw, to tell null (clear the config) from a field left out (keep it).
		UserAPIKeyConfig json.RawMessage `json:"user_api_key_config"`
	} `json:"defaults"`
	Users       []string        `json:"users"`
	UsageLimits json.RawMessage `json:"usage_limits"`
	RateLimits  json.RawMessage `json:"rate_limits"`
}

// apply makes the changes b carries to w.
func (b *workspaceBody) apply(w *Workspace) {
	if b.Name != nil {
		w.Name = *b.Name
	}
	if b.Description != nil {
		w.Description = *b.Description
	}
	if b.UsageLimits != nil {
		w.UsageLimits = b.UsageLimits
	}
	if b.RateLimits != nil {
		w.RateLimits = b.RateLimits
	}
	if d := b.Defaults; d != nil {
		if d.Metadata != nil {
			w.Metadata = *d.Metadata
		}
		if d.InputGuardrails != nil {
			w.InputGuardrails = *d.InputGuardrails
		}
		if d.OutputGuardrails != nil {
			w.OutputGuardrails = *d.OutputGuardrails
		}
		if d.UserAPIKeyConfig != nil {
			w.UserAPIKeyConfig = ""
			_ = json.Unmarshal(d.UserAPIKeyConfig, &w.UserAPIKeyConfig) // null leaves it empty
		}
	}
}

func (s *Server) createWorkspace(r *http.Request, _ map[string]string) reply {
	var body workspaceBody
	if err := readBody(r, &body); err != nil {
		return invalid("%v", err)
	}
	if body.Name == nil || *body.Name == "" {
		return invalid("name is required")
	}
	for _, id := range body.Users {
		if s.st.users[id] == nil {
			return invalid("no user %q", id)
		}
	}

	var w Workspace
	w.ID = freeID("ws_", s.st.workspaces)
	body.apply(&w)
	e := s.st.putWorkspace(w)
	for _, id := range body.Users {
		s.st.putMember(Member{WorkspaceID: w.ID, UserID: id, Role: "member"})
	}
	return jsonReply(http.StatusOK, s.workspaceToJSON(e, false))
}

func (s *Server) listWorkspaces(r *http.Request, _ map[string]string) reply {
	q := r.URL.Query()
	var out []workspaceJSON
	for _, w := range inOrder(s.st.workspaces) {
		// Every workspace here is active: none can be archived.
		if q.Has("name") && !strings.Contains(w.val.Name, q.Get("name")) ||
			q.Has("exact_name") && w.val.Name != q.Get("exact_name") ||
			q.Has("status") && q.Get("status") != "active" {
			continue
		}
		out = append(out, s.workspaceToJSON(w, false))
	}
	return page(r, "page_size", "current_page", out)
}

func (s *Server) getWorkspace(_ *http.Request, params map[string]string) reply {
	w := s.st.workspace(params["workspaceId"])
	if w == nil {
		return notFound("workspace", params["workspaceId"])
	}
	return jsonReply(http.StatusOK, s.workspaceToJSON(w, true))
}

func (s *Server) updateWorkspace(r *http.Request, params map[string]string) reply {
	w := s.st.workspace(params["workspaceId"])
	if w == nil {
		return notFound("workspace", params["workspaceId"])
	}
	var body workspaceBody
	if err := readBody(r, &body); err != nil {
		return invalid("%v", err)
	}
	if body.Name != nil && *body.Name == "" {
		return invalid("name must not be empty")
	}
	body.apply(&w.val)
	w.updated = time.Now().UTC()
	return done
}

func (s *Server) deleteWorkspace(r *http.Request, params map[string]string) reply {
	w := s.st.workspace(params["workspaceId"])
	if w == nil {
		return notFound("workspace", params["workspaceId"])
	}
	var body struct {
		Name *string `json:"name"`
	}
	if err := readBody(r, &body); err != nil {
		return invalid("%v", err)
	}
	if body.Name != nil && *body.Name != w.val.Name {
		return invalid("name %q is not the workspace's name", *body.Name)
	}
	s.st.deleteWorkspace(w.val.ID)
	return done
}

// Workspace members.

type memberJSON struct {
	Object        string   `json:"object"`
	ID            string   `json:"id"`
	WorkspaceID   string   `json:"workspace_id"`
	FirstName     string   `json:"first_name,omitempty"`
	LastName      string   `json:"last_name,omitempty"`
	Email         string   `json:"email,omitempty"`
	OrgRole       string   `json:"org_role,omitempty"`
	Role          string   `json:"role,omitempty"`
	Status        string   `json:"status"`
	Scopes        []string `json:"scopes"`
	CreatedAt     string   `json:"created_at"`
	LastUpdatedAt string   `json:"last_updated_at"`
}

func (s *Server) memberToJSON(m *entry[Member]) memberJSON {
	out := memberJSON{
		Object: "workspace-user", ID: m.val.UserID, WorkspaceID: m.val.WorkspaceID,
		Role: m.val.Role, Status: "active",
		CreatedAt: m.created.Format(zoneless), LastUpdatedAt: m.updated.Format(zoneless),
	}
	if u := s.st.users[m.val.UserID]; u != nil {
		out.FirstName, out.LastName, out.Email, out.OrgRole = u.val.FirstName, u.val.LastName,
			u.val.Email, u.val.Role
	}
	return out
}

// member finds the membership the path names, or the answer for a missing one.
func (s *Server) member(params map[string]string) (*entry[Member], *reply) {
	w := s.st.workspace(params["workspaceId"])
	if w == nil {
		rep := notFound("workspace", params["workspaceId"])
		return nil, &rep
	}
	m := s.st.members[w.val.ID][params["userId"]]
	if m == nil {
		rep := notFound("member", params["userId"])
		return nil, &rep
	}
	return m, nil
}

func (s *Server) addMembers(r *http.Request, params map[string]string) reply {
	w := s.st.workspace(params["workspaceId"])
	if w == nil {
		return notFound("workspace", params["workspaceId"])
	}
	var body struct {
		Users []struct {
			ID   string `json:"id"`
			Role string `json:"role"`
		} `json:"users"`
	}
	if err := readBody(r, &body); err != nil {
		return invalid("%v", err)
	}
	for _, u := range body.Users {
		if s.st.users[u.ID] == nil {
			return invalid("no user %q", u.ID)
		}
	}
	for _, u := range body.Users {
		role := u.Role
		if role == "" {
			role = "member"
		}
		s.st.putMember(Member{WorkspaceID: w.val.ID, UserID: u.ID, Role: role})
	}
	return done
}

func (s *Server) listMembers(r *http.Request, params map[string]string) reply {
	w := s.st.workspace(params["workspaceId"])
	if w == nil {
		return notFound("workspace", params["workspaceId"])
	}
	q := r.URL.Query()
	var out []memberJSON
	for _, m := range inOrder(s.st.members[w.val.ID]) {
		j := s.memberToJSON(m)
		if q.Has("role") && j.Role != q.Get("role") ||
			q.Has("email") && !strings.EqualFold(j.Email, q.Get("email")) {
			continue
		}
		out = append(out, j)
	}
	return page(r, "page_size", "current_page", out)
}

func (s *Server) getMember(_ *http.Request, params map[string]string) reply {
	m, missing := s.member(params)
	if missing != nil {
		return *missing
	}
	return jsonReply(http.StatusOK, s.memberToJSON(m))
}

func (s *Server) updateMember(r *http.Request, params map[string]string) reply {
	m, missing := s.member(params)
	if missing != nil {
		return *missing
	}
	var body struct {
		Role string `json:"role"`
	}
	if err := readBody(r, &body); err != nil {
		return invalid("%v", err)
	}
	if body.Role != "" {
		m.val.Role, m.updated = body.Role, time.Now().UTC()
	}
	return done
}

func (s *Server) removeMember(_ *http.Request, params map[string]string) reply {
	m, missing := s.member(params)
	if missing != nil {
		return *missing
	}
	delete(s.st.members[m.val.WorkspaceID], m.val.UserID)
	return done
}

// SCIM group mappings.

type mappingJSON struct {
	ID          string `json:"id"`
	WorkspaceID string `json:"workspace_id"`
	GroupName   string `json:"scim_group,omitempty"`
	GroupID     string `json:"scim_group_id,omitempty"`
	Role        string `json:"role,omitempty"`
}

func mappingToJSON(m *entry[SCIMGroupMapping]) mappingJSON {
	return mappingJSON{ID: m.val.ID, WorkspaceID: m.val.WorkspaceID, GroupName: m.val.GroupName,
		GroupID: m.val.GroupID, Role: m.val.Role}
}

func (s *Server) listMappings(r *http.Request, _ map[string]string) reply {
	q := r.URL.Query()
	workspaceID := q.Get("workspace_id")
	if w := s.st.workspace(workspaceID); w != nil {
		workspaceID = w.val.ID
	}
	out := []mappingJSON{}
	for _, m := range inOrder(s.st.mappings) {
		if q.Has("workspace_id") && m.val.WorkspaceID != workspaceID ||
			q.Has("scim_group_id") && m.val.GroupID != q.Get("scim_group_id") ||
			q.Has("role") && m.val.Role != q.Get("role") {
			continue
		}
		out = append(out, mappingToJSON(m))
	}
	return jsonReply(http.StatusOK, map[string]any{"mappings": out, "total_count": len(out)})
}

// provisionedGroup matches the group names the identity provider's automatic
// provisioning uses, which a mapping may not take.
var provisionedGroup = regexp.MustCompile(`^ws-.+-role-(admin|manager|member)$`)

func (s *Server) createMapping(r *http.Request, _ map[string]string) reply {
	var body struct {
		WorkspaceID string `json:"workspace_id"`
		Role        string `json:"role"`
		GroupID     string `json:"scim_group_id"`
		GroupName   string `json:"scim_group_name"`
	}
	if err := readBody(r, &body); err != nil {
		return invalid("%v", err)
	}
	w := s.st.workspace(body.WorkspaceID)
	switch {
	case (body.GroupID == "") == (body.GroupName == ""):
		return invalid("give exactly one of scim_group_id and scim_group_name")
	case provisionedGroup.MatchString(body.GroupName):
		return invalid("scim_group_name %q looks like an automatically provisioned group", body.GroupName)
	case w == nil:
		return invalid("no workspace %q", body.WorkspaceID)
	}

	m := SCIMGroupMapping{ID: freeID("scim_map_", s.st.mappings), WorkspaceID: w.val.ID,
		GroupID: body.GroupID, GroupName: body.GroupName, Role: body.Role}
	// A group named again is the group made or sent the first time.
	for _, other := range s.st.mappings {
		if m.GroupName != "" && other.val.GroupName == m.GroupName {
			m.GroupID = other.val.GroupID
		}
		if m.GroupID != "" && other.val.GroupID == m.GroupID {
			m.GroupName = other.val.GroupName
		}
	}
	if m.GroupID == "" {
		m.GroupID = "scim_group_" + strings.TrimPrefix(m.ID, "scim_map_")
	}
	for _, other := range s.st.mappings {
		if other.val.WorkspaceID == m.WorkspaceID && other.val.GroupID == m.GroupID {
			return conflict("the group is already mapped to workspace %q", w.val.ID)
		}
	}
	e := put(s.st, s.st.mappings, m.ID, m)
	return jsonReply(http.StatusOK, mappingToJSON(e))
}

func (s *Server) deleteMapping(_ *http.Request, params map[string]string) reply {
	id := params["scimWorkspaceGroupId"]
	if _, ok := s.st.mappings[id]; !ok {
		return notFound("SCIM group mapping", id)
	}
	delete(s.st.mappings, id)
	return jsonReply(http.StatusOK, map[string]bool{"success": true})
}
