// SPDX-License-Identifier: GPL-2.0-or-later

// Package cli holds differential tests of the goipt command against
// iptables-legacy: the same command lines, in fresh network namespaces,
// must give the same exit status, output and kernel state as iptables 1.8.9
// (the system's) or 1.8.11 (the reference build, when present).
package cli
