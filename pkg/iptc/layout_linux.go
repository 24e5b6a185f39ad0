// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

/*
#include <stddef.h>
#include <net/if.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>

// The places in an entry the decoder reads, from the kernel's headers.
enum {
	gi_ext_name_off = offsetof(struct xt_entry_match, u.user.name),
	gi_ext_rev_off = offsetof(struct xt_entry_match, u.user.revision),
	gi_ext_header_size = XT_ALIGN(sizeof(struct xt_entry_match)),
	gi_v4_target_off = offsetof(struct ipt_entry, target_offset),
	gi_v6_target_off = offsetof(struct ip6t_entry, target_offset),
};
*/
import "C"

// Layout of entries and of their match and target blobs (the same header
// for both), as the kernel headers define it.
const (
	extNameMaxLen  = C.XT_EXTENSION_MAXNAMELEN
	extNameOff     = C.gi_ext_name_off
	extRevisionOff = C.gi_ext_rev_off
	extHeaderSize  = C.gi_ext_header_size
	ipv4TargetOffs = C.gi_v4_target_off
	ipv6TargetOffs = C.gi_v6_target_off
)

// Bits of the entry header.
const (
	invViaIn  = C.IPT_INV_VIA_IN
	invViaOut = C.IPT_INV_VIA_OUT
	invSrcIP  = C.IPT_INV_SRCIP
	invDstIP  = C.IPT_INV_DSTIP
	invFrag   = C.IPT_INV_FRAG
	invProto  = C.XT_INV_PROTO

	ipv4FlagFrag  = C.IPT_F_FRAG
	ipv4FlagGoto  = C.IPT_F_GOTO
	ipv6FlagProto = C.IP6T_F_PROTO
	ipv6FlagGoto  = C.IP6T_F_GOTO

	ifNameSize = C.IFNAMSIZ
)
