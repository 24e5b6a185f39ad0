// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"bufio"
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

// iptablesMain is iptables (or ip6tables): one command, one commit.
func iptablesMain(fam ext.Family, args []string, stdout, stderr io.Writer) int {
	prog := programName(fam, "")
	out := bufio.NewWriterSize(stdout, 64<<10)
	var lock *iptc.Lock
	env := &ipt.Env{
		Fam: fam, Program: prog, Out: out, Err: stderr,
		Lock: func(wait int) (err error) {
			lock, err = acquireLock(wait, stderr)
			return err
		},
		Handle: func(table string) (*iptc.Handle, error) { return iptc.OpenHandle(fam, table) },
	}
	argv := append([]string{prog}, args[1:]...)
	err := ext.Run(fam, prog, func(x *ext.X) error {
		_, h, err := ipt.Do(x, env, argv)
		if h != nil {
			if err == nil {
				err = ipt.Commit(fam, h)
			} else {
				h.Close()
			}
		}
		return err
	})
	out.Flush()
	releaseLock(lock)
	return Report(stderr, prog, -1, err)
}
