// Package portkey holds the Portkey API description that the rest of this module is
// built from.
//
// The client lives in package wrapper (github.com/portkey-go/portkey/wrapper); the
// in-memory control plane for tests lives in package portkeytest. This package only
// carries openapi.yaml, embedded at build time, and the go:generate line that turns it
// into package generated.
package portkey

import (
	"bytes"
	_ "embed"
)

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config api/codegen.yaml openapi.yaml

//go:embed openapi.yaml
var openAPI []byte

// OpenAPI returns a copy of openapi.yaml as it was when the module was built.
func OpenAPI() []byte {
	return bytes.Clone(openAPI)
}
