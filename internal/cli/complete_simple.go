// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/goipt/goipt/pkg/parse"
)

// Completion of the applets with a few options of their own:
// iptables-save, iptables-restore and iptables-xml.

// simpleOpt is an option of iptables-save, -restore or -xml.
type simpleOpt struct {
	short byte
	long  string
	arg   parse.ArgKind // parse.ArgNone: no argument
	desc  string
}

var saveCompletion = []simpleOpt{
	{'c', "counters", parse.ArgNone, "Include packet and byte counters"},
	{'t', "table", parse.ArgTable, "Only this table"},
	{'M', "modprobe", parse.ArgFile, "Use this command to load modules"},
	{'f', "file", parse.ArgFile, "Write to this file instead of stdout"},
	{'V', "version", parse.ArgNone, "Print package version"},
	{0, "json", parse.ArgNone, "Print the tables as JSON (goipt's own)"},
}

var restoreCompletion = []simpleOpt{
	{'c', "counters", parse.ArgNone, "Restore packet and byte counters"},
	{'h', "help", parse.ArgNone, "Print help"},
	{'n', "noflush", parse.ArgNone, "Don't flush previous rules"},
	{'t', "test", parse.ArgNone, "Test only: parse, don't commit"},
	{'v', "verbose", parse.ArgNone, "Verbose mode"},
	{'V', "version", parse.ArgNone, "Print package version"},
	{'w', "wait", parse.ArgNone, "Wait for the xtables lock (seconds)"},
	{'W', "wait-interval", parse.ArgNone, "Ignored, kept for compatibility"},
	{'M', "modprobe", parse.ArgFile, "Use this command to load modules"},
	{'T', "table", parse.ArgTable, "Only restore this table"},
	{0, "json", parse.ArgNone, "Read the JSON --json prints (goipt's own)"},
	{0, "plan", parse.ArgNone, "Print what would change, commit nothing (goipt's own)"},
}

var xmlCompletion = []simpleOpt{
	{'c', "combine", parse.ArgNone, "Combine the actions of rules with the same conditions"},
	{'v', "verbose", parse.ArgNone, "Show each input line as a comment"},
	{'h', "help", parse.ArgNone, "Print help"},
}

// completeSimple completes the command line of an applet with a few
// options and (with files) file operands.
func completeSimple(opts []simpleOpt, files bool, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	c := &completions{toComplete: toComplete}
	argOf := func(o simpleOpt) ([]cobra.Completion, cobra.ShellCompDirective) {
		directive := completeValue(nil, 0, o.arg, c)
		return c.out, directive
	}
	if n := len(args); n > 0 {
		prev := args[n-1]
		for _, o := range opts {
			if o.arg != parse.ArgNone && (o.short != 0 && prev == "-"+string(o.short) || prev == "--"+o.long) {
				return argOf(o)
			}
		}
	}
	for _, o := range opts {
		if o.arg == parse.ArgNone {
			continue
		}
		if p := "--" + o.long + "="; strings.HasPrefix(toComplete, p) {
			c.toComplete = toComplete[len(p):] // the shells want the value alone
			return argOf(o)
		}
		if p := "-" + string(o.short); o.short != 0 && len(toComplete) > 2 && strings.HasPrefix(toComplete, p) {
			c.prefix = p
			return argOf(o)
		}
	}
	if toComplete == "" && files {
		return nil, cobra.ShellCompDirectiveDefault
	}
	if strings.HasPrefix(toComplete, "-") || toComplete == "" {
		for _, o := range opts {
			if o.short != 0 {
				c.add("-"+string(o.short), o.desc)
			}
			c.add("--"+o.long, o.desc)
		}
		return c.out, cobra.ShellCompDirectiveNoFileComp
	}
	if files {
		return nil, cobra.ShellCompDirectiveDefault
	}
	return nil, cobra.ShellCompDirectiveNoFileComp
}
