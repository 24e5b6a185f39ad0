// SPDX-License-Identifier: GPL-2.0-or-later

package parse

import "fmt"

// Commands, as iptables numbers them (bit i is cmdflags[i]).
const (
	CmdNone        = 0
	CmdInsert      = 1 << 0
	CmdDelete      = 1 << 1
	CmdDeleteNum   = 1 << 2
	CmdReplace     = 1 << 3
	CmdAppend      = 1 << 4
	CmdList        = 1 << 5
	CmdFlush       = 1 << 6
	CmdZero        = 1 << 7
	CmdNewChain    = 1 << 8
	CmdDeleteChain = 1 << 9
	CmdSetPolicy   = 1 << 10
	CmdRenameChain = 1 << 11
	CmdListRules   = 1 << 12
	CmdZeroNum     = 1 << 13
	CmdCheck       = 1 << 14
)

// Options, as iptables numbers them.
const (
	OptNumeric     = 1 << 0
	OptSource      = 1 << 1
	OptDestination = 1 << 2
	OptProtocol    = 1 << 3
	OptJump        = 1 << 4
	OptVerbose     = 1 << 5
	OptExpanded    = 1 << 6
	OptViaIn       = 1 << 7
	OptViaOut      = 1 << 8
	OptLineNumbers = 1 << 9
	OptCounters    = 1 << 10
	OptFragment    = 1 << 11
	numberOfOpt    = 12
)

// Inversion flags of the entry header (IPT_INV_*, IP6T_INV_*).
const (
	InvViaIn  = 0x01
	InvViaOut = 0x02
	InvSrcIP  = 0x08
	InvDstIP  = 0x10
	InvFrag   = 0x20
	InvProto  = 0x40
)

// Header flags.
const (
	FlagFrag    = 0x01 // IPT_F_FRAG
	FlagGoto4   = 0x02 // IPT_F_GOTO
	FlagProto6  = 0x01 // IP6T_F_PROTO
	FlagGoto6   = 0x04 // IP6T_F_GOTO
	exitVersion = 3
)

// Command is one parsed iptables command line.
type Command struct {
	IPv6    bool // ip6tables, not iptables
	Command int
	Table   string
	Chain   string
	// ChainSet tells that a chain was named, even as "": -L, -S, -F, -Z
	// and -X apply to every chain only when none was.
	ChainSet bool
	NewName  string
	Policy   string
	RuleNum  int
	Options  int
	Verbose  int

	// Wait is the -w value: 0 none, -1 forever, else seconds.
	Wait     int
	Modprobe string

	Protocol string // as given, lower-cased
	Proto    uint16
	Flags    uint8
	InvFlags uint8
	InIface  string
	OutIface string
	Src, Dst string // address specs, "" when absent
	Jump     string // "" for no target
	Goto     bool
	Packets  uint64
	Bytes    uint64

	// Matches and Target are the extensions the command loaded, in order.
	Matches []*Ext
	Target  *Ext

	// Help is set for -h; Version for -V (the parser has printed nothing).
	Help       bool
	Version    bool
	VersionNot bool
	// Ignored: restore met -4 (-6) on an ip6tables (iptables) line and
	// stopped parsing there, as iptables does: what was parsed before runs,
	// without the final checks and without addresses.
	Ignored     bool
	WaitWarning bool // --wait-interval was given (a deprecation notice)
}

func errorf(status int, format string, args ...any) *Error {
	return &Error{Status: status, Msg: fmt.Sprintf(format, args...)}
}

func paramError(format string, args ...any) *Error {
	return errorf(2, format, args...)
}
