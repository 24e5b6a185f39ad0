// SPDX-License-Identifier: GPL-2.0-or-later

package goiptables_test

// The benchmarks of bench_body_test.go, in scripts/goiptables-compat.sh's
// temporary module: the script runs the test binary under unshare -n; the
// benchmarks refuse to run in the host's network namespace.

import (
	"os"
	"testing"
)

func inOwnNetns(b *testing.B) {
	// The script passes the namespace it started in.
	self, err := os.Readlink("/proc/thread-self/ns/net")
	host := os.Getenv("GOIPT_COMPAT_HOST_NETNS")
	if err != nil || host == "" || self == host {
		b.Skip("not in a throwaway network namespace: run through scripts/goiptables-compat.sh")
	}
}

func BenchmarkAppend100(b *testing.B) { inOwnNetns(b); benchAppend100(b) }

func BenchmarkList10k(b *testing.B) { inOwnNetns(b); benchList10k(b) }

func BenchmarkList10(b *testing.B) { inOwnNetns(b); benchList10(b) }
