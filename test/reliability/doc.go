// SPDX-License-Identifier: GPL-2.0-or-later

// Package reliability holds goipt's reliability tests: the xtables lock
// shared with iptables-legacy, concurrent writers (goipt, iptables-legacy
// and pkg/iptc at once), commits that race another writer (EAGAIN),
// faults (failing restores, missing tables and extensions, no
// CAP_NET_ADMIN, unusable lock files, SIGKILL in the middle of a restore),
// hostile input compared with iptables-legacy, a soak test of the library
// (GOIPT_SOAK=1, make soak) and a data race test (go test -race).
//
// Every test that touches netfilter runs in a throwaway network namespace
// (internal/netnstest) with a private lock file: they are system tests,
// skipped unless run as root with GOIPT_SYSTEM_TESTS=1 (make test sets
// it). Where goipt's messages and exit statuses are compared, they must
// equal those of iptables-legacy 1.8.9 (the system's) or of iptables
// 1.8.11 ($GOIPT_REF1811, else the build of `make reference`); without
// 1.8.11, a comparison goipt fails against 1.8.9 alone skips.
package reliability
