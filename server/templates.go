package server

import "workrate/web"

// Templates maps each public page template the server renders to its page
// data, for the template check.
func Templates() map[string]web.Page {
	return map[string]web.Page{"public/home": &homePage{}}
}
