// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <netinet/in.h>
#include <libiptc/libiptc.h>
#include <libiptc/libip6tc.h>
#include <stdlib.h>
#include "iptc_shim.h"

#define V6 (fam == 10)

struct xtc_handle *gi_init(int fam, const char *table)
{
	return V6 ? ip6tc_init(table) : iptc_init(table);
}

void gi_free(int fam, struct xtc_handle *h)
{
	if (V6)
		ip6tc_free(h);
	else
		iptc_free(h);
}

/* Set on the calling thread when the kernel took a table replacement. */
static __thread int gi_replaced;

/*
 * Whether a SO_SET_ADD_COUNTERS request adds nothing: libiptc sends one
 * after every replacement, all zeros when the table had no counters to
 * carry over (a restore, a fresh netns), and the kernel then walks every
 * rule of the new table under its lock to add them (7-10 ms at 50,000
 * rules). Adding zeros changes nothing, so such a request is not sent.
 */
static int zero_counters(const void *optval, socklen_t optlen)
{
	const struct xt_counters_info *info = optval;
	const unsigned char *p, *end;

	if (optval == NULL || optlen < sizeof(*info) ||
	    optlen != sizeof(*info) + (size_t)info->num_counters * sizeof(struct xt_counters))
		return 0; /* malformed: let the kernel say so */
	p = (const unsigned char *)info->counters;
	end = p + (size_t)info->num_counters * sizeof(struct xt_counters);
	for (; p < end; p++)
		if (*p != 0)
			return 0;
	return 1;
}

/*
 * libiptc's commit replaces the kernel's table (SO_SET_REPLACE), then adds
 * the counters of the old rules back (SO_SET_ADD_COUNTERS), and fails the
 * same way whichever of the two the kernel refuses. The second one fails
 * (EINVAL) when another writer replaced the table in between: the changes
 * are in then, and must not be reported as not made. This setsockopt takes
 * the place of libc's for libiptc (the executable's definition comes first
 * in symbol lookup) and records whether a replacement went in; it is
 * otherwise libc's.
 */
int setsockopt(int fd, int level, int optname, const void *optval, socklen_t optlen)
{
	long ret;

	if (((level == IPPROTO_IP && optname == IPT_SO_SET_ADD_COUNTERS) ||
	     (level == IPPROTO_IPV6 && optname == IP6T_SO_SET_ADD_COUNTERS)) &&
	    zero_counters(optval, optlen))
		return 0;
	ret = syscall(SYS_setsockopt, fd, level, optname, optval, optlen);

	if (ret == 0 &&
	    ((level == IPPROTO_IP && optname == IPT_SO_SET_REPLACE) ||
	     (level == IPPROTO_IPV6 && optname == IP6T_SO_SET_REPLACE)))
		gi_replaced = 1;
	return (int)ret;
}

int gi_commit(int fam, struct xtc_handle *h, int *replaced)
{
	int rc, err;

	gi_replaced = 0;
	rc = V6 ? ip6tc_commit(h) : iptc_commit(h);
	err = errno;
	*replaced = gi_replaced;
	errno = err;
	return rc;
}

const char *gi_strerror(int fam, int err)
{
	return V6 ? ip6tc_strerror(err) : iptc_strerror(err);
}

const char *gi_first_chain(int fam, struct xtc_handle *h)
{
	return V6 ? ip6tc_first_chain(h) : iptc_first_chain(h);
}

const char *gi_next_chain(int fam, struct xtc_handle *h)
{
	return V6 ? ip6tc_next_chain(h) : iptc_next_chain(h);
}

int gi_is_chain(int fam, const char *chain, struct xtc_handle *h)
{
	return V6 ? ip6tc_is_chain(chain, h) : iptc_is_chain(chain, h);
}

int gi_builtin(int fam, const char *chain, struct xtc_handle *h)
{
	return V6 ? ip6tc_builtin(chain, h) : iptc_builtin(chain, h);
}

const char *gi_get_policy(int fam, const char *chain, uint64_t *pcnt, uint64_t *bcnt,
			  struct xtc_handle *h)
{
	struct xt_counters c = {0, 0};
	const char *p = V6 ? ip6tc_get_policy(chain, &c, h) : iptc_get_policy(chain, &c, h);

	*pcnt = c.pcnt;
	*bcnt = c.bcnt;
	return p;
}

int gi_get_references(int fam, unsigned int *refs, const char *chain, struct xtc_handle *h)
{
	return V6 ? ip6tc_get_references(refs, chain, h) : iptc_get_references(refs, chain, h);
}

const void *gi_first_rule(int fam, const char *chain, struct xtc_handle *h)
{
	return V6 ? (const void *)ip6tc_first_rule(chain, h) : (const void *)iptc_first_rule(chain, h);
}

const void *gi_next_rule(int fam, const void *prev, struct xtc_handle *h)
{
	return V6 ? (const void *)ip6tc_next_rule(prev, h) : (const void *)iptc_next_rule(prev, h);
}

const char *gi_get_target(int fam, const void *e, struct xtc_handle *h)
{
	return V6 ? ip6tc_get_target(e, h) : iptc_get_target(e, h);
}

unsigned int gi_entry_size(int fam, const void *e)
{
	return V6 ? ((const struct ip6t_entry *)e)->next_offset
		  : ((const struct ipt_entry *)e)->next_offset;
}

int gi_insert(int fam, const char *chain, const void *e, unsigned int num, struct xtc_handle *h)
{
	return V6 ? ip6tc_insert_entry(chain, e, num, h) : iptc_insert_entry(chain, e, num, h);
}

int gi_replace(int fam, const char *chain, const void *e, unsigned int num, struct xtc_handle *h)
{
	return V6 ? ip6tc_replace_entry(chain, e, num, h) : iptc_replace_entry(chain, e, num, h);
}

int gi_append(int fam, const char *chain, const void *e, struct xtc_handle *h)
{
	return V6 ? ip6tc_append_entry(chain, e, h) : iptc_append_entry(chain, e, h);
}

int gi_check(int fam, const char *chain, const void *e, unsigned char *mask, struct xtc_handle *h)
{
	return V6 ? ip6tc_check_entry(chain, e, mask, h) : iptc_check_entry(chain, e, mask, h);
}

int gi_delete(int fam, const char *chain, const void *e, unsigned char *mask, struct xtc_handle *h)
{
	return V6 ? ip6tc_delete_entry(chain, e, mask, h) : iptc_delete_entry(chain, e, mask, h);
}

int gi_delete_num(int fam, const char *chain, unsigned int num, struct xtc_handle *h)
{
	return V6 ? ip6tc_delete_num_entry(chain, num, h) : iptc_delete_num_entry(chain, num, h);
}

int gi_flush(int fam, const char *chain, struct xtc_handle *h)
{
	return V6 ? ip6tc_flush_entries(chain, h) : iptc_flush_entries(chain, h);
}

int gi_zero(int fam, const char *chain, struct xtc_handle *h)
{
	return V6 ? ip6tc_zero_entries(chain, h) : iptc_zero_entries(chain, h);
}

int gi_create_chain(int fam, const char *chain, struct xtc_handle *h)
{
	return V6 ? ip6tc_create_chain(chain, h) : iptc_create_chain(chain, h);
}

int gi_delete_chain(int fam, const char *chain, struct xtc_handle *h)
{
	return V6 ? ip6tc_delete_chain(chain, h) : iptc_delete_chain(chain, h);
}

int gi_rename_chain(int fam, const char *old, const char *new_name, struct xtc_handle *h)
{
	return V6 ? ip6tc_rename_chain(old, new_name, h) : iptc_rename_chain(old, new_name, h);
}

int gi_set_policy(int fam, const char *chain, const char *policy, int with_counters,
		  uint64_t pcnt, uint64_t bcnt, struct xtc_handle *h)
{
	struct xt_counters c = {pcnt, bcnt};
	struct xt_counters *cp = with_counters ? &c : NULL;

	return V6 ? ip6tc_set_policy(chain, policy, cp, h) : iptc_set_policy(chain, policy, cp, h);
}

int gi_read_counter(int fam, const char *chain, unsigned int num, uint64_t *pcnt,
		    uint64_t *bcnt, struct xtc_handle *h)
{
	struct xt_counters *c = V6 ? ip6tc_read_counter(chain, num, h) : iptc_read_counter(chain, num, h);

	if (!c)
		return 0;
	*pcnt = c->pcnt;
	*bcnt = c->bcnt;
	return 1;
}

int gi_zero_counter(int fam, const char *chain, unsigned int num, struct xtc_handle *h)
{
	return V6 ? ip6tc_zero_counter(chain, num, h) : iptc_zero_counter(chain, num, h);
}

int gi_set_counter(int fam, const char *chain, unsigned int num, uint64_t pcnt,
		   uint64_t bcnt, struct xtc_handle *h)
{
	struct xt_counters c = {pcnt, bcnt};

	return V6 ? ip6tc_set_counter(chain, num, &c, h) : iptc_set_counter(chain, num, &c, h);
}

/* Every rule of chain at once: its entry, size and target name (libiptc's
 * memory, valid until the handle changes). *out is malloc'd; the count is
 * returned, -1 when there is no such chain. */
int gi_chain_rules(int fam, const char *chain, struct xtc_handle *h, struct gi_rule **out)
{
	struct gi_rule *r = NULL;
	int n = 0, cap = 0;
	const void *e;

	*out = NULL;
	if (!gi_is_chain(fam, chain, h))
		return -1;
	for (e = gi_first_rule(fam, chain, h); e; e = gi_next_rule(fam, e, h)) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			r = realloc(r, cap * sizeof(*r));
			if (!r)
				return -1;
		}
		r[n].entry = e;
		r[n].size = gi_entry_size(fam, e);
		r[n].target = gi_get_target(fam, e, h);
		n++;
	}
	*out = r;
	return n;
}

/* libiptc's dump of the whole handle (iptables -vv), captured. */
int gi_dump_entries(int fam, struct xtc_handle *h, char **out, size_t *len)
{
	FILE *saved, *f;

	fflush(stdout);
	*out = NULL;
	*len = 0;
	f = open_memstream(out, len);
	if (!f)
		return 0;
	saved = stdout;
	stdout = f;
	if (V6)
		dump_entries6(h);
	else
		dump_entries(h);
	fflush(stdout);
	stdout = saved;
	fclose(f);
	return 1;
}

/* Asks the kernel for the table's summary (IPT_SO_GET_INFO), as iptc_init
 * does first: it loads the table's module on demand and fails as iptc_init
 * would for a table that does not exist, without reading the rules. */
int gi_table_info(int fam, const char *table)
{
	int fd, rc, saved;

	fd = socket(V6 ? AF_INET6 : AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (fd < 0)
		return -1;
	if (V6) {
		struct ip6t_getinfo info;
		socklen_t n = sizeof(info);

		memset(&info, 0, sizeof(info));
		strncpy(info.name, table, sizeof(info.name) - 1);
		rc = getsockopt(fd, IPPROTO_IPV6, IP6T_SO_GET_INFO, &info, &n);
	} else {
		struct ipt_getinfo info;
		socklen_t n = sizeof(info);

		memset(&info, 0, sizeof(info));
		strncpy(info.name, table, sizeof(info.name) - 1);
		rc = getsockopt(fd, IPPROTO_IP, IPT_SO_GET_INFO, &info, &n);
	}
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}
