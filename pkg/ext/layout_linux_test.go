// SPDX-License-Identifier: GPL-2.0-or-later

package ext

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
		{"IPT_INV_VIA_IN", parse.InvViaIn, InvViaIn},
		{"IPT_INV_VIA_OUT", parse.InvViaOut, InvViaOut},
		{"IPT_INV_SRCIP", parse.InvSrcIP, InvSrcIP},
		{"IPT_INV_DSTIP", parse.InvDstIP, InvDstIP},
		{"IPT_INV_FRAG", parse.InvFrag, InvFrag},
		{"XT_INV_PROTO", parse.InvProto, InvProto},
		{"IPT_F_FRAG", parse.FlagFrag, FlagFrag4},
		{"IPT_F_GOTO", parse.FlagGoto4, FlagGoto4},
		{"IP6T_F_PROTO", parse.FlagProto6, FlagProto6},
		{"IP6T_F_GOTO", parse.FlagGoto6, FlagGoto6},
	} {
		if c.parse != c.hdr {
			t.Errorf("%s: pkg/parse has %#x, the header %#x", c.name, c.parse, c.hdr)
		}
	}
}
