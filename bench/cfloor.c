/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cfloor: the C floor of goipt's library benchmarks. It does through
 * libiptc alone what the Go benchmarks (bench/lib/lib_bench_test.go) do through
 * pkg/iptc, on the ruleset bench/ruleset generated and loaded in the
 * current network namespace, and prints one JSON line per operation with
 * the median and every repetition, in milliseconds:
 *
 *   append1000  iptc_init, 1,000 iptc_append_entry of a tcp rule to the
 *               empty chain bench-lib, iptc_commit (then, untimed, flush)
 *   list        iptc_init, walk every rule of every chain with its target
 *   check       iptc_init, iptc_check_entry of rule 3 of the middle chain
 *   delete      iptc_init, iptc_delete_entry of that rule, iptc_commit (then,
 *               untimed, put it back)
 *
 * usage: cfloor CHAINS REPS     (CHAINS: the ruleset's user chain count)
 * build: gcc -O2 -o cfloor cfloor.c $(pkg-config --cflags --libs libip4tc)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libiptc/libiptc.h>
#include <linux/netfilter/xt_tcpudp.h>

#define ALIGNED(n) XT_ALIGN(n)

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die(const char *what)
{
	fprintf(stderr, "cfloor: %s: %s\n", what, iptc_strerror(errno));
	exit(1);
}

/* entry builds "-s SRC/SMASK -d DST/32 -p PROTO -m PROTO --dport PORT -j ACCEPT"
 * with the tcp or udp match, as iptables does. */
static struct ipt_entry *entry(int proto, uint32_t src, int slen, uint32_t dst,
			       int dlen, int port, size_t *size)
{
	size_t msize = ALIGNED(sizeof(struct xt_entry_match)) +
		       (proto == IPPROTO_TCP ? ALIGNED(sizeof(struct xt_tcp)) : ALIGNED(sizeof(struct xt_udp)));
	size_t tsize = ALIGNED(sizeof(struct xt_standard_target));
	size_t n = ALIGNED(sizeof(struct ipt_entry)) + msize + tsize;
	struct ipt_entry *e = calloc(1, n);
	e->ip.src.s_addr = htonl(src);
	e->ip.smsk.s_addr = slen ? htonl(~0u << (32 - slen)) : 0;
	e->ip.dst.s_addr = htonl(dst);
	e->ip.dmsk.s_addr = dlen ? htonl(~0u << (32 - dlen)) : 0;
	e->ip.proto = proto;
	e->target_offset = ALIGNED(sizeof(struct ipt_entry)) + msize;
	e->next_offset = n;
	struct xt_entry_match *m = (void *)e->elems;
	m->u.match_size = msize;
	if (proto == IPPROTO_TCP) {
		strcpy(m->u.user.name, "tcp");
		struct xt_tcp *t = (void *)m->data;
		t->spts[1] = 0xffff;
		t->dpts[0] = t->dpts[1] = port;
	} else {
		strcpy(m->u.user.name, "udp");
		struct xt_udp *u = (void *)m->data;
		u->spts[1] = 0xffff;
		u->dpts[0] = u->dpts[1] = port;
	}
	struct xt_standard_target *t = (void *)((char *)e + e->target_offset);
	t->target.u.target_size = tsize;
	/* as iptables hands it to libiptc, which maps the name to a verdict */
	strcpy(t->target.u.user.name, "ACCEPT");
	*size = n;
	return e;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void report(const char *op, double *ms, int reps)
{
	double s[reps];
	memcpy(s, ms, sizeof(s));
	qsort(s, reps, sizeof(double), cmp);
	double med = reps % 2 ? s[reps / 2] : (s[reps / 2 - 1] + s[reps / 2]) / 2;
	printf("{\"op\": \"%s\", \"median_ms\": %.3f, \"ms\": [", op, med);
	for (int i = 0; i < reps; i++)
		printf("%s%.3f", i ? ", " : "", ms[i]);
	printf("]}\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: cfloor CHAINS REPS\n");
		return 2;
	}
	int chains = atoi(argv[1]), reps = atoi(argv[2]);
	double ms[reps];
	xt_chainlabel mid, lib = "bench-lib";
	/* bench/ruleset: chain svc-%05d; its rule 3 (index 2) of chain c is
	 * "-s 172.16.B.0/24 -d 192.168.A.2/32 -p udp -m udp --dport P -j ACCEPT" */
	int c = chains / 2;
	snprintf(mid, sizeof(mid), "svc-%05d", c);
	size_t csize;
	struct ipt_entry *ce = entry(IPPROTO_UDP, (172u << 24) | (16u << 16) | ((c & 255) << 8), 24,
				     (192u << 24) | (168u << 16) | (((c >> 8) & 255) << 8) | 2, 32,
				     1024 + (c * 100 + 2) % 60000, &csize);
	unsigned char *mask = malloc(csize);
	memset(mask, 0xff, csize);

	/* 1,000 tcp rules, built before the clock starts (as the Go benchmark
	 * builds its Rule values before). */
	struct ipt_entry *add[1000];
	size_t asize;
	for (int j = 0; j < 1000; j++)
		add[j] = entry(IPPROTO_TCP, (10u << 24) | (9u << 16) | ((j / 256) << 8) | (j % 256), 32,
			       0, 0, 2000 + j, &asize);

	for (int r = 0; r < reps; r++) {
		double t0 = now_ms();
		struct xtc_handle *h = iptc_init("filter");
		if (!h)
			die("init");
		for (int j = 0; j < 1000; j++)
			if (!iptc_append_entry(lib, add[j], h))
				die("append");
		if (!iptc_commit(h))
			die("commit");
		ms[r] = now_ms() - t0;
		iptc_free(h);
		h = iptc_init("filter");
		if (!h || !iptc_flush_entries(lib, h) || !iptc_commit(h))
			die("flush");
		iptc_free(h);
	}
	report("append1000", ms, reps);

	long rules = 0;
	for (int r = 0; r < reps; r++) {
		double t0 = now_ms();
		struct xtc_handle *h = iptc_init("filter");
		if (!h)
			die("init");
		rules = 0;
		for (const char *ch = iptc_first_chain(h); ch; ch = iptc_next_chain(h))
			for (const struct ipt_entry *e = iptc_first_rule(ch, h); e; e = iptc_next_rule(e, h)) {
				const char *t = iptc_get_target(e, h);
				rules += t != NULL;
			}
		iptc_free(h);
		ms[r] = now_ms() - t0;
	}
	report("list", ms, reps);
	fprintf(stderr, "cfloor: listed %ld rules\n", rules);

	for (int r = 0; r < reps; r++) {
		double t0 = now_ms();
		struct xtc_handle *h = iptc_init("filter");
		if (!h)
			die("init");
		if (!iptc_check_entry(mid, ce, mask, h))
			die("check");
		iptc_free(h);
		ms[r] = now_ms() - t0;
	}
	report("check", ms, reps);

	for (int r = 0; r < reps; r++) {
		double t0 = now_ms();
		struct xtc_handle *h = iptc_init("filter");
		if (!h)
			die("init");
		if (!iptc_delete_entry(mid, ce, mask, h))
			die("delete");
		if (!iptc_commit(h))
			die("commit");
		ms[r] = now_ms() - t0;
		iptc_free(h);
		h = iptc_init("filter");
		if (!h || !iptc_insert_entry(mid, ce, 2, h) || !iptc_commit(h))
			die("re-insert");
		iptc_free(h);
	}
	report("delete", ms, reps);
	return 0;
}
