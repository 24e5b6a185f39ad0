// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"bufio"
	"errors"
	"io"

	"github.com/goipt/goipt/internal/ipt"
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/iptc"
)

func programName(fam ext.Family, suffix string) string {
	if fam == ext.IPv6 {
		return "ip6tables" + suffix
	}
	return "iptables" + suffix
}

// CommitAttempts bounds how often iptables runs one command: when the
// commit fails because another writer changed the table since it was read
// (EAGAIN: a writer that does not take the xtables lock), the command is
// run again on a fresh read of the table, up to this many times in all.
// iptables-legacy gives up at the first conflict ("iptables: Resource
// temporarily unavailable.", exit status 4); goipt reports the same after
// the last attempt. A failed commit changes nothing in the kernel.
const CommitAttempts = 5

// countingWriter counts what reaches w.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// tableChanged tells whether a commit failed because the kernel's table
// changed since it was read.
func tableChanged(err error) bool {
	var op *ipt.OpFailed
	if errors.As(err, &op) {
		return errors.Is(op.Err, iptc.ErrTableChanged)
	}
	return errors.Is(err, iptc.ErrTableChanged)
}

// iptablesMain is iptables (or ip6tables): one command, one commit.
func iptablesMain(fam ext.Family, args []string, stdout, stderr io.Writer) int {
	if hasWord(args, "--json") {
		if rest, own := iptablesFlags.takeFlags(args, "--json"); own["--json"] {
			return iptablesJSON(fam, rest, stdout, stderr)
		}
	}
	prog := programName(fam, "")
	cw := &countingWriter{w: stdout}
	out := bufio.NewWriterSize(cw, 64<<10)
	var lock *iptc.Lock
	env := &ipt.Env{
		Fam: fam, Program: prog, Out: out, Err: stderr,
		Lock: func(wait int) (err error) {
			if lock != nil { // a retry: the lock is still held
				return nil
			}
			lock, err = acquireLock(wait, stderr)
			return err
		},
		Handle: func(table string) (*iptc.Handle, error) { return iptc.OpenHandle(fam, table) },
	}
	argv := append([]string{prog}, args[1:]...)
	err := ext.Run(fam, prog, func(x *ext.X) error {
		for attempt := 1; ; attempt++ {
			_, h, err := ipt.Do(x, env, argv)
			if h == nil {
				return err
			}
			if err != nil {
				h.Close()
				return err
			}
			err = ipt.Commit(fam, h)
			if err == nil || !tableChanged(err) || attempt == CommitAttempts {
				return err
			}
			// Run the command again on the table as it is now. What this
			// attempt printed is dropped if it is still buffered, so that
			// the output is the last attempt's; otherwise the later
			// attempts' is. Warnings were printed once already.
			if cw.n == 0 {
				out.Reset(cw)
			} else {
				env.Out = bufio.NewWriter(io.Discard)
			}
			env.Err = io.Discard
		}
	})
	out.Flush()
	releaseLock(lock)
	return Report(stderr, prog, -1, err)
}
