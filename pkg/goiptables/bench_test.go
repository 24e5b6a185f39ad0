// SPDX-License-Identifier: GPL-2.0-or-later

package goiptables_test

// The benchmarks of goiptables, each in a throwaway network namespace.
// scripts/goiptables-compat.sh runs the same bodies against go-iptables
// (which runs iptables-legacy) for comparison.

import (
	"testing"

	"github.com/goipt/goipt/internal/netnstest"
)

func BenchmarkAppend100(b *testing.B) {
	netnstest.Run(b, func() { benchAppend100(b) })
}

func BenchmarkList10k(b *testing.B) {
	netnstest.Run(b, func() { benchList10k(b) })
}

func BenchmarkList10(b *testing.B) {
	netnstest.Run(b, func() { benchList10(b) })
}
