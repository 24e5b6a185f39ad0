// SPDX-License-Identifier: GPL-2.0-or-later

package iptables

import (
	"errors"
	"io"
	"time"

	"github.com/goipt/goipt/pkg/iptc"
	"github.com/goipt/goipt/pkg/parse"
)

// XtablesLock returns the lock of the legacy tools, xtables_lock_or_exit:
// wait 0 fails at once, -1 waits forever, n waits n seconds; on failure
// iptables' lines go to stderr and the error carries exit status 4.
func XtablesLock(stderr io.Writer) func(wait int) (release func(), err error) {
	return func(wait int) (func(), error) {
		d := time.Duration(wait) * time.Second
		if wait < 0 {
			d = -1
		}
		l, err := iptc.AcquireLock(d, 0)
		if err != nil {
			var le *iptc.LockError
			if errors.As(err, &le) {
				io.WriteString(stderr, le.Stderr())
			}
			return nil, &parse.Error{Status: parse.ResourceProblem}
		}
		return func() { l.Release() }, nil
	}
}
