package locale

import "workrate/field"

// FieldMessage is what users read about a refused field, in l's language:
// the message of its code (field.toml) with its bound as {{.Limit}}. Every
// surface shows field errors through it.
func (l *Localizer) FieldMessage(e *field.Error) string {
	return l.T(e.Code, "Limit", e.Limit)
}
