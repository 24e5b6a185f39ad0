// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "xt_shim.h"

/*
 * libxtables reads every port of an option typed XTTYPE_PORT/PORTRC (udp,
 * conntrack, dccp, TPROXY, ...) with getaddrinfo(NULL, port, NULL, ...),
 * numbers included. For a number, glibc still asks netlink which address
 * families are configured and connects a UDP socket to ::1 and 127.0.0.1
 * to sort two loopback answers whose port is the number itself: some 30
 * us and six system calls for every port of every rule (a tenth of
 * iptables-legacy-restore's time on a ruleset with udp rules).
 *
 * This getaddrinfo takes the place of libc's (the executable's definition
 * comes first in symbol lookup) and answers that one question directly
 * for the thread inside ext.Run (for any thread during a Run, in a program
 * that adopted libxtables): no node, no hints, a service of one to
 * five decimal digits up to 65535, the strings glibc reads as that number
 * (strtoul, base 10). libxtables takes the port of the first IPv4 or IPv6
 * answer; the one answer here has it. The answer is laid out as glibc's
 * (the address in the same allocation, no canonical name), so libc's
 * freeaddrinfo frees it. Everything else goes to libc's getaddrinfo.
 */

__thread int gx_in_run;
/* For a process that adopted libxtables (ext.Adopt: one goroutine, not
 * locked to a thread), whether a Run is on, whichever thread it is on. */
int gx_adopted, gx_run_active;
static unsigned long gx_port_answers; /* answered here, for the tests */

unsigned long gx_port_answered(void)
{
	return __atomic_load_n(&gx_port_answers, __ATOMIC_RELAXED);
}

typedef int (*getaddrinfo_fn)(const char *, const char *,
			      const struct addrinfo *, struct addrinfo **);

static getaddrinfo_fn libc_getaddrinfo(void)
{
	static getaddrinfo_fn fn;
	getaddrinfo_fn f = __atomic_load_n(&fn, __ATOMIC_ACQUIRE);

	if (f == NULL) {
		f = (getaddrinfo_fn)dlsym(RTLD_NEXT, "getaddrinfo");
		__atomic_store_n(&fn, f, __ATOMIC_RELEASE);
	}
	return f;
}

/* The port a service string of 1-5 digits names, or -1. */
static int numeric_port(const char *s)
{
	int v = 0, n;

	for (n = 0; s[n] != '\0'; n++) {
		if (n == 5 || s[n] < '0' || s[n] > '9')
			return -1;
		v = v * 10 + (s[n] - '0');
	}
	return n == 0 || v > 65535 ? -1 : v;
}

static int numeric_answer(int port, struct addrinfo **res)
{
	struct answer {
		struct addrinfo ai;
		struct sockaddr_in sin;
	} *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return EAI_MEMORY;
	a->sin.sin_family = AF_INET;
	a->sin.sin_port = htons(port);
	a->sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a->ai.ai_family = AF_INET;
	a->ai.ai_socktype = SOCK_STREAM;
	a->ai.ai_protocol = IPPROTO_TCP;
	a->ai.ai_addrlen = sizeof(a->sin);
	a->ai.ai_addr = (struct sockaddr *)&a->sin;
	*res = &a->ai;
	return 0;
}

int getaddrinfo(const char *node, const char *service,
		const struct addrinfo *hints, struct addrinfo **res)
{
	int port;

	if ((gx_in_run || (gx_adopted && gx_run_active)) &&
	    node == NULL && hints == NULL && service != NULL &&
	    (port = numeric_port(service)) >= 0) {
		__atomic_add_fetch(&gx_port_answers, 1, __ATOMIC_RELAXED);
		return numeric_answer(port, res);
	}
	return libc_getaddrinfo()(node, service, hints, res);
}

/* The port of the first IPv4/IPv6 answer, as xtables_getportbyname reads
 * it, or -1. */
static int first_port(struct addrinfo *res)
{
	struct addrinfo *p;

	for (p = res; p != NULL; p = p->ai_next) {
		if (p->ai_family == AF_INET6)
			return ntohs(((struct sockaddr_in6 *)p->ai_addr)->sin6_port);
		if (p->ai_family == AF_INET)
			return ntohs(((struct sockaddr_in *)p->ai_addr)->sin_port);
	}
	return -1;
}

/* For the tests: the port libxtables would get for service from libc and
 * from the fast path (-1: no answer; -2: the fast path does not apply). */
void gx_port_lookups(const char *service, int *fast, int *libc)
{
	struct addrinfo *res = NULL;
	int port = numeric_port(service);

	*fast = -2;
	if (port >= 0 && numeric_answer(port, &res) == 0) {
		*fast = first_port(res);
		freeaddrinfo(res);
	}
	res = NULL;
	*libc = libc_getaddrinfo()(NULL, service, NULL, &res) == 0 ? first_port(res) : -1;
	if (res != NULL)
		freeaddrinfo(res);
}

/* For the tests: the port of the first answer getaddrinfo (this file's,
 * the one every caller in the process gets) gives for node and service
 * with no hints, or -1. */
int gx_lookup_port(const char *node, const char *service)
{
	struct addrinfo *res = NULL;
	int port;

	if (getaddrinfo(node, service, NULL, &res) != 0)
		return -1;
	port = first_port(res);
	freeaddrinfo(res);
	return port;
}
