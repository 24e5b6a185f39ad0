// SPDX-License-Identifier: GPL-2.0-or-later

// Package ext binds the system's libxtables: it loads match and target
// extensions from the installed plugins, lets them parse their options into
// the kernel's match and target blobs, and lets them print and save blobs
// read back from the kernel.
//
// libxtables keeps global state, is not thread-safe and exits the process on
// bad input. Run serializes every use of it: one Run at a time, process
// wide, on the calling goroutine's OS thread, locked to it for the whole
// call (unless the program called Adopt: one goroutine in the namespace it
// started in, as goipt's command line, has no use for the lock); a C shim traps xtables_error so that bad input becomes an *parse.Error
// with iptables' message and exit status, and the longjmp never crosses a
// Go frame.
//
// Run does not hand the work to a thread of libxtables' own: such a thread
// lives in the network namespace the process started in, so a caller
// working in another namespace (a container, a test) would read and
// change the wrong tables through the libiptc handles opened inside Run.
// On the caller's thread, everything Run does happens where the caller is,
// and a command-line process saves a thread switch per call.
//
// The package defines getaddrinfo for the whole process, in front of
// libc's: on a thread inside Run, a call with no node, no hints and a
// service of up to five digits (up to 65535), which is how libxtables reads
// every numeric port, gets one loopback answer with that port at once,
// instead of glibc's netlink query and socket connects (about 30 us each,
// a tenth of a large restore). Every other call is libc's.
package ext
