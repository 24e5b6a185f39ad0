// SPDX-License-Identifier: GPL-2.0-or-later

package iptables

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"syscall"

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
	var npe unreadableRule
	if errors.As(err, &npe) {
		for _, m := range npe.ParseMessages() {
			fmt.Fprintf(w, "Error: %s\n", m)
		}
		err = parse.Errorf(parse.VersionProblem, "Parsing nftables rule failed")
	}
	var pe *parse.Error
	if !errors.As(err, &pe) {
		fmt.Fprintf(w, "%s: %s\n", prog, err)
		return parse.OtherProblem
	}
	tryHelp := func() {
		if line != -1 {
			fmt.Fprintf(w, "Error occurred at line: %d\n", line)
		}
		fmt.Fprintf(w, "Try `%s -h' or '%s --help' for more information.\n", prog, prog)
	}
	switch pe.Form {
	case parse.Plain:
		if pe.Msg != "" {
			fmt.Fprintf(w, "%s\n", pe.Msg)
		}
	case parse.Bare:
		if pe.Msg != "" {
			fmt.Fprintf(w, "%s\n", pe.Msg)
		}
		tryHelp()
	case parse.Failure:
		hint := ""
		if errors.Is(pe.Err, syscall.EINVAL) {
			hint = " Run `dmesg' for more information."
		}
		fmt.Fprintf(w, "%s: %s.%s\n", tablesNameOf(prog), pe.Msg, hint)
	default:
		if pe.Msg != "" { // else printed already (the lock's messages)
			reportStatus(w, prog, variant, pe.Status, pe.Msg, tryHelp)
		}
	}
	return pe.Status
}

// tablesNameOf is "ip6tables" for ip6tables' programs, "iptables" else: what
// a failed kernel operation's message starts with.
func tablesNameOf(prog string) string {
	if strings.HasPrefix(prog, "ip6tables") {
		return "ip6tables"
	}
	return "iptables"
}

func reportStatus(w io.Writer, prog, variant string, status int, msg string, tryHelp func()) {
	fmt.Fprintf(w, "%s v%s (%s): %s\n", prog, Version, variant, msg)
	switch status {
	case parse.ParameterProblem:
		tryHelp()
	case parse.VersionProblem:
		fmt.Fprintf(w, "Perhaps %s or your kernel needs to be upgraded.\n", prog)
	}
}

// unreadableRule is a rule the backend cannot read back (nf_tables: an
// expression iptables-nft does not parse), which iptables-nft reports
// with "Error: <msg>" for each problem, then exits (VERSION_PROBLEM).
type unreadableRule interface {
	error
	ParseMessages() []string
}
