package portkeytest

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Invite is an invitation to the organisation.
type Invite struct {
	// ID is the invite's id. WithInvites refuses an empty one.
	ID string
	// Email is where the invite was sent. WithInvites refuses an empty one.
	Email string
	// Role is the organisation role the person gets: "admin" or "member".
	Role string
	// Status is "pending" (the default when seeding), "accepted", "cancelled" or
	// "expired".
	Status string
	// Workspaces are the workspaces the person joins on accepting.
	Workspaces []InviteWorkspace
	// APIKeyScopes are the scopes of the workspace API key made on accepting, if any.
	APIKeyScopes []string
	// InvitedBy is the id of the user who sent the invite, if known.
	InvitedBy string
}

// InviteWorkspace is a workspace an invite leads into.
type InviteWorkspace struct {
	// ID is the workspace's id or slug.
	ID string
	// Role is the workspace role the person gets.
	Role string
}

// Workspace is a workspace of the organisation.
type Workspace struct {
	// ID is the workspace's id. WithWorkspaces refuses an empty one.
	ID string
	// Slug is the workspace's slug, which the API accepts in place of the id. Seeding
	// without one makes one from the name ("ws-" and the name in lower case).
	Slug string
	// Name is the workspace's name; seeding without one uses the ID.
	Name string
	// Description describes the workspace.
	Description string
	// Metadata is the workspace's default metadata.
	Metadata map[string]string
	// InputGuardrails and OutputGuardrails are the workspace's default guardrails.
	InputGuardrails, OutputGuardrails []string
	// UserAPIKeyConfig is the config the workspace's user API keys use, "" for none.
	UserAPIKeyConfig string
	// UsageLimits and RateLimits are the workspace's limits as a client last sent them,
	// JSON arrays; nil when never sent.
	UsageLimits, RateLimits []byte
}

// Member is a user's membership of a workspace.
type Member struct {
	// WorkspaceID is the workspace's id (seeding accepts its slug too).
	WorkspaceID string
	// UserID is the user's id.
	UserID string
	// Role is the workspace role: "admin", "manager" or "member" (the default when
	// seeding).
	Role string
}

// SCIMGroupMapping links a SCIM group to a workspace.
type SCIMGroupMapping struct {
	// ID is the mapping's id. WithSCIMGroupMappings refuses an empty one.
	ID string
	// WorkspaceID is the workspace's id (seeding accepts its slug too).
	WorkspaceID string
	// GroupID is the SCIM group's id.
	GroupID string
	// GroupName is the SCIM group's display name.
	GroupName string
	// Role is the workspace role the group's members get.
	Role string
}

// entry is one stored thing with what the server adds to it: the order it came in and
// its timestamps.
type entry[T any] struct {
	val              T
	seq              int
	created, updated time.Time
	accepted         time.Time // invites only
}

// state is the organisation the server runs. Every method expects s.mu held.
type state struct {
	seq        int
	users      map[string]*entry[User]
	invites    map[string]*entry[Invite]
	workspaces map[string]*entry[Workspace]
	// members maps a workspace id to its members, by user id.
	members  map[string]map[string]*entry[Member]
	mappings map[string]*entry[SCIMGroupMapping]
}

func newState() *state {
	return &state{
		users:      map[string]*entry[User]{},
		invites:    map[string]*entry[Invite]{},
		workspaces: map[string]*entry[Workspace]{},
		members:    map[string]map[string]*entry[Member]{},
		mappings:   map[string]*entry[SCIMGroupMapping]{},
	}
}

// put stores v under id in m, keeping the place and creation time of what it replaces.
func put[T any](st *state, m map[string]*entry[T], id string, v T) *entry[T] {
	now := time.Now().UTC()
	if old, ok := m[id]; ok {
		old.val, old.updated = v, now
		return old
	}
	st.seq++
	e := &entry[T]{val: v, seq: st.seq, created: now, updated: now}
	m[id] = e
	return e
}

// inOrder returns the entries of m in the order they came in, as the API lists them.
func inOrder[T any](m map[string]*entry[T]) []*entry[T] {
	return slices.SortedFunc(maps.Values(m), func(a, b *entry[T]) int { return cmp.Compare(a.seq, b.seq) })
}

// byID returns the values of m sorted by id, for the Server's accessors.
func byID[T any](m map[string]*entry[T]) []T {
	ids := slices.Sorted(maps.Keys(m))
	out := make([]T, len(ids))
	for i, id := range ids {
		out[i] = m[id].val
	}
	return out
}

// freeID returns the first of prefix1, prefix2, ... that taken does not hold, so that
// made-up ids are short and the same from run to run.
func freeID[T any](prefix string, taken map[string]*entry[T]) string {
	for n := 1; ; n++ {
		if id := prefix + strconv.Itoa(n); taken[id] == nil {
			return id
		}
	}
}

// workspace finds a workspace by id or slug.
func (st *state) workspace(idOrSlug string) *entry[Workspace] {
	if w, ok := st.workspaces[idOrSlug]; ok {
		return w
	}
	for _, w := range st.workspaces {
		if w.val.Slug == idOrSlug {
			return w
		}
	}
	return nil
}

// putWorkspace stores w, giving it a name and a free slug when it has none.
func (st *state) putWorkspace(w Workspace) *entry[Workspace] {
	if w.Name == "" {
		w.Name = w.ID
	}
	if w.Slug == "" {
		base := "ws-" + slug(w.Name)
		w.Slug = base
		for n := 2; st.slugTaken(w.Slug, w.ID); n++ {
			w.Slug = base + "-" + strconv.Itoa(n)
		}
	}
	return put(st, st.workspaces, w.ID, w)
}

func (st *state) slugTaken(slug, except string) bool {
	for id, w := range st.workspaces {
		if id != except && (w.val.Slug == slug || id == slug) {
			return true
		}
	}
	return false
}

// slug lowers name and turns every run of other characters than letters and digits
// into one "-".
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	return b.String()
}

// putMember makes the user a member of the workspace, or changes their role.
func (st *state) putMember(m Member) {
	if st.members[m.WorkspaceID] == nil {
		st.members[m.WorkspaceID] = map[string]*entry[Member]{}
	}
	put(st, st.members[m.WorkspaceID], m.UserID, m)
}

// workspaceIDs lists the workspaces a user belongs to, in the order they were made.
func (st *state) workspaceIDs(userID string) []string {
	var ids []string
	for _, w := range inOrder(st.workspaces) {
		if st.members[w.val.ID][userID] != nil {
			ids = append(ids, w.val.ID)
		}
	}
	return ids
}

// deleteUser removes a user and every membership they hold.
func (st *state) deleteUser(id string) {
	delete(st.users, id)
	for _, members := range st.members {
		delete(members, id)
	}
}

// deleteWorkspace removes a workspace with its memberships and SCIM group mappings.
func (st *state) deleteWorkspace(id string) {
	delete(st.workspaces, id)
	delete(st.members, id)
	for mid, m := range st.mappings {
		if m.val.WorkspaceID == id {
			delete(st.mappings, mid)
		}
	}
}

// userByEmail finds a user by email address, ignoring case.
func (st *state) userByEmail(email string) *entry[User] {
	for _, u := range st.users {
		if strings.EqualFold(u.val.Email, email) {
			return u
		}
	}
	return nil
}

// accept does what following an invite's link does: the person becomes a user with the
// invite's role and joins the invite's workspaces that still exist.
func (st *state) accept(id string) (User, error) {
	inv, ok := st.invites[id]
	switch {
	case !ok:
		return User{}, fmt.Errorf("portkeytest: no invite %q", id)
	case inv.val.Status != "pending":
		return User{}, fmt.Errorf("portkeytest: invite %q is %s, not pending", id, inv.val.Status)
	case st.userByEmail(inv.val.Email) != nil:
		return User{}, fmt.Errorf("portkeytest: %s is already a user", inv.val.Email)
	}

	u := User{ID: freeID("user_", st.users), Email: inv.val.Email, Role: inv.val.Role}
	put(st, st.users, u.ID, u)
	for _, w := range inv.val.Workspaces {
		if ws := st.workspace(w.ID); ws != nil {
			st.putMember(Member{WorkspaceID: ws.val.ID, UserID: u.ID, Role: w.Role})
		}
	}
	inv.val.Status = "accepted"
	inv.accepted = time.Now().UTC()
	inv.updated = inv.accepted
	return u, nil
}

// seed stores what the options seeded, checking that every reference resolves.
func (st *state) seed(cfg *settings) error {
	for _, u := range cfg.users {
		put(st, st.users, u.ID, u)
	}
	for _, w := range cfg.workspaces {
		st.putWorkspace(w)
	}
	for _, inv := range cfg.invites {
		if inv.Status == "" {
			inv.Status = "pending"
		}
		put(st, st.invites, inv.ID, inv)
	}
	for _, m := range cfg.members {
		ws := st.workspace(m.WorkspaceID)
		switch {
		case ws == nil:
			return fmt.Errorf("portkeytest: WithMembers: no workspace %q", m.WorkspaceID)
		case st.users[m.UserID] == nil:
			return fmt.Errorf("portkeytest: WithMembers: no user %q", m.UserID)
		}
		m.WorkspaceID = ws.val.ID
		if m.Role == "" {
			m.Role = "member"
		}
		st.putMember(m)
	}
	for _, m := range cfg.mappings {
		ws := st.workspace(m.WorkspaceID)
		if ws == nil {
			return fmt.Errorf("portkeytest: WithSCIMGroupMappings: no workspace %q", m.WorkspaceID)
		}
		m.WorkspaceID = ws.val.ID
		put(st, st.mappings, m.ID, m)
	}
	return nil
}

// errEmptyID is the panic of an Add method given an entry without an id.
func errEmptyID(method, what string) error {
	return errors.New("portkeytest: " + method + ": " + what + " has an empty ID")
}
