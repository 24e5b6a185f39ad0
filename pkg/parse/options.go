// SPDX-License-Identifier: GPL-2.0-or-later

package parse

import "strings"

// OptionKind sorts iptables' own options as its help and manual do.
type OptionKind int

const (
	KindCommand   OptionKind = iota // a command: one per command line (-L with -Z excepted)
	KindParameter                   // a part of a rule specification (-s, -p, -j, ...)
	KindOther                       // how to work or list (-t, -v, -n, -w, ...)
)

// ArgKind is what a word of a command line is, as far as shell completion
// cares: iptables' own options' arguments, and their values.
type ArgKind int

const (
	ArgNone         ArgKind = iota // none, or anything: an address, a number, a new name
	ArgTable                       // a table name
	ArgChain                       // any chain of the table
	ArgUserChain                   // a user-defined chain
	ArgBuiltinChain                // a built-in chain
	ArgTarget                      // a target: verdict, extension or user chain
	ArgMatch                       // a match extension
	ArgProtocol                    // a protocol
	ArgInterface                   // a network interface
	ArgPolicy                      // ACCEPT or DROP
	ArgFile                        // a file name
	ArgExtension                   // the argument of an extension's option (no core option has it)
)

// CoreOption is one of iptables' own options. The table of them
// (CoreOptions) is the one description of iptables' command line: the
// parser's getopt table and handlers, what each option may be used with,
// iptables -h, shell completion and the manual page are made from it.
type CoreOption struct {
	Short    byte     // the short option; 0 for none (--line-numbers)
	Long     []string // the long names, the main one first (--source, --src)
	HasArg   int      // as getopt has it: 0 none, 1 required, 2 optional
	Kind     OptionKind
	IPv4Only bool      // iptables only (-f)
	Arg      ArgKind   // what its argument is
	Then     []ArgKind // the words it takes after its argument (-P chain POLICY)
	Synopsis string    // its arguments as the manual names them
	Desc     string    // what it does, in a line

	help   string  // its lines of iptables -h, "" for none; see Help
	val    int     // getopt's value: Short, or '0' for --line-numbers
	cmd    int     // a command's Cmd* bit
	flag   int     // an option's Opt* bit, 0 for none
	invert uint8   // the Inv* flag a '!' before it sets, 0 when it cannot have one
	legal  int     // the commands (Cmd* bits) an option with a flag may be used with
	handle handler // what the parser does with it
}

// Help returns the option's lines of iptables -h (ip6tables -h for
// IPv6), each ending with a newline; "" for an option the help leaves
// out.
func (o *CoreOption) Help(ipv6 bool) string {
	if o.IPv4Only && ipv6 {
		return ""
	}
	if o.val == '4' || o.val == '6' {
		// What the line does in this family's restore: "Nothing" in its
		// own, "Error" in the other's.
		verdict := "Error"
		if (o.val == '4') == !ipv6 {
			verdict = "Nothing"
		}
		return strings.Replace(o.help, "%s", verdict, 1)
	}
	return o.help
}

// CoreOptions returns iptables' own options (a copy), in the order of its
// help.
func CoreOptions() []CoreOption {
	opts := append([]CoreOption(nil), coreOptions...)
	for i := range opts {
		opts[i].Long = append([]string(nil), opts[i].Long...)
		opts[i].Then = append([]ArgKind(nil), opts[i].Then...)
	}
	return opts
}

// cmdIDRAC are the commands that take a rule specification.
const cmdIDRAC = CmdInsert | CmdDelete | CmdReplace | CmdAppend | CmdCheck

var coreOptions = []CoreOption{
	{Short: 'A', Long: []string{"append"}, HasArg: 1, Arg: ArgChain,
		Synopsis: "chain rule-specification", Desc: "Append to chain",
		help: "  --append  -A chain\t\tAppend to chain\n",
		cmd:  CmdAppend, handle: (*parser).chainCommand},
	{Short: 'C', Long: []string{"check"}, HasArg: 1, Arg: ArgChain,
		Synopsis: "chain rule-specification", Desc: "Check for the existence of a rule",
		help: "  --check   -C chain\t\tCheck for the existence of a rule\n",
		cmd:  CmdCheck, handle: (*parser).chainCommand},
	{Short: 'D', Long: []string{"delete"}, HasArg: 1, Arg: ArgChain,
		Synopsis: "chain rule-specification|rulenum", Desc: "Delete matching rule (or rule number) from chain",
		help: "  --delete  -D chain\t\tDelete matching rule from chain\n" +
			"  --delete  -D chain rulenum\n\t\t\t\tDelete rule rulenum (1 = first) from chain\n",
		cmd: CmdDelete, handle: (*parser).delete},
	{Short: 'I', Long: []string{"insert"}, HasArg: 1, Arg: ArgChain,
		Synopsis: "chain [rulenum] rule-specification", Desc: "Insert in chain as rulenum (default 1=first)",
		help: "  --insert  -I chain [rulenum]\n\t\t\t\tInsert in chain as rulenum (default 1=first)\n",
		cmd:  CmdInsert, handle: (*parser).insert},
	{Short: 'R', Long: []string{"replace"}, HasArg: 1, Arg: ArgChain,
		Synopsis: "chain rulenum rule-specification", Desc: "Replace rule rulenum (1 = first) in chain",
		help: "  --replace -R chain rulenum\n\t\t\t\tReplace rule rulenum (1 = first) in chain\n",
		cmd:  CmdReplace, handle: (*parser).replace},
	{Short: 'L', Long: []string{"list"}, HasArg: 2, Arg: ArgChain,
		Synopsis: "[chain]", Desc: "List the rules in a chain or all chains",
		help: "  --list    -L [chain [rulenum]]\n\t\t\t\tList the rules in a chain or all chains\n",
		cmd:  CmdList, handle: (*parser).list},
	{Short: 'S', Long: []string{"list-rules"}, HasArg: 2, Arg: ArgChain,
		Synopsis: "[chain]", Desc: "Print the rules in a chain or all chains",
		help: "  --list-rules -S [chain [rulenum]]\n\t\t\t\tPrint the rules in a chain or all chains\n",
		cmd:  CmdListRules, handle: (*parser).list},
	{Short: 'F', Long: []string{"flush"}, HasArg: 2, Arg: ArgChain,
		Synopsis: "[chain]", Desc: "Delete all rules in chain or all chains",
		help: "  --flush   -F [chain]\t\tDelete all rules in  chain or all chains\n",
		cmd:  CmdFlush, handle: (*parser).optionalChainCommand},
	{Short: 'Z', Long: []string{"zero"}, HasArg: 2, Arg: ArgChain,
		Synopsis: "[chain [rulenum]]", Desc: "Zero counters in chain or all chains",
		help: "  --zero    -Z [chain [rulenum]]\n\t\t\t\tZero counters in chain or all chains\n",
		cmd:  CmdZero, handle: (*parser).zero},
	{Short: 'N', Long: []string{"new-chain"}, HasArg: 1,
		Synopsis: "chain", Desc: "Create a new user-defined chain",
		help: "  --new     -N chain\t\tCreate a new user-defined chain\n",
		cmd:  CmdNewChain, handle: (*parser).newChain},
	{Short: 'X', Long: []string{"delete-chain"}, HasArg: 2, Arg: ArgUserChain,
		Synopsis: "[chain]", Desc: "Delete a user-defined chain",
		help: "  --delete-chain\n            -X [chain]\t\tDelete a user-defined chain\n",
		cmd:  CmdDeleteChain, handle: (*parser).optionalChainCommand},
	{Short: 'P', Long: []string{"policy"}, HasArg: 1, Arg: ArgBuiltinChain, Then: []ArgKind{ArgPolicy},
		Synopsis: "chain target", Desc: "Change policy on chain to target",
		help: "  --policy  -P chain target\n\t\t\t\tChange policy on chain to target\n",
		cmd:  CmdSetPolicy, handle: (*parser).policy},
	{Short: 'E', Long: []string{"rename-chain"}, HasArg: 1, Arg: ArgUserChain, Then: []ArgKind{ArgNone},
		Synopsis: "old-chain new-chain", Desc: "Change chain name",
		help: "  --rename-chain\n            -E old-chain new-chain\n\t\t\t\tChange chain name, (moving any references)\n",
		cmd:  CmdRenameChain, handle: (*parser).renameChain},

	{Short: '4', Long: []string{"ipv4"}, Kind: KindParameter,
		Desc:   "Nothing (line is ignored by ip6tables-restore)",
		help:   "    --ipv4\t-4\t\t%s (line is ignored by ip6tables-restore)\n",
		handle: (*parser).family},
	{Short: '6', Long: []string{"ipv6"}, Kind: KindParameter,
		Desc:   "Error (line is ignored by iptables-restore)",
		help:   "    --ipv6\t-6\t\t%s (line is ignored by iptables-restore)\n",
		handle: (*parser).family},
	{Short: 'p', Long: []string{"protocol"}, HasArg: 1, Kind: KindParameter, Arg: ArgProtocol,
		Synopsis: "protocol", Desc: "Protocol: by number or name, eg. `tcp'",
		help: "[!] --protocol\t-p proto\tprotocol: by number or name, eg. `tcp'\n",
		flag: OptProtocol, invert: InvProto, legal: cmdIDRAC, handle: (*parser).protocol},
	{Short: 's', Long: []string{"source", "src"}, HasArg: 1, Kind: KindParameter,
		Synopsis: "address[/mask][,...]", Desc: "Source specification",
		help: "[!] --source\t-s address[/mask][...]\n\t\t\t\tsource specification\n",
		flag: OptSource, invert: InvSrcIP, legal: cmdIDRAC, handle: (*parser).address},
	{Short: 'd', Long: []string{"destination", "dst"}, HasArg: 1, Kind: KindParameter,
		Synopsis: "address[/mask][,...]", Desc: "Destination specification",
		help: "[!] --destination -d address[/mask][...]\n\t\t\t\tdestination specification\n",
		flag: OptDestination, invert: InvDstIP, legal: cmdIDRAC, handle: (*parser).address},
	{Short: 'i', Long: []string{"in-interface"}, HasArg: 1, Kind: KindParameter, Arg: ArgInterface,
		Synopsis: "name", Desc: "Network interface name ([+] for wildcard)",
		help: "[!] --in-interface -i input name[+]\n\t\t\t\tnetwork interface name ([+] for wildcard)\n",
		flag: OptViaIn, invert: InvViaIn, legal: cmdIDRAC, handle: (*parser).iface},
	{Short: 'j', Long: []string{"jump"}, HasArg: 1, Kind: KindParameter, Arg: ArgTarget,
		Synopsis: "target", Desc: "Target for rule (may load target extension)",
		help: " --jump\t-j target\n\t\t\t\ttarget for rule (may load target extension)\n",
		flag: OptJump, legal: cmdIDRAC, handle: (*parser).jump},
	{Short: 'g', Long: []string{"goto"}, HasArg: 1, Kind: KindParameter, Arg: ArgUserChain,
		Synopsis: "chain", Desc: "Jump to chain with no return",
		help: "  --goto      -g chain\n\t\t\t       jump to chain with no return\n",
		flag: OptJump, legal: cmdIDRAC, handle: (*parser).gotoChain},
	{Short: 'm', Long: []string{"match"}, HasArg: 1, Kind: KindParameter, Arg: ArgMatch,
		Synopsis: "match", Desc: "Extended match (may load extension)",
		help:   "  --match\t-m match\n\t\t\t\textended match (may load extension)\n",
		handle: (*parser).match},
	{Short: 'n', Long: []string{"numeric"}, Kind: KindOther,
		Desc: "Numeric output of addresses and ports",
		help: "  --numeric\t-n\t\tnumeric output of addresses and ports\n",
		flag: OptNumeric, legal: CmdList, handle: (*parser).setFlag},
	{Short: 'o', Long: []string{"out-interface"}, HasArg: 1, Kind: KindParameter, Arg: ArgInterface,
		Synopsis: "name", Desc: "Output network interface name ([+] for wildcard)",
		help: "[!] --out-interface -o output name[+]\n\t\t\t\tnetwork interface name ([+] for wildcard)\n",
		flag: OptViaOut, invert: InvViaOut, legal: cmdIDRAC, handle: (*parser).iface},
	{Short: 't', Long: []string{"table"}, HasArg: 1, Kind: KindOther, Arg: ArgTable,
		Synopsis: "table", Desc: "Table to manipulate (default: `filter')",
		help:   "  --table\t-t table\ttable to manipulate (default: `filter')\n",
		handle: (*parser).table},
	{Short: 'v', Long: []string{"verbose"}, Kind: KindOther,
		Desc: "Verbose mode",
		help: "  --verbose\t-v\t\tverbose mode\n",
		flag: OptVerbose, legal: ^0, handle: (*parser).verbose},
	{Short: 'w', Long: []string{"wait"}, HasArg: 2, Kind: KindOther,
		Synopsis: "[seconds]", Desc: "Maximum wait to acquire xtables lock before give up",
		help:   "  --wait\t-w [seconds]\tmaximum wait to acquire xtables lock before give up\n",
		handle: (*parser).wait},
	{Short: 'W', Long: []string{"wait-interval"}, HasArg: 2, Kind: KindOther,
		Synopsis: "[microseconds]", Desc: "Ignored, kept for compatibility",
		handle: (*parser).waitInterval},
	{Long: []string{"line-numbers"}, Kind: KindOther,
		Desc: "Print line numbers when listing",
		help: "  --line-numbers\t\tprint line numbers when listing\n",
		val:  '0', flag: OptLineNumbers, legal: CmdList, handle: (*parser).setFlag},
	{Short: 'x', Long: []string{"exact"}, Kind: KindOther,
		Desc: "Expand numbers (display exact values)",
		help: "  --exact\t-x\t\texpand numbers (display exact values)\n",
		flag: OptExpanded, legal: CmdList, handle: (*parser).setFlag},
	{Short: 'f', Long: []string{"fragments"}, Kind: KindParameter, IPv4Only: true,
		Desc: "Match second or further fragments only",
		help: "[!] --fragment\t-f\t\tmatch second or further fragments only\n",
		flag: OptFragment, invert: InvFrag, legal: cmdIDRAC, handle: (*parser).fragment},
	{Short: 'M', Long: []string{"modprobe"}, HasArg: 1, Kind: KindOther, Arg: ArgFile,
		Synopsis: "command", Desc: "Try to insert modules using this command",
		help:   "  --modprobe=<command>\t\ttry to insert modules using this command\n",
		handle: (*parser).modprobe},
	{Short: 'c', Long: []string{"set-counters"}, HasArg: 1, Kind: KindParameter, Then: []ArgKind{ArgNone},
		Synopsis: "packets bytes", Desc: "Set the counter during insert/append",
		help: "  --set-counters -c PKTS BYTES\tset the counter during insert/append\n",
		flag: OptCounters, legal: CmdInsert | CmdReplace | CmdAppend | CmdSetPolicy, handle: (*parser).counters},
	{Short: 'h', Long: []string{"help"}, HasArg: 2,
		Synopsis: "[extension]", Desc: "Print help",
		handle: (*parser).help},
	{Short: 'V', Long: []string{"version"},
		Desc:   "Print package version",
		help:   "[!] --version\t-V\t\tprint package version.\n",
		handle: (*parser).version},
}

// Tables made from coreOptions once, by init: the handlers in coreOptions
// use them, so initializing them from coreOptions would be a cycle.
var (
	coreOpts     []LongOpt                // getopt_long's table
	optstring    string                   // getopt's short options, without the leading "-:"
	optionByVal  [256]*CoreOption         // by getopt's value
	optionByFlag [numberOfOpt]*CoreOption // by Opt* bit: the first option that sets it
	mergeRoot    mergeNode                // the merge cache's root: coreOpts alone
)

func init() {
	var short strings.Builder
	for i := range coreOptions {
		o := &coreOptions[i]
		if o.val == 0 {
			o.val = int(o.Short)
		}
		optionByVal[o.val] = o
		for _, name := range o.Long {
			coreOpts = append(coreOpts, LongOpt{Name: name, HasArg: o.HasArg, Val: o.val})
		}
		if o.Short != 0 {
			short.WriteByte(o.Short)
			short.WriteString([]string{"", ":", "::"}[o.HasArg])
		}
		for bit := 0; bit < numberOfOpt; bit++ {
			if o.flag == 1<<bit && optionByFlag[bit] == nil {
				optionByFlag[bit] = o
			}
		}
	}
	optstring = short.String()
	mergeRoot = mergeNode{opts: coreOpts, exact: exactIndex(coreOpts)}
}

// optionName is the main long name of the option with Opt* bit flag, as
// iptables' messages name it.
func optionName(flag int) string {
	for bit, o := range optionByFlag {
		if flag == 1<<bit {
			return "--" + o.Long[0]
		}
	}
	return "unknown option"
}
