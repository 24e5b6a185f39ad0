// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"errors"
	"io"
	"time"

	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/iptc"
)

// acquireLock is xtables_lock_or_exit: wait 0 fails at once, -1 waits
// forever, n waits n seconds; on failure iptables' lines go to stderr and
// the error carries exit status 4.
func acquireLock(wait int, stderr io.Writer) (*iptc.Lock, error) {
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
		return nil, &ext.Error{Status: ext.ResourceProblem}
	}
	return l, nil
}

// releaseLock drops a lock acquireLock returned; nil is fine.
func releaseLock(l *iptc.Lock) {
	if l != nil {
		l.Release()
	}
}
