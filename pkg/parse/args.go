// SPDX-License-Identifier: GPL-2.0-or-later

package parse

import "strings"

// parseRuleNumber is xtables_strtoui(s, NULL, &n, 1, INT_MAX).
func parseRuleNumber(s string) (int, error) {
	n, ok := strtoui(s, 1, 1<<31-1)
	if !ok {
		return 0, paramError("Invalid rule number `%s'", s)
	}
	return int(n), nil
}

// parseDeleteNumber reads the rule number of -D CHAIN NUMBER. iptables
// 1.8.11 reads it with strtol in base 10, on its way to ebtables' ranges,
// which makes "-D INPUT 0x1" an error, "-D INPUT 010" rule 10 instead of
// 8, and "-D INPUT 4294967297" rule 1 (cut to an int); goipt reads it as
// 1.8.9 and every other rule number do, with parse_rulenumber. A range
// keeps 1.8.11's message.
func (p *parser) parseDeleteNumber(s string) error {
	if strings.Contains(s, ":") {
		return paramError("Rule ranges are not supported")
	}
	n, err := parseRuleNumber(s)
	if err != nil {
		return err
	}
	p.cmd.RuleNum = n
	return nil
}

func (p *parser) assertValidChainName(name string) error {
	if len(name) >= maxNameLen {
		return paramError("chain name `%s' too long (must be under %d chars)", name, maxNameLen)
	}
	if strings.HasPrefix(name, "-") || strings.HasPrefix(name, "!") {
		return paramError("chain name not allowed to start with `%c'", name[0])
	}
	if p.cfg.Exts.IsTarget(name) {
		return paramError("chain name may not clash with target name")
	}
	if strings.ContainsAny(name, " \t\n\v\f\r") {
		return paramError("Invalid chain name `%s'", name)
	}
	return nil
}

// CheckTargetName is iptables' check of a target (-j, -g) or chain name
// given as a target. The library's rules (pkg/iptc) are checked with it
// too: one validator for both faces.
func CheckTargetName(name string) error {
	if len(name) < 1 {
		return paramError("Invalid target name (too short)")
	}
	if len(name) >= maxNameLen {
		return paramError("Invalid target name `%s' (%d chars max)", name, maxNameLen-1)
	}
	if strings.ContainsAny(name, " \t\n\v\f\r") {
		return paramError("Invalid target name `%s'", name)
	}
	return nil
}

func (p *parser) parseInterface(arg string) (string, error) {
	if arg == "" {
		return "", paramError("Empty interface is likely to be undesired")
	}
	if err := CheckInterface(arg); err != nil {
		return "", err
	}
	if strings.ContainsAny(arg, "/ ") {
		p.warnf("Warning: weird character in interface `%s' ('/' and ' ' are not allowed by the kernel).\n", arg)
	}
	return arg, nil
}

// CheckInterface is iptables' check of an interface name (-i, -o).
func CheckInterface(name string) error {
	if len(name) >= ifNameSize {
		return paramError("interface name `%s' must be shorter than %d characters", name, ifNameSize)
	}
	return nil
}

// CheckProtocol refuses a rule that could never match: "! -p all".
func CheckProtocol(proto uint16, inverted bool) error {
	if proto == 0 && inverted {
		return paramError("rule would never match protocol")
	}
	return nil
}

// CheckFragment refuses -f where the family has no such test (IPv6).
func CheckFragment(ipv6 bool) error {
	if ipv6 {
		return paramError("`-f' is not supported in IPv6, use -m frag instead")
	}
	return nil
}

// LowerASCII is tolower(3) over bytes, as iptables lower-cases -p's
// argument: only A-Z change, whatever the encoding.
func LowerASCII(s string) string {
	i := 0
	for i < len(s) && !('A' <= s[i] && s[i] <= 'Z') {
		i++
	}
	if i == len(s) {
		return s // already lower case (nearly always): no copy
	}
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// lowerLast lower-cases the protocol inside its argv word, as iptables
// does in place.
func lowerLast(word, arg string) string {
	if lower := LowerASCII(arg); lower != arg && strings.HasSuffix(word, arg) {
		return word[:len(word)-len(arg)] + lower
	}
	return word
}

func (p *parser) protoParse() error {
	proto, err := p.cfg.Exts.ParseProtocol(p.cmd.Protocol)
	if err != nil {
		return err
	}
	p.cmd.Proto = proto
	if err := CheckProtocol(proto, p.invflags&InvProto != 0); err != nil {
		return err
	}
	if p.cfg.IPv6 {
		p.flags |= FlagProto6
		switch proto {
		case 43, 44, 51, 60: // routing, fragment, AH, destination options
			if p.invflags&InvProto == 0 {
				p.warnf("Warning: never matched protocol: %s. use extension match instead.\n", p.cmd.Protocol)
			}
		}
		p.cfg.Exts.SetProto(proto, FlagProto6, p.invflags)
	} else {
		p.cfg.Exts.SetProto(proto, 0, p.invflags)
	}
	return nil
}

func (p *parser) parseCounters(arg string) error {
	pcnt := arg
	bcnt, hasB := "", false
	if i := strings.IndexByte(arg, ','); i >= 0 {
		bcnt, hasB = arg[i+1:], true
	}
	if !hasB && p.hasArg() {
		bcnt, hasB = p.nextArg(), true
	}
	if !hasB {
		return paramError("%s requires packet and byte counter", optionName(OptCounters))
	}
	var ok bool
	if p.cmd.Packets, ok = scanULL(pcnt); !ok {
		return paramError("%s packet counter not numeric", optionName(OptCounters))
	}
	if p.cmd.Bytes, ok = scanULL(bcnt); !ok {
		return paramError("%s byte counter not numeric", optionName(OptCounters))
	}
	return nil
}
