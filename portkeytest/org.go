package portkeytest

import (
	"cmp"
	"fmt"
)

// AddUser adds a user to the organisation, or replaces the user with the same ID.
func (s *Server) AddUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	put(s.st, s.st.users, u.ID, u)
}

// User returns the user with the given ID, if there is one.
func (s *Server) User(id string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u, ok := s.st.users[id]; ok {
		return u.val, true
	}
	return User{}, false
}

// Users returns the organisation's users sorted by ID.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return byID(s.st.users)
}

// AddWorkspace adds a workspace, or replaces the one with the same ID (keeping its
// members), and returns it as stored, with its slug. It panics on an empty ID, a
// mistake in the test itself.
func (s *Server) AddWorkspace(w Workspace) Workspace {
	if w.ID == "" {
		panic(errEmptyID("AddWorkspace", "the workspace"))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.putWorkspace(w).val
}

// Workspace returns the workspace with the given ID or slug, if there is one.
func (s *Server) Workspace(idOrSlug string) (Workspace, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if w := s.st.workspace(idOrSlug); w != nil {
		return w.val, true
	}
	return Workspace{}, false
}

// Workspaces returns the organisation's workspaces sorted by ID.
func (s *Server) Workspaces() []Workspace {
	s.mu.Lock()
	defer s.mu.Unlock()
	return byID(s.st.workspaces)
}

// AddMember makes a user a member of a workspace (by ID or slug), or changes their
// role; an empty Role means "member". It fails when either does not exist.
func (s *Server) AddMember(m Member) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws := s.st.workspace(m.WorkspaceID)
	switch {
	case ws == nil:
		return fmt.Errorf("portkeytest: AddMember: no workspace %q", m.WorkspaceID)
	case s.st.users[m.UserID] == nil:
		return fmt.Errorf("portkeytest: AddMember: no user %q", m.UserID)
	}
	m.WorkspaceID = ws.val.ID
	m.Role = cmp.Or(m.Role, "member")
	s.st.putMember(m)
	return nil
}

// Members returns the members of a workspace (by ID or slug) sorted by user ID; none
// when there is no such workspace.
func (s *Server) Members(workspaceID string) []Member {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws := s.st.workspace(workspaceID)
	if ws == nil {
		return nil
	}
	return byID(s.st.members[ws.val.ID])
}

// AddInvite adds an invite, or replaces the one with the same ID; an empty Status
// means "pending". It panics on an empty ID, a mistake in the test itself.
func (s *Server) AddInvite(inv Invite) {
	if inv.ID == "" {
		panic(errEmptyID("AddInvite", "the invite"))
	}
	inv.Status = cmp.Or(inv.Status, "pending")
	s.mu.Lock()
	defer s.mu.Unlock()
	put(s.st, s.st.invites, inv.ID, inv)
}

// Invite returns the invite with the given ID, if there is one.
func (s *Server) Invite(id string) (Invite, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if inv, ok := s.st.invites[id]; ok {
		return inv.val, true
	}
	return Invite{}, false
}

// Invites returns the organisation's invites sorted by ID.
func (s *Server) Invites() []Invite {
	s.mu.Lock()
	defer s.mu.Unlock()
	return byID(s.st.invites)
}

// AcceptInvite does what the invited person following the invite's link does: a user
// is made with the invite's email address and role (its ID is "user_" and a number),
// joins the invite's workspaces that still exist with the roles it names, and the
// invite becomes "accepted". It fails for an unknown invite, one that is not pending,
// or an email address that already belongs to a user.
func (s *Server) AcceptInvite(id string) (User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.accept(id)
}

// SCIMGroupMappings returns the SCIM group mappings sorted by ID.
func (s *Server) SCIMGroupMappings() []SCIMGroupMapping {
	s.mu.Lock()
	defer s.mu.Unlock()
	return byID(s.st.mappings)
}
