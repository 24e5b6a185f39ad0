// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/goipt/goipt/internal/iptables"
	"github.com/goipt/goipt/pkg/parse"
)

// The goipt(8) manual page, man/goipt.8, is generated (by `make man`, which
// runs internal/manpage/genman) from the cobra tree, iptables' option table
// (parse.CoreOptions) and the hand-written sections below,
// written in markdown and turned into roff by go-md2man. A test fails when
// the checked-in page is stale.

// manDate is the date on the page; change it when the page changes.
const manDate = "November 2026"

// appletDocs are the long descriptions of the applet commands (goipt help
// APPLET shows them too).
var appletDocs = map[string]string{
	"iptables": "Administers the IPv4 packet filter tables: adds, deletes, inserts, " +
		"replaces, checks and lists rules, creates, renames and deletes chains, sets " +
		"policies and zeroes counters, with iptables' grammar (see IPTABLES GRAMMAR), " +
		"messages and exit codes. One command line is one transaction on one table. " +
		"goipt's own --json makes -L and -S print the tables they list as JSON.",
	"ip6tables": "The same as iptables, for the IPv6 tables.",
	"iptables-save": "Prints the IPv4 tables (all, or the one -t names) in the format " +
		"iptables-restore reads. Options: -c (--counters) includes packet and byte " +
		"counters, -t (--table) TABLE, -f (--file) FILE writes to FILE, -M (--modprobe) " +
		"COMMAND, -V (--version). goipt's own --json prints the tables as JSON, which " +
		"iptables-restore --json reads back.",
	"ip6tables-save": "The same as iptables-save, for the IPv6 tables.",
	"iptables-restore": "Reads a file (or standard input) in iptables-save's format and " +
		"commits each table at its COMMIT line, atomically. Options: -c (--counters), " +
		"-n (--noflush) keeps the rules already in a table, -t (--test) only parses, " +
		"-T (--table) TABLE restores only that table, -v (--verbose), -w (--wait) " +
		"[SECONDS], -W (--wait-interval), -M (--modprobe) COMMAND, -V (--version), " +
		"-h (--help). goipt's own --json reads the JSON iptables-save --json prints; " +
		"--plan commits nothing but prints, per table, the rules, chains and policies " +
		"that would be added or removed (exit status 0 when nothing would change, 10 " +
		"when something would).",
	"ip6tables-restore": "The same as iptables-restore, for the IPv6 tables.",
	"iptables-xml": "Converts iptables-save output (a file, or standard input) to XML, " +
		"exactly as iptables' iptables-xml does. Options: -c (--combine) merges the " +
		"actions of consecutive rules with the same conditions, -v (--verbose) copies " +
		"each input line as an XML comment, -h (--help).",
}

// mdEscape keeps markdown from reading text as markup.
func mdEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "'", "[", `\[`, "]", `\]`, "<", `\<`)
	return r.Replace(s)
}

// mdOption is an option as a definition list term: **-A**, **--append** *chain*.
func mdOption(o parse.CoreOption) string {
	var names []string
	if o.Short != 0 {
		names = append(names, "**-"+string(o.Short)+"**")
	}
	for _, l := range o.Long {
		names = append(names, "**--"+l+"**")
	}
	s := strings.Join(names, ", ")
	if o.Synopsis != "" {
		var words []string
		for _, w := range strings.Fields(o.Synopsis) {
			words = append(words, "*"+mdEscape(w)+"*")
		}
		s += " " + strings.Join(words, " ")
	}
	desc := strings.ReplaceAll(o.Desc, "`", "'")
	if o.IPv4Only {
		desc += " (iptables only)"
	}
	return s + "\n: " + mdEscape(desc) + ".\n\n"
}

// mdOptions is the options of kind, in the order of iptables' help.
func mdOptions(kind parse.OptionKind) string {
	var b strings.Builder
	for _, o := range coreOptions() {
		if o.Kind == kind {
			b.WriteString(mdOption(o))
		}
	}
	return b.String()
}

// appletAliases lists the other names an applet answers to (with the same
// backend: see sameTool).
func appletAliases(name string) []string {
	var out []string
	for n := range applets {
		if n != name && sameTool(n, name) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// markdown is the page being written.
type markdown struct{ strings.Builder }

func (m *markdown) p(format string, args ...any) { fmt.Fprintf(&m.Builder, format, args...) }

// manMarkdown is the page in markdown.
func manMarkdown(root *cobra.Command) string {
	m := &markdown{}
	m.title(root)
	m.synopsis()
	m.description(root)
	m.backends()
	m.applets(root)
	m.goiptCommands(root)
	m.grammar()
	m.environment()
	m.exitStatus()
	m.files()
	m.examples()
	m.seeAlso()
	return m.String()
}

// title writes the title line and the NAME section.
func (m *markdown) title(root *cobra.Command) {
	m.p("%% \"GOIPT\" \"8\" \"%s\" \"goipt %s\" \"System Manager's Manual\"\n", manDate, iptables.Version)
	m.p("# NAME\n%s - %s\n\n", root.Name(), mdEscape(root.Short))
}

// synopsis writes the SYNOPSIS section.
func (m *markdown) synopsis() {
	m.p("# SYNOPSIS\n")
	m.p("**goipt** *applet* [*argument*...]\n\n")
	m.p("*applet* [*argument*...]\n\n")
	m.p("**goipt** [*iptables-argument*...]\n\n")
	m.p("**goipt** **version**|**completion** *shell*|**help** [*command*]\n\n")
}

// description writes the DESCRIPTION section.
func (m *markdown) description(root *cobra.Command) {
	m.p("# DESCRIPTION\n%s\n\n", mdEscape(strings.ReplaceAll(root.Long, "\n", " ")))
	m.p("goipt drives the kernel's legacy x\\_tables through the system's libiptc and " +
		"libxtables, so it loads the same match and target extensions as iptables-legacy, " +
		"accepts the same command lines, prints the same output and errors, and exits " +
		"with the same status.\n\n")
}

// backends writes the BACKENDS section.
func (m *markdown) backends() {
	m.p("# BACKENDS\n")
	m.p("goipt speaks both of iptables' kernel APIs. The **-legacy** names " +
		"(**iptables-legacy**, **ip6tables-legacy**, their **-save** and **-restore**, and " +
		"every applet of **xtables-legacy-multi**) are iptables-legacy: x\\_tables, through " +
		"libiptc. The **-nft** names (**iptables-nft**, **ip6tables-nft**, " +
		"**iptables-nft-save**, **ip6tables-nft-save**, and every applet of " +
		"**xtables-nft-multi**) are iptables-nft 1.8.9: nf\\_tables, with the tables, base " +
		"chains and rule expressions iptables-nft writes (through libnftnl); " +
		"**iptables-nft-restore** is not implemented yet. The plain names (**iptables**, " +
		"**ip6tables**, their **-save** and **-restore**, and **goipt** itself) use " +
		"**GOIPT\\_BACKEND** when it says **nft** or **legacy**; else the system's own " +
		"choice, where its iptables (ip6tables) leads, link after link (Debian's " +
		"alternatives: */usr/sbin/iptables* -> */etc/alternatives/iptables* -> " +
		"*iptables-nft* or *iptables-legacy*); else nf\\_tables, upstream iptables' " +
		"default. **-V** says which answered: **(nf\\_tables)** or **(legacy)**.\n\n")
}

// applets writes the APPLETS section.
func (m *markdown) applets(root *cobra.Command) {
	m.p("# APPLETS\n")
	m.p("goipt is a multi-call binary. It runs the applet named by the base name it is " +
		"called by (a symbolic link such as *iptables* -> *goipt*), or else by its first " +
		"argument (**goipt iptables -L**). Called as **goipt** with any other arguments, " +
		"it is iptables. **make install** puts the symbolic links in a directory of their " +
		"own, *PREFIX/lib/goipt/bin*: they replace the system's iptables only for users " +
		"who put that directory in front of their **PATH**.\n\n")
	for _, name := range AppletNames {
		cmd, _, err := root.Find([]string{name})
		if err != nil || cmd == root {
			continue
		}
		m.p("**%s** [*argument*...]\n: %s", name, mdEscape(cmd.Long))
		if al := appletAliases(name); len(al) > 0 {
			m.p(" Also answers to: %s.", strings.Join(al, ", "))
		}
		m.p("\n\n")
	}
	m.p("**xtables-legacy-multi** *applet* [*argument*...]\n: The same as **goipt**: the " +
		"build links this name too, for tools that look for it.\n\n")
}

// goiptCommands writes the GOIPT COMMANDS section.
func (m *markdown) goiptCommands(root *cobra.Command) {
	m.p("# GOIPT COMMANDS\nThese are goipt's own; they are read only as goipt's first argument.\n\n")
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, s := range c.Commands() {
			if !s.IsAvailableCommand() && s.Name() != "help" || applets[s.Name()].Main != nil {
				continue
			}
			m.p("**%s**\n: %s.\n\n", mdEscape(strings.TrimPrefix(s.CommandPath(), root.Name()+" ")+
				strings.TrimPrefix(s.Use, s.Name())), mdEscape(strings.TrimSuffix(s.Short, ".")))
			walk(s)
		}
	}
	walk(root)
}

// grammar writes the IPTABLES GRAMMAR section.
func (m *markdown) grammar() {
	m.p("# IPTABLES GRAMMAR\n")
	m.p("An iptables command line is one command, its chain and other arguments, and " +
		"options; a rule specification is made of parameters, matches and a target. " +
		"Options may come in any order and take their arguments as the next word or, " +
		"for long options, after **=**; long options may be abbreviated to any unique " +
		"prefix. Without **-t** the table is *filter*.\n\n")
	m.p("### COMMANDS\n%s", mdOptions(parse.KindCommand))
	m.p("### PARAMETERS\n%s", mdOptions(parse.KindParameter))
	m.p("### OTHER OPTIONS\n%s", mdOptions(parse.KindOther))
	m.p("### NEGATION\n")
	m.p("A **!** before a parameter or an extension's option inverts it: " +
		"**! -s 10.0.0.0/8** matches packets from anywhere else, **-m conntrack ! " +
		"--ctstate NEW** packets of any other state. Not every option can be inverted; " +
		"those that cannot are refused with a parameter problem.\n\n")
	m.p("### MATCHES AND TARGETS\n")
	m.p("**-m** *name* loads the match extension *name* (libxt\\_*name*.so, or " +
		"libipt\\_*name*.so for iptables and libip6t\\_*name*.so for ip6tables, from " +
		"**XTABLES\\_LIBDIR**); its options are allowed after it. **-p** *protocol* loads " +
		"the protocol's match by itself when one of its options (such as **--dport** " +
		"after **-p tcp**) follows. **-j** *target* jumps to a user-defined chain, ends " +
		"with a verdict (**ACCEPT**, **DROP**, **RETURN**, **QUEUE**) or loads the " +
		"target extension *target*, whose options are allowed after it. **-h** after " +
		"**-m** *name*, **-p** *protocol* or **-j** *target* prints the extension's help; " +
		"**iptables-extensions**(8) describes them all.\n\n")
	m.p("### SHELL COMPLETION\n")
	m.p("The completion scripts (**goipt completion bash**|**zsh**|**fish**, installed by " +
		"**make install**) complete the applets' command lines with this grammar: " +
		"commands and options; tables after **-t**; the chains of the table being " +
		"edited, read from the kernel, after **-A**, **-I**, **-D**, **-L**, **-P**, " +
		"**-g** and the like; targets (verdicts, target extensions and chains) after " +
		"**-j**; match extensions after **-m**; protocols after **-p**; interfaces after " +
		"**-i** and **-o**; the options of the extensions loaded so far and some of " +
		"their values (conntrack states, ICMP types, reject types, TCP flags, ...). " +
		"The bash script also completes the applets' symbolic links that lead to goipt " +
		"when it is loaded.\n\n")
}

// environment writes the ENVIRONMENT section.
func (m *markdown) environment() {
	m.p("# ENVIRONMENT\n")
	m.p("**XTABLES\\_LOCKFILE**\n: The xtables lock file that serializes changes to the " +
		"tables, instead of */run/xtables.lock*. **-w** waits for it; without **-w** a " +
		"command that finds it taken fails (exit status 4). iptables-nft takes no lock " +
		"(nf\\_tables transactions are atomic; **-w** is accepted and ignored).\n\n")
	m.p("**XTABLES\\_LIBDIR**\n: The directories (separated by colons) libxtables loads " +
		"match and target extensions from, instead of the directory it was built with " +
		"(*/usr/lib/x86\\_64-linux-gnu/xtables* on Debian for amd64).\n\n")
	m.p("**GOIPT\\_BACKEND**\n: **nft** or **legacy**: the kernel API of the plain " +
		"names (see BACKENDS).\n\n")
	m.p("**GOIPT\\_COMPLETION\\_DESCRIPTIONS**\n: **0** leaves the descriptions out of " +
		"the shell completion's candidates.\n\n")
}

// exitStatus writes the EXIT STATUS section.
func (m *markdown) exitStatus() {
	m.p("# EXIT STATUS\n")
	m.p("**0**\n: Success.\n\n")
	m.p("**1**\n: Another problem: a rule, chain or table that does not exist (**-C** " +
		"exits with 1 when the rule is not there), an error from the kernel, a file that " +
		"cannot be read; iptables-xml's own errors.\n\n")
	m.p("**2**\n: A parameter problem: a bad command line, a bad option or argument, a " +
		"bad line of iptables-restore's input.\n\n")
	m.p("**3**\n: A version problem: the kernel (or a plugin) does not support what was " +
		"asked, such as an extension's revision.\n\n")
	m.p("**4**\n: A resource problem, such as the xtables lock held by another process " +
		"(see **-w**) or memory.\n\n")
	m.p("**10**\n: **iptables-restore --plan** only: something would change.\n\n")
}

// files writes the FILES section.
func (m *markdown) files() {
	m.p("# FILES\n")
	m.p("*/run/xtables.lock*\n: The xtables lock (see **XTABLES\\_LOCKFILE**).\n\n")
	m.p("*PREFIX/lib/goipt/bin*\n: The applets' symbolic links **make install** makes.\n\n")
}

// examples writes the EXAMPLES section.
func (m *markdown) examples() {
	m.p("# EXAMPLES\n")
	m.p("Allow new SSH connections and established traffic:\n\n")
	m.p("```\ngoipt iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n" +
		"goipt iptables -A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT\n" +
		"goipt iptables -P INPUT DROP\n```\n\n")
	m.p("List the nat table as rules, with counters:\n\n```\ngoipt iptables -t nat -S -v\n```\n\n")
	m.p("Save the IPv6 rules and load them back, keeping the counters:\n\n")
	m.p("```\ngoipt ip6tables-save -c > rules.v6\ngoipt ip6tables-restore -c < rules.v6\n```\n\n")
	m.p("Convert the IPv4 rules to XML:\n\n```\ngoipt iptables-save | goipt iptables-xml -c\n```\n\n")
	m.p("Use goipt's applets as iptables, ip6tables, ... in one shell:\n\n")
	m.p("```\nexport PATH=/usr/local/lib/goipt/bin:$PATH\niptables -L -n --line-numbers\n```\n\n")
	m.p("Try rules in a throwaway network namespace, without touching the host's:\n\n")
	m.p("```\nsudo env XTABLES_LOCKFILE=/tmp/xt.lock unshare -n goipt iptables -N TEST\n```\n\n")
	m.p("Load the bash completion by hand:\n\n```\nsource <(goipt completion bash)\n```\n\n")
}

// seeAlso writes the SEE ALSO section.
func (m *markdown) seeAlso() {
	m.p("# SEE ALSO\n")
	m.p("**iptables**(8), **ip6tables**(8), **iptables-save**(8), **iptables-restore**(8), " +
		"**iptables-extensions**(8), **iptables-xml**(1)\n")
}

// ManMarkdown returns the goipt(8) page as markdown, from the cobra tree
// and the hand-written sections; internal/manpage turns it into roff (so
// that the command itself does not carry a markdown renderer).
func ManMarkdown() string {
	root := NewRootCommand(&bytes.Buffer{}, &bytes.Buffer{})
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	return manMarkdown(root)
}
