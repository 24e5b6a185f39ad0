// SPDX-License-Identifier: GPL-2.0-or-later

package ipt

import (
	"fmt"
	"strings"

	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/parse"
)

// printHelp is iptables -h: the usage, then the help of each extension the
// command line loaded.
func printHelp(x *ext.X, env *Env, cmd *parse.Command) error {
	w := env.Out
	prog := env.Program
	fmt.Fprintf(w, "%s v%s (legacy)\n\n", prog, Version)
	fmt.Fprintf(w, "Usage: %s -[ACD] chain rule-specification [options]\n", prog)
	for _, u := range []string{
		"-I chain [rulenum] rule-specification [options]",
		"-R chain rulenum rule-specification [options]",
		"-D chain rulenum [options]",
		"-[LS] [chain [rulenum]] [options]",
		"-[FZ] [chain] [options]",
		"-[NX] chain",
		"-E old-chain-name new-chain-name",
		"-P chain target [options]",
		"-h (print this help information)",
	} {
		fmt.Fprintf(w, "       %s %s\n", prog, u)
	}
	w.WriteString("\n")
	w.WriteString(strings.Join(helpCommands, "\n"))
	own, other := "Nothing", "Error"
	if env.Fam == ext.IPv6 {
		own, other = "Error", "Nothing"
	}
	fmt.Fprintf(w, strings.Join(helpAddresses, "\n"), own, other)
	w.WriteString(strings.Join(helpOptions, "\n"))
	if env.Fam == ext.IPv4 {
		w.WriteString("[!] --fragment\t-f\t\tmatch second or further fragments only\n")
	}
	w.WriteString(strings.Join(helpTail, "\n"))
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

// helpCommands is joined with "\n" when printed (a literal: no work at start-up).
var helpCommands = []string{
	"Commands:",
	"Either long or short options are allowed.",
	"  --append  -A chain\t\tAppend to chain",
	"  --check   -C chain\t\tCheck for the existence of a rule",
	"  --delete  -D chain\t\tDelete matching rule from chain",
	"  --delete  -D chain rulenum",
	"\t\t\t\tDelete rule rulenum (1 = first) from chain",
	"  --insert  -I chain [rulenum]",
	"\t\t\t\tInsert in chain as rulenum (default 1=first)",
	"  --replace -R chain rulenum",
	"\t\t\t\tReplace rule rulenum (1 = first) in chain",
	"  --list    -L [chain [rulenum]]",
	"\t\t\t\tList the rules in a chain or all chains",
	"  --list-rules -S [chain [rulenum]]",
	"\t\t\t\tPrint the rules in a chain or all chains",
	"  --flush   -F [chain]\t\tDelete all rules in  chain or all chains",
	"  --zero    -Z [chain [rulenum]]",
	"\t\t\t\tZero counters in chain or all chains",
	"  --new     -N chain\t\tCreate a new user-defined chain",
	"  --delete-chain",
	"            -X [chain]\t\tDelete a user-defined chain",
	"  --policy  -P chain target",
	"\t\t\t\tChange policy on chain to target",
	"  --rename-chain",
	"            -E old-chain new-chain",
	"\t\t\t\tChange chain name, (moving any references)",
	"",
	"Options:",
	"",
}

// helpAddresses is joined with "\n" when printed (a literal: no work at start-up).
var helpAddresses = []string{
	"    --ipv4\t-4\t\t%s (line is ignored by ip6tables-restore)",
	"    --ipv6\t-6\t\t%s (line is ignored by iptables-restore)",
	"[!] --protocol\t-p proto\tprotocol: by number or name, eg. `tcp'",
	"[!] --source\t-s address[/mask][...]",
	"\t\t\t\tsource specification",
	"[!] --destination -d address[/mask][...]",
	"\t\t\t\tdestination specification",
	"",
}

// helpOptions is joined with "\n" when printed (a literal: no work at start-up).
var helpOptions = []string{
	"[!] --in-interface -i input name[+]",
	"\t\t\t\tnetwork interface name ([+] for wildcard)",
	" --jump\t-j target",
	"\t\t\t\ttarget for rule (may load target extension)",
	"  --goto      -g chain",
	"\t\t\t       jump to chain with no return",
	"  --match\t-m match",
	"\t\t\t\textended match (may load extension)",
	"  --numeric\t-n\t\tnumeric output of addresses and ports",
	"[!] --out-interface -o output name[+]",
	"\t\t\t\tnetwork interface name ([+] for wildcard)",
	"  --table\t-t table\ttable to manipulate (default: `filter')",
	"  --verbose\t-v\t\tverbose mode",
	"  --wait\t-w [seconds]\tmaximum wait to acquire xtables lock before give up",
	"  --line-numbers\t\tprint line numbers when listing",
	"  --exact\t-x\t\texpand numbers (display exact values)",
	"",
}

// helpTail is joined with "\n" when printed (a literal: no work at start-up).
var helpTail = []string{
	"  --modprobe=<command>\t\ttry to insert modules using this command",
	"  --set-counters -c PKTS BYTES\tset the counter during insert/append",
	"[!] --version\t-V\t\tprint package version.",
	"",
}
