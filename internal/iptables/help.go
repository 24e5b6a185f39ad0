// SPDX-License-Identifier: GPL-2.0-or-later

package iptables

import (
	"fmt"

	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/parse"
)

// printHelp is iptables -h: the usage, the help of iptables' own options
// (from parse's table, in its order), then the help of each extension the
// command line loaded.
func printHelp(x *ext.Xtables, env *Env, cmd *parse.Command) error {
	w := env.Out
	prog := env.Program
	fmt.Fprintf(w, "%s v%s (%s)\n\n", prog, Version, env.Backend.Name())
	fmt.Fprintf(w, "Usage: %s -[ACD] chain rule-specification [options]\n", prog)
	for _, u := range helpUsage {
		fmt.Fprintf(w, "       %s %s\n", prog, u)
	}
	w.WriteString("\nCommands:\nEither long or short options are allowed.\n")
	commands := true
	for _, o := range parse.CoreOptions() {
		if commands && o.Kind != parse.KindCommand {
			w.WriteString("\nOptions:\n")
			commands = false
		}
		w.WriteString(o.Help(env.Fam == ext.IPv6))
	}
	var all []*parse.Ext
	if cmd.Target != nil {
		all = append(all, cmd.Target)
	}
	all = append(all, cmd.Matches...)
	for _, e := range all {
		s, err := x.Help(e.Handle.(*ext.Ext))
		w.WriteString(s)
		if err != nil {
			return err
		}
	}
	return nil
}

// helpUsage are the usage lines after the first.
var helpUsage = []string{
	"-I chain [rulenum] rule-specification [options]",
	"-R chain rulenum rule-specification [options]",
	"-D chain rulenum [options]",
	"-[LS] [chain [rulenum]] [options]",
	"-[FZ] [chain] [options]",
	"-[NX] chain",
	"-E old-chain-name new-chain-name",
	"-P chain target [options]",
	"-h (print this help information)",
}
