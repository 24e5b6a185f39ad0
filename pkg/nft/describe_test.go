// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"fmt"
	"strings"

	"github.com/goipt/goipt/pkg/nft/expr"
)

// debugText prints expressions as nft --debug=netlink does (libnftnl's
// snprintf), for the expressions iptables-nft writes.
func debugText(es []expr.Any) string {
	var b strings.Builder
	for _, e := range es {
		b.WriteString("  [ " + exprText(e) + " ]\n")
	}
	return b.String()
}

var metaKeys = map[uint32]string{expr.MetaMark: "mark", expr.MetaIIFName: "iifname", expr.MetaOIFName: "oifname",
	expr.MetaL4Proto: "l4proto", expr.MetaNFTrace: "nftrace"}
var bases = []string{"link", "network", "transport"}
var cmpOps = []string{"eq", "neq", "lt", "lte", "gt", "gte"}

// data prints a register value as libnftnl does: 32-bit words, native.
func data(b []byte) string {
	var s []string
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		s = append(s, fmt.Sprintf("0x%08x", ne.Uint32(w[:])))
	}
	return strings.Join(s, " ")
}

func exprText(e expr.Any) string {
	switch e := e.(type) {
	case *expr.Meta:
		if e.SetReg {
			return fmt.Sprintf("meta set %s with reg %d", metaKeys[e.Key], e.Reg)
		}
		return fmt.Sprintf("meta load %s => reg %d", metaKeys[e.Key], e.Reg)
	case *expr.Payload:
		return fmt.Sprintf("payload load %db @ %s header + %d => reg %d", e.Len, bases[e.Base], e.Offset, e.DReg)
	case *expr.Cmp:
		return fmt.Sprintf("cmp %s reg %d %s", cmpOps[e.Op], e.SReg, data(e.Data))
	case *expr.Bitwise:
		return fmt.Sprintf("bitwise reg %d = ( reg %d & %s ) ^ %s", e.DReg, e.SReg, data(e.Mask), data(e.Xor))
	case *expr.Range:
		return fmt.Sprintf("range %s reg %d %s %s", cmpOps[e.Op], e.SReg, data(e.From), data(e.To))
	case *expr.Counter:
		return fmt.Sprintf("counter pkts %d bytes %d", e.Packets, e.Bytes)
	case *expr.Verdict:
		switch e.Code {
		case expr.VerdictAccept:
			return "immediate reg 0 accept"
		case expr.VerdictDrop:
			return "immediate reg 0 drop"
		case expr.VerdictReturn:
			return "immediate reg 0 return"
		case expr.VerdictJump:
			return "immediate reg 0 jump -> " + e.Chain
		case expr.VerdictGoto:
			return "immediate reg 0 goto -> " + e.Chain
		}
	case *expr.Immediate:
		return fmt.Sprintf("immediate reg %d %s", e.DReg, data(e.Data))
	case *expr.Match:
		return fmt.Sprintf("match name %s rev %d", e.ExtName, e.Rev)
	case *expr.Target:
		return fmt.Sprintf("target name %s rev %d", e.ExtName, e.Rev)
	case *expr.Limit:
		return fmt.Sprintf("limit rate %d/%d burst %d type %d flags 0x%x", e.Rate, e.Unit, e.Burst, e.Type, e.Flags)
	case *expr.Log:
		return fmt.Sprintf("log prefix %q group %d", e.Prefix, e.Group)
	}
	return e.Name()
}
