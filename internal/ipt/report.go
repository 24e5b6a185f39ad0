// SPDX-License-Identifier: GPL-2.0-or-later

package ipt

import (
	"errors"
	"fmt"
	"io"
	"syscall"

	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/parse"
)

// Report prints err as iptables would for program prog of variant
// ("legacy", "nf_tables": the backend's name; line is the restore line, -1
// outside restore) and returns the exit status. This is the one place
// errors become exit codes.
func Report(w io.Writer, prog, variant string, line int, err error) int {
	if err == nil {
		return 0
	}
	tryHelp := func() {
		if line != -1 {
			fmt.Fprintf(w, "Error occurred at line: %d\n", line)
		}
		fmt.Fprintf(w, "Try `%s -h' or '%s --help' for more information.\n", prog, prog)
	}
	var pe *parse.Error
	var ee *ext.Error
	var op *OpFailed
	var un *Unprefixed
	var npe unreadableRule
	switch {
	case errors.As(err, &un):
		fmt.Fprintf(w, "%s\n", un.Msg)
		return un.Status
	case errors.As(err, &pe) && pe.Bare:
		if pe.Msg != "" {
			fmt.Fprintf(w, "%s\n", pe.Msg)
		}
		tryHelp()
		return pe.Status
	case errors.As(err, &pe):
		return reportStatus(w, prog, variant, pe.Status, pe.Msg, tryHelp)
	case errors.As(err, &ee):
		if ee.Msg == "" { // already printed (lock)
			return ee.Status
		}
		return reportStatus(w, prog, variant, ee.Status, ee.Msg, tryHelp)
	case errors.As(err, &npe):
		for _, m := range npe.ParseMessages() {
			fmt.Fprintf(w, "Error: %s\n", m)
		}
		return reportStatus(w, prog, variant, ext.VersionProblem, "Parsing nftables rule failed", tryHelp)
	case errors.As(err, &op) && op.Err.Status != 0:
		return reportStatus(w, prog, variant, op.Err.Status, op.Err.Msg, tryHelp)
	case errors.As(err, &op):
		msg := op.Err.Msg
		if op.Err.Errno == syscall.EINVAL {
			fmt.Fprintf(w, "%s: %s. Run `dmesg' for more information.\n", tablesName(op.Fam), msg)
		} else {
			fmt.Fprintf(w, "%s: %s.\n", tablesName(op.Fam), msg)
		}
		if op.Err.Errno == syscall.EAGAIN {
			return ext.ResourceProblem
		}
		return 1
	}
	fmt.Fprintf(w, "%s: %s\n", prog, err)
	return 1
}

func reportStatus(w io.Writer, prog, variant string, status int, msg string, tryHelp func()) int {
	fmt.Fprintf(w, "%s v%s (%s): %s\n", prog, Version, variant, msg)
	switch status {
	case ext.ParameterProblem:
		tryHelp()
	case ext.VersionProblem:
		fmt.Fprintf(w, "Perhaps %s or your kernel needs to be upgraded.\n", prog)
	}
	return status
}

// unreadableRule is a rule the backend cannot read back (nf_tables: an
// expression iptables-nft does not parse), which iptables-nft reports
// with "Error: <msg>" for each problem, then exits (VERSION_PROBLEM).
type unreadableRule interface {
	error
	ParseMessages() []string
}
