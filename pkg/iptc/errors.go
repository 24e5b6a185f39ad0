// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import "github.com/goipt/goipt/pkg/backend"

// Error is a failure reported by the backend (libiptc or nf_tables), with
// its own message (what iptables prints after "iptables: ") and errno.
type Error = backend.Error

// Sentinel conditions callers test with errors.Is.
var (
	// ErrTableChanged: the kernel's table changed since it was read;
	// re-read and re-apply.
	ErrTableChanged = backend.ErrTableChanged
	// ErrCountersNotRestored: a commit replaced the kernel's table (the
	// changes are in), but the old rules' counters could not be added
	// back, because another writer replaced the table in between. The
	// rules' counters restart from zero. Do not apply the changes again.
	ErrCountersNotRestored = backend.ErrCountersNotRestored
)
