// SPDX-License-Identifier: GPL-2.0-or-later

package legacy

import (
	"syscall"

	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
)

// Backend is iptables-legacy's kernel API, x_tables, through the system's
// libiptc (libip4tc, libip6tc).
type Backend struct {
	// SkipFree, for a program that exits soon after its last commit
	// (goipt's command line), makes Commit and Close drop libiptc's copy
	// of the table without freeing it, as the process's exit frees it at
	// no cost (freeing the cache of a 50,000-rule table takes a few
	// percent of a command).
	SkipFree bool
}

var _ backend.Backend = (*Backend)(nil)

// Name is "legacy", as iptables-legacy -V says.
func (*Backend) Name() string { return "legacy" }

// StrError is iptc_strerror: libiptc's message for errno, which depends on
// the libiptc function called last.
func (*Backend) StrError(fam ext.Family, errno syscall.Errno) string { return strError(fam, errno) }

// Probe checks that table exists (loading its module if need be) without
// reading its rules; for a table that does not, it fails as Open does.
func (b *Backend) Probe(fam ext.Family, table string) error { return probeTable(b, fam, table) }
