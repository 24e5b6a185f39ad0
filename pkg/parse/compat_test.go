// SPDX-License-Identifier: GPL-2.0-or-later

package parse

import (
	"errors"
	"strings"
	"testing"
)

// TestFollow189 holds the command lines iptables 1.8.9 accepts and 1.8.11
// refuses (or reads otherwise) without fixing a bug: goipt reads them as
// 1.8.9 does. See "Differences from iptables" in the README.
func TestFollow189(t *testing.T) {
	for _, tc := range []struct {
		line    string
		command int
		options int
		rulenum int
	}{
		// generic_opt_check: an option legal with one command given is
		// legal (-L with -Z).
		{"-L -n -v -Z", CmdList | CmdZero, OptNumeric | OptVerbose, 0},
		{"-w -t security -L OUTPUT --zero OUTPUT -nxv", CmdList | CmdZero, OptNumeric | OptExpanded | OptVerbose, 0}, // the Azure Linux agent's
		{"-Z -L --line-numbers", CmdList | CmdZero, OptLineNumbers, 0},
		{"-Z INPUT 1 -L INPUT -x", CmdList | CmdZeroNum, OptExpanded, 1},
		// -D's rule number is parse_rulenumber's, as -I's.
		{"-D INPUT 0x1", CmdDeleteNum, 0, 1},
		{"-D INPUT 010", CmdDeleteNum, 0, 8},
		{"-D INPUT +2", CmdDeleteNum, 0, 2},
	} {
		cmd, _, err := parseLine(t, tc.line)
		if err != nil {
			t.Errorf("%q: %v", tc.line, err)
			continue
		}
		if cmd.Command != tc.command || cmd.Options != tc.options || cmd.RuleNum != tc.rulenum {
			t.Errorf("%q: command %#x options %#x rule %d, want %#x %#x %d", tc.line,
				cmd.Command, cmd.Options, cmd.RuleNum, tc.command, tc.options, tc.rulenum)
		}
	}
	// -j CONTINUE is a jump to the chain CONTINUE (or an unknown target).
	cmd, f, err := parseLine(t, "-A INPUT -j CONTINUE")
	if err != nil || cmd.Jump != "CONTINUE" || !strings.Contains(strings.Join(f.calls, "|"), "target CONTINUE") {
		t.Errorf("-j CONTINUE: jump %q, calls %q, %v", cmd.Jump, f.calls, err)
	}
}

// TestStill189Errors: what 1.8.9 refuses stays refused, those refusals
// 1.8.11 dropped included.
func TestStill189Errors(t *testing.T) {
	for _, tc := range []struct{ line, msg string }{
		// No command given allows the option.
		{"-S -Z -n", "Illegal option `--numeric' with this command"},
		{"-L -Z -c 1 2", "Illegal option `--set-counters' with this command"},
		// -Z with a rule number forgets the -L before it.
		{"-L INPUT -Z INPUT 2 -n", "Illegal option `--numeric' with this command"},
		{"-D INPUT 4294967297", "Invalid rule number `4294967297'"},
		{"-D INPUT 0", "Invalid rule number `0'"},
		{"-D INPUT 1a", "Invalid rule number `1a'"},
		{"-D INPUT 1:2", "Rule ranges are not supported"},
		{"-R INPUT 1 -s 1.2.3.4,5.6.7.8 -j DROP", "Replacement rule does not specify a unique address"},
		{"-R INPUT 1 -d 10.0.0.0/8,1.2.3.4 -j DROP", "Replacement rule does not specify a unique address"},
		// 1.8.11's fix: -E checks the new name as -N does.
		{"-E foo ACCEPT", "chain name may not clash with target name"},
	} {
		_, _, err := parseLine(t, tc.line)
		var pe *Error
		if !errors.As(err, &pe) || pe.Msg != tc.msg || pe.Status != 2 {
			t.Errorf("%q: %v, want %q", tc.line, err, tc.msg)
		}
	}
	if _, _, err := parseLine(t, "-R INPUT 1 -s 1.2.3.4 -j DROP"); err != nil {
		t.Errorf("-R with one address: %v", err)
	}
}
