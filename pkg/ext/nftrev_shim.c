// SPDX-License-Identifier: GPL-2.0-or-later
/* Extension revisions as iptables-nft asks for them: nf_tables' nft_compat
 * (nft_compatible_revision in iptables 1.8.9's nft.c), over a netlink
 * socket of its own, instead of ip_tables' getsockopt. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables_compat.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>
#include "xt_shim.h"

static void put_attr(char *buf, uint32_t *len, uint16_t type, const void *data, uint16_t n)
{
	struct nlattr *a = (struct nlattr *)(buf + *len);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + n;
	memcpy(buf + *len + NLA_HDRLEN, data, n);
	*len += NLA_ALIGN(a->nla_len);
}

/* talk sends the query and reads the kernel's answer: 0, or -1 with errno
 * (mnl_socket_* and mnl_cb_run's reading of it). */
static int talk(char *buf, uint32_t len, uint32_t seq)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	int fd, ret = -1;
	ssize_t n;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	if (fd < 0)
		return -2;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    sendto(fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		goto out;
	n = recv(fd, buf, 8192, 0);
	if (n < 0)
		goto out;
	ret = 0;
	for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
		if (h->nlmsg_seq != seq || h->nlmsg_type != NLMSG_ERROR)
			continue;
		struct nlmsgerr *e = NLMSG_DATA(h);
		if (e->error) {
			errno = -e->error;
			ret = -1;
		}
		break;
	}
out:
	{
		int saved = errno;
		close(fd);
		errno = saved;
	}
	return ret;
}

int gx_nft_compatible_revision(const char *name, uint8_t rev, int opt)
{
	char buf[8192] __attribute__((aligned(4)));
	uint32_t pf = AF_INET, type = 0, seq = time(NULL), v, len;
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nfgenmsg *nfg;
	int ret;

	switch (opt) {
	case IPT_SO_GET_REVISION_MATCH:
		break;
	case IP6T_SO_GET_REVISION_MATCH:
		pf = AF_INET6;
		break;
	case IPT_SO_GET_REVISION_TARGET:
		type = 1;
		break;
	case IP6T_SO_GET_REVISION_TARGET:
		type = 1;
		pf = AF_INET6;
		break;
	default:
		return 1;
	}
	memset(buf, 0, NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*nfg)));
	nlh->nlmsg_type = (NFNL_SUBSYS_NFT_COMPAT << 8) | NFNL_MSG_COMPAT_GET;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	nfg = (struct nfgenmsg *)(buf + NLMSG_HDRLEN);
	nfg->nfgen_family = pf;
	nfg->version = NFNETLINK_V0;
	len = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*nfg));
	put_attr(buf, &len, NFTA_COMPAT_NAME, name, strlen(name) + 1);
	v = htonl(rev);
	put_attr(buf, &len, NFTA_COMPAT_REV, &v, sizeof(v));
	v = htonl(type);
	put_attr(buf, &len, NFTA_COMPAT_TYPE, &v, sizeof(v));
	nlh->nlmsg_len = len;

	ret = talk(buf, len, seq);
	if (ret == -2) /* no socket: iptables-nft returns 0 at once */
		return 0;
	/* ignore EPERM and errors for revision 0, as iptables-nft does */
	if (ret < 0) {
		if (errno == EPERM)
			return 1;
		if (rev == 0) {
			fprintf(stderr,
				"Warning: Extension %s revision 0 not supported, missing kernel module?\n",
				name);
			return 1;
		}
	}
	return ret < 0 ? 0 : 1;
}
