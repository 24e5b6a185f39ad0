// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"testing"

	"github.com/goipt/goipt/pkg/parse"
)

// TestParseConstantsMatchHeaders: pkg/parse is pure Go and carries the
// header's flag values itself; they must be the kernel headers' values.
func TestParseConstantsMatchHeaders(t *testing.T) {
	for _, c := range []struct {
		name       string
		parse, hdr int
	}{
		{"IPT_INV_VIA_IN", parse.InvViaIn, invViaIn},
		{"IPT_INV_VIA_OUT", parse.InvViaOut, invViaOut},
		{"IPT_INV_SRCIP", parse.InvSrcIP, invSrcIP},
		{"IPT_INV_DSTIP", parse.InvDstIP, invDstIP},
		{"IPT_INV_FRAG", parse.InvFrag, invFrag},
		{"XT_INV_PROTO", parse.InvProto, invProto},
		{"IPT_F_FRAG", parse.FlagFrag, ipv4FlagFrag},
		{"IPT_F_GOTO", parse.FlagGoto4, ipv4FlagGoto},
		{"IP6T_F_PROTO", parse.FlagProto6, ipv6FlagProto},
		{"IP6T_F_GOTO", parse.FlagGoto6, ipv6FlagGoto},
	} {
		if c.parse != c.hdr {
			t.Errorf("%s: pkg/parse has %#x, the header %#x", c.name, c.parse, c.hdr)
		}
	}
}
