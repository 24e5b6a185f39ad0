// SPDX-License-Identifier: GPL-2.0-or-later

package ext

/*
#include <stddef.h>
#include <net/if.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>

// Field offsets of the entries and of their match and target blobs.
enum {
	gx_v4_src = offsetof(struct ipt_entry, ip.src),
	gx_v4_dst = offsetof(struct ipt_entry, ip.dst),
	gx_v4_smsk = offsetof(struct ipt_entry, ip.smsk),
	gx_v4_dmsk = offsetof(struct ipt_entry, ip.dmsk),
	gx_v4_iniface = offsetof(struct ipt_entry, ip.iniface),
	gx_v4_outiface = offsetof(struct ipt_entry, ip.outiface),
	gx_v4_inmask = offsetof(struct ipt_entry, ip.iniface_mask),
	gx_v4_outmask = offsetof(struct ipt_entry, ip.outiface_mask),
	gx_v4_proto = offsetof(struct ipt_entry, ip.proto),
	gx_v4_flags = offsetof(struct ipt_entry, ip.flags),
	gx_v4_invflags = offsetof(struct ipt_entry, ip.invflags),
	gx_v4_nfcache = offsetof(struct ipt_entry, nfcache),
	gx_v4_target_offset = offsetof(struct ipt_entry, target_offset),
	gx_v4_next_offset = offsetof(struct ipt_entry, next_offset),
	gx_v4_comefrom = offsetof(struct ipt_entry, comefrom),
	gx_v4_pcnt = offsetof(struct ipt_entry, counters.pcnt),
	gx_v4_bcnt = offsetof(struct ipt_entry, counters.bcnt),
	gx_v6_src = offsetof(struct ip6t_entry, ipv6.src),
	gx_v6_dst = offsetof(struct ip6t_entry, ipv6.dst),
	gx_v6_smsk = offsetof(struct ip6t_entry, ipv6.smsk),
	gx_v6_dmsk = offsetof(struct ip6t_entry, ipv6.dmsk),
	gx_v6_iniface = offsetof(struct ip6t_entry, ipv6.iniface),
	gx_v6_outiface = offsetof(struct ip6t_entry, ipv6.outiface),
	gx_v6_inmask = offsetof(struct ip6t_entry, ipv6.iniface_mask),
	gx_v6_outmask = offsetof(struct ip6t_entry, ipv6.outiface_mask),
	gx_v6_proto = offsetof(struct ip6t_entry, ipv6.proto),
	gx_v6_tos = offsetof(struct ip6t_entry, ipv6.tos),
	gx_v6_flags = offsetof(struct ip6t_entry, ipv6.flags),
	gx_v6_invflags = offsetof(struct ip6t_entry, ipv6.invflags),
	gx_v6_nfcache = offsetof(struct ip6t_entry, nfcache),
	gx_v6_target_offset = offsetof(struct ip6t_entry, target_offset),
	gx_v6_next_offset = offsetof(struct ip6t_entry, next_offset),
	gx_v6_comefrom = offsetof(struct ip6t_entry, comefrom),
	gx_v6_pcnt = offsetof(struct ip6t_entry, counters.pcnt),
	gx_v6_bcnt = offsetof(struct ip6t_entry, counters.bcnt),

	gx_ext_size_off = offsetof(struct xt_entry_match, u.user.match_size),
	gx_ext_name_off = offsetof(struct xt_entry_match, u.user.name),
	gx_ext_rev_off = offsetof(struct xt_entry_match, u.user.revision),
	gx_ext_header_size = XT_ALIGN(sizeof(struct xt_entry_match)),
	gx_verdict_off = offsetof(struct xt_standard_target, verdict),
	gx_xt_alignment = XT_ALIGN(1),
};
*/
import "C"

// EntryLayout is where the fields of struct ipt_entry (ip6t_entry) are:
// the one copy of the entry layout, from the kernel headers. Offsets are
// from the start of the entry; TOS is -1 where the family has none.
type EntryLayout struct {
	Size                               int
	Src, Dst, SrcMask, DstMask         int
	InIface, OutIface, InMask, OutMask int
	Proto, TOS, Flags, InvFlags        int
	NFCache, TargetOffset, NextOffset  int
	ComeFrom, Packets, Bytes           int
}

// Layout is fam's entry layout.
func Layout(fam Family) *EntryLayout {
	if fam == IPv6 {
		return &layouts[1]
	}
	return &layouts[0]
}

var layouts = [2]EntryLayout{
	{
		Size: C.sizeof_struct_ipt_entry,
		Src:  C.gx_v4_src, Dst: C.gx_v4_dst, SrcMask: C.gx_v4_smsk, DstMask: C.gx_v4_dmsk,
		InIface: C.gx_v4_iniface, OutIface: C.gx_v4_outiface,
		InMask: C.gx_v4_inmask, OutMask: C.gx_v4_outmask,
		Proto: C.gx_v4_proto, TOS: -1, Flags: C.gx_v4_flags, InvFlags: C.gx_v4_invflags,
		NFCache: C.gx_v4_nfcache, TargetOffset: C.gx_v4_target_offset, NextOffset: C.gx_v4_next_offset,
		ComeFrom: C.gx_v4_comefrom, Packets: C.gx_v4_pcnt, Bytes: C.gx_v4_bcnt,
	},
	{
		Size: C.sizeof_struct_ip6t_entry,
		Src:  C.gx_v6_src, Dst: C.gx_v6_dst, SrcMask: C.gx_v6_smsk, DstMask: C.gx_v6_dmsk,
		InIface: C.gx_v6_iniface, OutIface: C.gx_v6_outiface,
		InMask: C.gx_v6_inmask, OutMask: C.gx_v6_outmask,
		Proto: C.gx_v6_proto, TOS: C.gx_v6_tos, Flags: C.gx_v6_flags, InvFlags: C.gx_v6_invflags,
		NFCache: C.gx_v6_nfcache, TargetOffset: C.gx_v6_target_offset, NextOffset: C.gx_v6_next_offset,
		ComeFrom: C.gx_v6_comefrom, Packets: C.gx_v6_pcnt, Bytes: C.gx_v6_bcnt,
	},
}

// The match and target blobs (struct xt_entry_match, xt_entry_target and
// xt_standard_target share their header).
const (
	ExtSizeOff    = C.gx_ext_size_off // u16 size of the blob, header included
	ExtNameOff    = C.gx_ext_name_off
	ExtNameMaxLen = C.XT_EXTENSION_MAXNAMELEN // the name's field, NUL included
	ExtRevOff     = C.gx_ext_rev_off
	ExtHeaderSize = C.gx_ext_header_size
	VerdictOff    = C.gx_verdict_off // the standard target's int verdict
	IfNameSize    = C.IFNAMSIZ
)

// Bits of the entry header's flags and invflags.
const (
	InvViaIn  = C.IPT_INV_VIA_IN
	InvViaOut = C.IPT_INV_VIA_OUT
	InvSrcIP  = C.IPT_INV_SRCIP
	InvDstIP  = C.IPT_INV_DSTIP
	InvFrag   = C.IPT_INV_FRAG
	InvProto  = C.XT_INV_PROTO

	FlagFrag4  = C.IPT_F_FRAG
	FlagGoto4  = C.IPT_F_GOTO
	FlagProto6 = C.IP6T_F_PROTO
	FlagGoto6  = C.IP6T_F_GOTO
)

// GotoFlag is the family's flag of a rule that jumps with -g.
func GotoFlag(fam Family) uint8 {
	if fam == IPv6 {
		return FlagGoto6
	}
	return FlagGoto4
}

// EntrySize is the size of the fixed entry header of the family.
func EntrySize(fam Family) int { return Layout(fam).Size }

// Align is XT_ALIGN: n rounded up to the alignment of match and target
// blobs.
func Align(n int) int { return (n + xtAlignment - 1) &^ (xtAlignment - 1) }

const xtAlignment = C.gx_xt_alignment
