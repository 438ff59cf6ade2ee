package workspace

// Actor kinds.
const (
	ActorStaff  = "staff"
	ActorClient = "client"
	ActorAPI    = "api"
	ActorSystem = "system"
)

// Actor is who makes a change: recorded as the author of rows and in the
// activity timeline.
type Actor struct {
	Kind string // ActorStaff, ActorClient, ActorAPI or ActorSystem
	ID   string
	Name string
}

// kind returns the actor's kind, "system" when unset or unknown, so that a
// row never carries an empty or made-up kind.
func (a Actor) kind() string {
	switch a.Kind {
	case ActorStaff, ActorClient, ActorAPI, ActorSystem:
		return a.Kind
	}
	return ActorSystem
}

// name returns the actor's display name, cut to the length of a name.
func (a Actor) name() string {
	return truncate(clean(a.Name), maxName)
}
