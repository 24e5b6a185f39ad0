// SPDX-License-Identifier: GPL-2.0-or-later

// The C side of pkg/nft: libnftnl turns the record stream of
// pkg/nft/expr/wire.go into netlink messages and netlink messages back
// into records. It keeps no pointer past a call and never calls Go.

#ifndef GOIPT_NFTNL_SHIM_H
#define GOIPT_NFTNL_SHIM_H

#include <stddef.h>
#include <stdint.h>

// Object kinds (the id of a TagObject record).
enum gn_kind {
	GN_TABLE = 1,
	GN_CHAIN = 2,
	GN_RULE = 3,
	GN_GEN = 4,
	GN_BATCH_BEGIN = 5,
	GN_BATCH_END = 6,
	GN_ERROR = 7,  // decode only: an NLMSG_ERROR (attr 0: errno, 0 for an ack)
	GN_DONE = 8,   // decode only: NLMSG_DONE
	GN_OTHER = 9,  // decode only: a message of no kind above
};

// gn_encode builds the messages of the whole objects in in[0:n] at
// out+*olen, up to cap bytes. It returns how many bytes of in it used
// (less than n when out is full: call again with more room), or -1 with
// errno set.
long gn_encode(const uint8_t *in, size_t n, char *out, size_t cap, size_t *olen);

// gn_decode parses the netlink messages in in[0:n] into records at
// out+*olen, up to cap bytes. It returns how many bytes of in it used
// (whole messages), or -1 with errno set.
long gn_decode(const char *in, size_t n, uint8_t *out, size_t cap, size_t *olen);

// gn_compat_get builds at buf iptables-nft's revision query to nft_compat
// (nft_compatible_revision): NFNL_MSG_COMPAT_GET with NLM_F_ACK, the
// extension's name, revision and type (0 match, 1 target). It returns the
// message's length.
size_t gn_compat_get(char *buf, const char *name, uint32_t rev, uint32_t type,
		     uint8_t family, uint32_t seq);

#endif
