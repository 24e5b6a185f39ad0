// SPDX-License-Identifier: GPL-2.0-or-later

// Package ext binds the system's libxtables: it loads match and target
// extensions from the installed plugins, lets them parse their options into
// the kernel's match and target blobs, and lets them print and save blobs
// read back from the kernel.
//
// libxtables keeps global state, is not thread-safe and exits the process on
// bad input. This package runs one call at a time (see Run), on the
// caller's thread, locked to it meanwhile, and a C shim traps xtables_error so that bad input becomes an *Error with
// iptables' message and exit status.
package ext
