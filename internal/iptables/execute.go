// SPDX-License-Identifier: GPL-2.0-or-later

package iptables

import (
	"bufio"
	"errors"
	"io"

	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/parse"
)

// CommitAttempts bounds how often Execute runs one command: when the
// commit fails because another writer changed the table since it was read
// (backend.ErrTableChanged: for libiptc, a writer that does not take the
// xtables lock), the command is run again on a fresh read of the table, up
// to this many times in all. iptables-legacy gives up at the first
// conflict ("iptables: Resource temporarily unavailable.", exit status 4);
// goipt reports the same after the last attempt. A failed commit changes
// nothing in the kernel.
const CommitAttempts = 5

// Session is what Execute runs a command line with.
type Session struct {
	Fam     ext.Family
	Program string // argv[0] as iptables names itself in messages
	Backend backend.Backend
	// Lock takes the lock for a command whose -w value is wait (0 none,
	// -1 forever, else seconds), once, after parsing and before the table
	// is read; it returns what releases it. nil: no lock.
	Lock func(wait int) (release func(), err error)
	// Finish, when set, runs after the command succeeded and before the
	// commit, inside ext.Run, with the parsed command and its table
	// (--json's listing).
	Finish func(x *ext.Xtables, cmd *parse.Command, h backend.Table) error
	// Attempts bounds how often the command runs when its commits find
	// the table changed; 0 is CommitAttempts.
	Attempts int
}

// Execute is iptables' main after its applet is chosen: it runs one
// command line (argv[0] is the program) in ext.Run, commits what the
// command changed, and returns the error iptables would report (Report
// prints it). This is the one lock -> run -> commit -> retry loop of goipt:
// when the commit finds the table changed by another writer, the command
// runs again on the table as it is now, under the same lock, up to
// CommitAttempts times (Session.Attempts). stdout gets the last attempt's
// output; warnings go to stderr once.
func Execute(s *Session, argv []string, stdout, stderr io.Writer) error {
	cw := &countingWriter{w: stdout}
	out := bufio.NewWriterSize(cw, 64<<10)
	var release func()
	env := &Env{Fam: s.Fam, Program: s.Program, Out: out, Err: stderr, Backend: s.Backend}
	if s.Lock != nil {
		env.Lock = func(wait int) (err error) {
			if release != nil { // a retry: the lock is still held
				return nil
			}
			release, err = s.Lock(wait)
			return err
		}
	}
	attempts := s.Attempts
	if attempts <= 0 {
		attempts = CommitAttempts
	}
	err := ext.Run(s.Fam, s.Program, func(x *ext.Xtables) error {
		for attempt := 1; ; attempt++ {
			cmd, h, err := Do(x, env, argv)
			if h == nil {
				return err
			}
			if err == nil && s.Finish != nil {
				err = s.Finish(x, cmd, h)
			}
			if err != nil {
				h.Close()
				return err
			}
			err = Commit(h)
			if err == nil || !errors.Is(err, backend.ErrTableChanged) || attempt == attempts {
				return err
			}
			// Again, on the table as it is now. What this attempt printed
			// is dropped if it is still buffered, so that the output is
			// the last attempt's; otherwise the later attempts' is.
			// Warnings were printed once already.
			if cw.n == 0 {
				out.Reset(cw)
			} else {
				env.Out = bufio.NewWriter(io.Discard)
			}
			env.Err = io.Discard
		}
	})
	out.Flush()
	if release != nil {
		release()
	}
	return err
}

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
