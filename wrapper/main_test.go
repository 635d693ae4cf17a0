package wrapper_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them: a call that gave up
// must not leave a reader, a timer or a retry behind.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
