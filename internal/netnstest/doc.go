// SPDX-License-Identifier: GPL-2.0-or-later

// Package netnstest runs the parts of a test that must touch the kernel's
// netfilter tables inside a throwaway network namespace, so that a test can
// create chains, load tables and commit rules without ever changing the
// host's firewall.
//
// Such tests are system tests: Run skips them unless the process runs as
// root, the environment variable GOIPT_SYSTEM_TESTS is set to 1 (`make
// test` sets it) and the process can create a network namespace (root
// without CAP_SYS_ADMIN, in a container say, cannot; GOIPT_SIMULATE_NO_NETNS=1
// pretends so). A plain `go test ./...` as a user, or as root without the
// variable, skips them.
//
// # How the namespace is made
//
// A network namespace belongs to an OS thread, not to a process. Run starts
// a goroutine, locks it to its OS thread with runtime.LockOSThread, calls
// unshare(CLONE_NEWNET) on that thread and runs fn there. It never unlocks
// the thread: when the goroutine ends, the Go runtime terminates the thread
// (or, for the main thread, parks it forever) instead of giving a thread in
// a foreign namespace back to the scheduler. Since Go 1.10 the runtime also
// creates new threads from a clean template thread while a goroutine holds
// LockOSThread, so the namespace does not leak into other threads.
//
// Run also points XTABLES_LOCKFILE at a private file (with t.Setenv), so
// commands run inside do not wait for, or block, the host's
// /run/xtables.lock. Because of t.Setenv, tests that use Run cannot call
// t.Parallel.
//
// # What runs inside
//
//   - Code that runs on the goroutine executing fn. In particular, in-process
//     libiptc calls (pkg/iptc) made from fn open their raw
//     sockets in the namespace, because cgo calls run on the calling
//     goroutine's (locked) thread.
//   - pkg/ext's calls into libxtables made from fn (ext.Run runs on the
//     calling thread). libxtables only asks the kernel which extension
//     revisions it supports, which is the same in every namespace.
//   - Commands started with Exec or ExecInput from fn. os/exec forks on the
//     calling thread, and a forked child inherits that thread's namespace.
//     Exec and ExecInput refuse to run (t.Fatal) when called on a thread that
//     is still in the host's namespace, so a misplaced call cannot reach the
//     host's tables.
//
// # What does not
//
//   - Goroutines that fn starts: they run on other threads, in the host's
//     namespace.
//   - Paths under /proc/self and /proc/net (a link to /proc/self/net): they
//     name the thread group leader, whose namespace is the host's. Read
//     /proc/thread-self/net/... instead (for example
//     /proc/thread-self/net/ip_tables_names).
//
// A new namespace has only a loopback interface, and it is down;
// BringUpLoopback brings it up.
//
// # Example
//
//	func TestNewChain(t *testing.T) {
//		netnstest.Run(t, func() {
//			_, stderr, code := netnstest.Exec(t, "iptables-legacy", "-N", "TEST")
//			if code != 0 {
//				t.Fatalf("iptables-legacy -N: exit %d: %s", code, stderr)
//			}
//		})
//	}
package netnstest
