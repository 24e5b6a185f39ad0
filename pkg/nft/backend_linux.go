// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"errors"
	"syscall"

	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/parse"
)

// Backend is nf_tables as iptables-nft 1.8.9 uses it: its tables, base
// chains and rules, read and written as iptables-nft reads and writes
// them (see Txn and the package documentation).
type Backend struct{}

var _ backend.Backend = (*Backend)(nil)

// Name is "nf_tables", as iptables-nft -V says.
func (*Backend) Name() string { return BackendName }

// BackendName is the nf_tables backend's name.
const BackendName = backend.NFTablesName

// StrError is nft_strerror for errno outside any operation.
func (*Backend) StrError(_ ext.Family, errno syscall.Errno) string { return strError(fnNone, errno) }

// Probe accepts the tables iptables-nft knows (it makes them on first
// use) and refuses others as iptables-nft does ("table '%s' does not
// exist", VERSION_PROBLEM).
func (*Backend) Probe(_ ext.Family, table string) error {
	if BuiltinTableOf(table) == nil {
		return parse.Errorf(parse.VersionProblem, "table '%s' does not exist", table)
	}
	return nil
}

// Open begins a Txn of family fam and returns its table.
func (b *Backend) Open(fam ext.Family, table string) (backend.Table, error) {
	if err := b.Probe(fam, table); err != nil {
		return nil, err
	}
	t, err := b.Begin(fam)
	if err != nil {
		return nil, err
	}
	return t.Table(table)
}

// Begin starts a transaction of family fam in the calling thread's network
// namespace: a connection, the ruleset's generation and its tables.
// Without nf_tables it fails as iptables-nft does.
func (*Backend) Begin(fam ext.Family) (*Txn, error) {
	c, err := Open()
	if err != nil {
		var errno syscall.Errno
		if !errors.As(err, &errno) {
			errno = syscall.EINVAL
		}
		return nil, initError(errno)
	}
	return begin(c, fam)
}

// initError is a netlink socket that could not be had: iptables-nft
// prints "iptables: Failed to initialize nft: <strerror>" and exits 1.
type initError syscall.Errno

func (e initError) Error() string { return "Failed to initialize nft: " + strerror(syscall.Errno(e)) }

func (e initError) Unwrap() error { return syscall.Errno(e) }
