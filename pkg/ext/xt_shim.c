// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <arpa/inet.h>
#include <xtables.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>
#include "xt_shim.h"

/* Where libxtables looks for plugins: XTABLES_LIBDIR, else the directory
 * the library was built with (passed in by cgo from pkg-config). */
#ifndef GOIPT_XTLIBDIR
#define GOIPT_XTLIBDIR "/usr/lib/x86_64-linux-gnu/xtables"
#endif
#define XT_OPTION_OFFSET_SCALE 256

static const char *plugin_dir(void)
{
	const char *d = getenv("XTABLES_LIBDIR");

	return d && *d ? d : GOIPT_XTLIBDIR;
}

#ifndef GOIPT_VERSION
#define GOIPT_VERSION "1.8.11"
#endif

char gx_errmsg[4096];
int gx_errstatus;

static jmp_buf gx_jmp;
static FILE *gx_saved_stdout; /* non-NULL while stdout is captured */

static void gx_exit_err(enum xtables_exittype status, const char *msg, ...)
	__attribute__((noreturn, format(printf, 2, 3)));

static void gx_exit_err(enum xtables_exittype status, const char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	vsnprintf(gx_errmsg, sizeof(gx_errmsg), msg, ap);
	va_end(ap);
	gx_errstatus = status;
	longjmp(gx_jmp, 1);
}

/* libxtables wants a non-empty option table to merge into; goipt parses the
 * command line itself, so this only has to exist. */
static struct option gx_orig_opts[] = {
	{.name = "goipt-unused", .has_arg = 0, .val = 0x7fff},
	{NULL},
};

static struct xtables_globals gx_globals = {
	.option_offset = 0,
	.program_name = "iptables",
	.program_version = GOIPT_VERSION " (legacy)",
	.orig_opts = gx_orig_opts,
	.exit_err = gx_exit_err,
	.compat_rev = xtables_compatible_revision,
};

static int gx_family = NFPROTO_IPV4;
static union {
	struct ipt_entry v4;
	struct ip6t_entry v6;
} gx_entry;
static struct xtables_rule_match *gx_matches;
static struct xtables_target *gx_target;
static unsigned int gx_next_offset;

/* Output of extensions is captured in one memory stream, kept open and
 * rewound for every capture; the caller reads *buf (*len bytes) before the
 * next capture and does not free it. */
static FILE *cap_f;
static char *cap_buf;
static size_t cap_len;
static char **cap_out;
static size_t *cap_outlen;

static void cap_restore(void)
{
	fflush(cap_f);
	stdout = gx_saved_stdout;
	gx_saved_stdout = NULL;
	*cap_out = cap_buf;
	*cap_outlen = cap_len;
}

/* Runs the statement with xtables_error trapped. */
#define GX_TRY                                                         \
	if (setjmp(gx_jmp)) {                                          \
		if (gx_saved_stdout)                                   \
			cap_restore();                                 \
		return -1;                                             \
	}

static void cap_begin(char **buf, size_t *len)
{
	fflush(stdout);
	if (cap_f == NULL)
		cap_f = open_memstream(&cap_buf, &cap_len);
	else
		fseeko(cap_f, 0, SEEK_SET);
	cap_out = buf;
	cap_outlen = len;
	*buf = NULL;
	*len = 0;
	gx_saved_stdout = stdout;
	stdout = cap_f;
}

static void cap_end(void)
{
	cap_restore();
}

int gx_init(void)
{
	GX_TRY;
	if (xtables_init_all(&gx_globals, NFPROTO_IPV4) < 0) {
		snprintf(gx_errmsg, sizeof(gx_errmsg), "failed to initialize xtables");
		gx_errstatus = OTHER_PROBLEM;
		return -1;
	}
	return 0;
}

int gx_set_family(int nfproto, const char *program)
{
	GX_TRY;
	gx_in_run = 1;
	gx_run_active = 1;
	gx_globals.program_name = program;
	if (nfproto != gx_family) {
		xtables_set_nfproto(nfproto);
		gx_family = nfproto;
	}
	return 0;
}

/* Where libxtables learns which extension revisions the kernel has, and
 * the variant it names: ip_tables (iptables-legacy) or nf_tables'
 * nft_compat (iptables-nft: xtables_globals.compat_rev =
 * nft_compatible_revision, program_version "... (nf_tables)"). */
void gx_use_nft(int on)
{
	gx_globals.compat_rev = on ? gx_nft_compatible_revision : xtables_compatible_revision;
	gx_globals.program_version = on ? GOIPT_VERSION " (nf_tables)" : GOIPT_VERSION " (legacy)";
}

/* The user data of the rule's target (libxtables' udata: NFLOG keeps its
 * whole --nflog-prefix there), NULL if none. */
const void *gx_target_udata(size_t *len)
{
	if (!gx_target || !gx_target->udata) {
		*len = 0;
		return NULL;
	}
	*len = gx_target->udata_size;
	return gx_target->udata;
}

/* The end of an ext.Run on this thread (see port_shim.c). */
void gx_leave(void) { gx_in_run = 0; gx_run_active = 0; }

static void apply_header(void);

void *gx_fw(void)
{
	apply_header();
	return &gx_entry;
}

size_t gx_fw_size(void)
{
	return gx_family == NFPROTO_IPV6 ? sizeof(struct ip6t_entry)
					 : sizeof(struct ipt_entry);
}

/* A plugin holding targets of several families registers only those of the
 * family that was current when it was first loaded; run its constructor
 * again so that the other family's targets register too. */
static int rerun_plugin_init(const char *name)
{
	const char *prefixes[] = {"libxt_",
		gx_family == NFPROTO_IPV6 ? "libip6t_" : "libipt_", NULL};
	static char done[256][64];
	static int ndone;
	char path[512], sym[128], key[64];
	int i, ran = 0;

	for (i = 0; prefixes[i]; i++) {
		void *h;
		void (*init)(void);
		int j, seen = 0;

		snprintf(key, sizeof(key), "%d%s%s", gx_family, prefixes[i], name);
		for (j = 0; j < ndone; j++)
			if (!strcmp(done[j], key))
				seen = 1;
		if (seen)
			continue;
		snprintf(path, sizeof(path), "%s/%s%s.so",
			 plugin_dir(), prefixes[i], name);
		h = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
		if (!h)
			continue;
		if (ndone < 256)
			strcpy(done[ndone++], key);
		snprintf(sym, sizeof(sym), "%s%s_init", prefixes[i], name);
		init = (void (*)(void))dlsym(h, sym);
		if (!init) {
			/* A plugin of several targets under one file, reached
			 * through symlinks (libxt_DNAT.so -> libxt_NAT.so):
			 * its constructor is named after the file. */
			char real[PATH_MAX], *base, *dot;

			if (realpath(path, real) && (base = strrchr(real, '/')) &&
			    (dot = strstr(base, ".so"))) {
				*dot = 0;
				snprintf(sym, sizeof(sym), "%s_init", base + 1);
				init = (void (*)(void))dlsym(h, sym);
			}
		}
		if (init) {
			init();
			ran = 1;
		}
		dlclose(h);
	}
	return ran;
}

/*
 * libxtables' registration, made safe to call again: a plugin's constructor
 * registers its targets of the current family only (the others are dropped)
 * and exits the process when a target is registered twice. To use the
 * other family's targets of a plugin loaded already, rerun_plugin_init runs
 * the constructor again, and this definition, which takes the place of
 * libxtables' own for the plugins, lets each target through once only, in
 * its family. (Once only: libxtables drops the revisions it does not
 * prefer, and one of those registered again would take the preferred one's
 * place.)
 */
void xtables_register_target(struct xtables_target *me)
{
	static void (*real)(struct xtables_target *);
	static const struct xtables_target *done[1024];
	static int ndone;
	int i;

	if (me->family != gx_family && me->family != NFPROTO_UNSPEC)
		return;
	for (i = 0; i < ndone; i++)
		if (done[i] == me)
			return;
	if (ndone < 1024)
		done[ndone++] = me;
	if (!real)
		real = (void (*)(struct xtables_target *))dlsym(RTLD_NEXT, "xtables_register_target");
	real(me);
}

/* Target names found so far, with the families they were found in: only
 * a plugin already loaded for the other family needs its constructor run
 * again, and chain names must not cost a file lookup. */
static struct { char name[XT_EXTENSION_MAXNAMELEN]; int fams; } gx_seen[512];
static int gx_nseen;

static int seen_bit(void) { return gx_family == NFPROTO_IPV6 ? 2 : 1; }

static void note_target(const char *name)
{
	int i;

	for (i = 0; i < gx_nseen; i++)
		if (!strcmp(gx_seen[i].name, name)) {
			gx_seen[i].fams |= seen_bit();
			return;
		}
	if (gx_nseen < 512 && strlen(name) < XT_EXTENSION_MAXNAMELEN) {
		strcpy(gx_seen[gx_nseen].name, name);
		gx_seen[gx_nseen++].fams = seen_bit();
	}
}

static int seen_elsewhere(const char *name)
{
	int i;

	for (i = 0; i < gx_nseen; i++)
		if (!strcmp(gx_seen[i].name, name))
			return (gx_seen[i].fams & ~seen_bit()) != 0;
	return 0;
}

static struct xtables_target *find_target(const char *name,
					  enum xtables_tryload tryload)
{
	struct xtables_target *t;

	/* Before the lookup: a lookup that fails puts the name on libxtables'
	 * list of names that are no target, for good. */
	if (tryload != XTF_DONT_LOAD && seen_elsewhere(name))
		rerun_plugin_init(name);
	t = xtables_find_target(name, tryload == XTF_LOAD_MUST_SUCCEED ?
				XTF_TRY_LOAD : tryload);
	if (t)
		note_target(name);
	if (!t && tryload == XTF_LOAD_MUST_SUCCEED)
		t = xtables_find_target(name, XTF_LOAD_MUST_SUCCEED);
	return t;
}

static void free_target(void)
{
	if (!gx_target)
		return;
	free(gx_target->t);
	gx_target->t = NULL;
	free(gx_target->udata);
	gx_target->udata = NULL;
	if (gx_target == gx_target->next)
		free(gx_target);
	gx_target = NULL;
}

/* The header ext.SetHeader wrote for the rule being built: the next call
 * that reads the entry copies it in first (SetHeader itself then needs no
 * call into C). */
struct gx_hdr gx_hdr_next;
int gx_hdr_pending;

static void apply_header(void)
{
	if (gx_hdr_pending) {
		gx_hdr_pending = 0;
		gx_set_header(&gx_hdr_next);
	}
}

int gx_rule_reset(void)
{
	struct xtables_match *m;
	struct xtables_target *t;

	GX_TRY;
	gx_hdr_pending = 0;
	xtables_rule_matches_free(&gx_matches);
	free_target();
	for (m = xtables_matches; m; m = m->next)
		m->mflags = 0;
	for (t = xtables_targets; t; t = t->next) {
		t->tflags = 0;
		t->used = 0;
	}
	memset(&gx_entry, 0, sizeof(gx_entry));
	gx_next_offset = 0;
	return 0;
}

static unsigned int new_offset(void)
{
	gx_next_offset += XT_OPTION_OFFSET_SCALE;
	return gx_next_offset;
}

int gx_load_match(const char *name, int tryload, void **out, int *clone)
{
	struct xtables_match *m;
	size_t size;

	GX_TRY;
	*out = NULL;
	m = xtables_find_match(name, tryload, &gx_matches);
	if (!m)
		return 0;
	size = XT_ALIGN(sizeof(struct xt_entry_match)) + m->size;
	m->m = xtables_calloc(1, size);
	m->m->u.match_size = size;
	if (m->real_name == NULL) {
		strcpy(m->m->u.user.name, m->name);
	} else {
		strcpy(m->m->u.user.name, m->real_name);
		if (!(m->ext_flags & XTABLES_EXT_ALIAS))
			fprintf(stderr, "Notice: the %s match is converted into %s match "
				"in rule listing and saving.\n", m->name, m->real_name);
	}
	m->m->u.user.revision = m->revision;
	if (m->udata_size != 0) {
		free(m->udata);
		m->udata = xtables_calloc(1, m->udata_size);
	}
	if (m->init != NULL)
		m->init(m->m);
	*clone = (m == m->next);
	if (!*clone)
		m->option_offset = new_offset();
	*out = m;
	return 0;
}

static void init_target(const char *user_name)
{
	size_t size = XT_ALIGN(sizeof(struct xt_entry_target)) + gx_target->size;

	gx_target->t = xtables_calloc(1, size);
	gx_target->t->u.target_size = size;
	strcpy(gx_target->t->u.user.name, user_name);
	gx_target->t->u.user.revision = gx_target->revision;
	if (gx_target->udata_size != 0) {
		free(gx_target->udata);
		gx_target->udata = xtables_calloc(1, gx_target->udata_size);
	}
	if (gx_target->init != NULL)
		gx_target->init(gx_target->t);
	gx_target->option_offset = new_offset();
}

int gx_load_target(const char *name, void **out)
{
	struct xtables_target *t;

	GX_TRY;
	*out = NULL;
	free_target();
	t = find_target(name, XTF_TRY_LOAD);
	if (!t)
		return 0;
	gx_target = t;
	if (t->real_name == NULL) {
		init_target(name);
	} else {
		init_target(t->real_name);
		if (!(t->ext_flags & XTABLES_EXT_ALIAS))
			fprintf(stderr, "Notice: The %s target is converted into %s target "
				"in rule listing and saving.\n", name, t->real_name);
	}
	*out = t;
	return 0;
}

/* A jump to a user chain or a verdict: the standard target carrying the
 * name, which libiptc resolves. */
int gx_std_target(const char *name, int is_chain)
{
	size_t size;

	GX_TRY;
	free_target();
	gx_target = find_target(XT_STANDARD_TARGET, XTF_LOAD_MUST_SUCCEED);
	size = sizeof(struct xt_entry_target) + gx_target->size;
	gx_target->t = xtables_calloc(1, size);
	gx_target->t->u.target_size = size;
	strcpy(gx_target->t->u.user.name, name);
	if (!is_chain)
		gx_target->t->u.user.revision = gx_target->revision;
	if (gx_target->init != NULL)
		gx_target->init(gx_target->t);
	return 0;
}

int gx_require_target(const char *name)
{
	GX_TRY;
	find_target(name, XTF_LOAD_MUST_SUCCEED);
	return 0;
}

int gx_find_target(const char *name, int *found)
{
	GX_TRY;
	*found = find_target(name, XTF_TRY_LOAD) != NULL;
	return 0;
}

int gx_parse_opt(void *ext, int is_target, int id, const char *arg, int invert,
		 int argc, char **argv, int *oind)
{
	GX_TRY;
	apply_header();
	(void)argc;
	optind = *oind;
	optarg = (char *)arg;
	if (is_target) {
		struct xtables_target *t = ext;

		xtables_option_tpcall(t->option_offset + id, argv, invert, t, &gx_entry);
	} else {
		struct xtables_match *m = ext;

		xtables_option_mpcall(m->option_offset + id, argv, invert, m, &gx_entry);
	}
	*oind = optind;
	return 0;
}

int gx_final_check(void)
{
	struct xtables_rule_match *mp;

	GX_TRY;
	apply_header();
	for (mp = gx_matches; mp; mp = mp->next)
		xtables_option_mfcall(mp->match);
	if (gx_target != NULL && gx_target->t != NULL)
		xtables_option_tfcall(gx_target);
	return 0;
}

/* Assembles entry, matches and target as the kernel wants them, and the
 * mask that -D and -C compare with (only each extension's userspacesize). */
/* gx_build's output, kept and grown from rule to rule: the caller copies
 * it before the next gx_build and does not free it. */
static unsigned char *build_blob, *build_mask;
static size_t build_cap;

int gx_build(unsigned char **blob, unsigned char **mask, size_t *len)
{
	size_t hdr = gx_fw_size(), size = hdr, off, total;
	struct xtables_rule_match *mp;
	struct xt_entry_target *t;
	unsigned char *e, *k;

	GX_TRY;
	apply_header();
	if (!gx_target || !gx_target->t) {
		snprintf(gx_errmsg, sizeof(gx_errmsg), "no target");
		gx_errstatus = OTHER_PROBLEM;
		return -1;
	}
	t = gx_target->t;
	for (mp = gx_matches; mp; mp = mp->next)
		size += mp->match->m->u.match_size;
	total = size + t->u.target_size;
	if (total > build_cap) {
		free(build_blob);
		free(build_mask);
		build_cap = total < 4096 ? 4096 : 2 * total;
		build_blob = xtables_malloc(build_cap);
		build_mask = xtables_malloc(build_cap);
	}
	e = build_blob;
	k = build_mask;
	memset(e, 0, total);
	memset(k, 0, total);
	memcpy(e, &gx_entry, hdr);
	memset(k, 0xFF, hdr);
	if (gx_family == NFPROTO_IPV6) {
		((struct ip6t_entry *)e)->target_offset = size;
		((struct ip6t_entry *)e)->next_offset = size + t->u.target_size;
	} else {
		((struct ipt_entry *)e)->target_offset = size;
		((struct ipt_entry *)e)->next_offset = size + t->u.target_size;
	}
	off = hdr;
	for (mp = gx_matches; mp; mp = mp->next) {
		memcpy(e + off, mp->match->m, mp->match->m->u.match_size);
		memset(k + off, 0xFF, XT_ALIGN(sizeof(struct xt_entry_match)) +
		       mp->match->userspacesize);
		off += mp->match->m->u.match_size;
	}
	memcpy(e + off, t, t->u.target_size);
	memset(k + off, 0xFF, XT_ALIGN(sizeof(struct xt_entry_target)) +
	       gx_target->userspacesize);
	*blob = e;
	*mask = k;
	*len = size + t->u.target_size;
	return 0;
}

/* Walks the matches of an entry of the current family. */
#define FOR_EACH_MATCH(entry, m, ip)                                            \
	const void *ip;                                                       \
	unsigned int toff_, off_;                                             \
	if (gx_family == NFPROTO_IPV6) {                                     \
		ip = &((const struct ip6t_entry *)(entry))->ipv6;             \
		toff_ = ((const struct ip6t_entry *)(entry))->target_offset;  \
		off_ = sizeof(struct ip6t_entry);                             \
	} else {                                                              \
		ip = &((const struct ipt_entry *)(entry))->ip;                \
		toff_ = ((const struct ipt_entry *)(entry))->target_offset;   \
		off_ = sizeof(struct ipt_entry);                              \
	}                                                                     \
	for (const struct xt_entry_match *m;                                  \
	     off_ < toff_ &&                                                  \
	     (m = (const void *)((const char *)(entry) + off_)) &&            \
	     m->u.match_size >= sizeof(*m);                                   \
	     off_ += m->u.match_size)

static const struct xt_entry_target *entry_target(const void *entry)
{
	if (gx_family == NFPROTO_IPV6)
		return (const void *)((const char *)entry +
			((const struct ip6t_entry *)entry)->target_offset);
	return (const void *)((const char *)entry +
		((const struct ipt_entry *)entry)->target_offset);
}

static const void *entry_ip(const void *entry)
{
	if (gx_family == NFPROTO_IPV6)
		return &((const struct ip6t_entry *)entry)->ipv6;
	return &((const struct ipt_entry *)entry)->ip;
}

/* What -L prints of an entry's matches and target, to stdout. */
static void print_exts(const void *entry, const char *targname, int is_chain,
		       int numeric)
{
	const struct xt_entry_target *t;
	struct xtables_target *target, *tg;

	FOR_EACH_MATCH(entry, m, ip) {
		const char *name = m->u.user.name;
		struct xtables_match *match, *mt;

		match = xtables_find_match(name, XTF_TRY_LOAD, NULL);
		if (match) {
			mt = xtables_find_match_revision(name, XTF_TRY_LOAD,
							 match, m->u.user.revision);
			if (mt && mt->print)
				mt->print(ip, m, numeric);
			else if (match->print)
				printf("%s [unsupported revision] ", match->name);
			else
				printf("%s ", match->name);
			if (match->next == match)
				free(match);
		} else if (name[0]) {
			printf("UNKNOWN match `%s' ", name);
		}
	}
	t = entry_target(entry);
	if (is_chain)
		target = find_target(XT_STANDARD_TARGET, XTF_LOAD_MUST_SUCCEED);
	else
		target = find_target(targname, XTF_TRY_LOAD);
	if (target) {
		tg = xtables_find_target_revision(targname, XTF_TRY_LOAD, target,
						  t->u.user.revision);
		if (tg && tg->print)
			tg->print(entry_ip(entry), t, numeric);
		else if (target->print)
			printf(" %s [unsupported revision]", target->name);
		if (target->next == target)
			free(target);
	} else if (t->u.target_size != sizeof(*t)) {
		printf("[%u bytes of unknown target data] ",
		       (unsigned int)(t->u.target_size - sizeof(*t)));
	}
}

int gx_print_exts(const void *entry, const char *targname, int is_chain,
		  int numeric, char **out, size_t *outlen)
{
	GX_TRY;
	cap_begin(out, outlen);
	print_exts(entry, targname, is_chain, numeric);
	cap_end();
	return 0;
}

/* gx_print_exts for n rules in one capture: rule i's text ends at
 * items[i].tend. On an error *done is the failing rule, and *outlen what
 * was captured up to it. */
int gx_print_batch(struct gx_save_item *items, int n, int numeric,
		   char **out, size_t *outlen, int *done)
{
	GX_TRY;
	cap_begin(out, outlen);
	for (*done = 0; *done < n; ++*done) {
		struct gx_save_item *it = &items[*done];

		print_exts(it->entry, it->targname, it->is_chain, numeric);
		fflush(stdout);
		it->tend = cap_len;
	}
	cap_end();
	return 0;
}

/* The bodies of gx_save_matches and gx_save_target: they print to stdout
 * (captured by the caller) and return -1 with the error set. */
static int save_matches(const void *entry)
{
	FOR_EACH_MATCH(entry, m, ip) {
		const char *name = m->u.user.name;
		struct xtables_match *match, *mt, *mt2;

		match = xtables_find_match(name, XTF_TRY_LOAD, NULL);
		if (match) {
			mt = mt2 = xtables_find_match_revision(name, XTF_TRY_LOAD,
							       match, m->u.user.revision);
			if (!mt2)
				mt2 = match;
			printf(" -m %s", mt2->alias ? mt2->alias(m) : name);
			if (mt && mt->save)
				mt->save(ip, m);
			else if (match->save)
				printf(" [unsupported revision]");
		} else if (m->u.match_size) {
			snprintf(gx_errmsg, sizeof(gx_errmsg),
				 "Can't find library for match `%s'", name);
			gx_errstatus = OTHER_PROBLEM;
			return -1;
		}
	}
	return 0;
}

static int save_target(const void *entry, const char *targname, int gotoflag)
{
	const struct xt_entry_target *t = entry_target(entry);

	if (t->u.user.name[0]) {
		const char *name = t->u.user.name;
		struct xtables_target *target, *tg, *tg2;

		target = find_target(name, XTF_TRY_LOAD);
		if (!target) {
			snprintf(gx_errmsg, sizeof(gx_errmsg),
				 "Can't find library for target `%s'", name);
			gx_errstatus = OTHER_PROBLEM;
			return -1;
		}
		tg = tg2 = xtables_find_target_revision(name, XTF_TRY_LOAD,
							target, t->u.user.revision);
		if (!tg2)
			tg2 = target;
		printf(" -j %s", tg2->alias ? tg2->alias(t) : targname);
		if (tg && tg->save)
			tg->save(entry_ip(entry), t);
		else if (target->save)
			printf(" [unsupported revision]");
		else if (t->u.target_size != sizeof(struct xt_entry_target)) {
			snprintf(gx_errmsg, sizeof(gx_errmsg),
				 "Target `%s' is missing save function", name);
			gx_errstatus = OTHER_PROBLEM;
			return -1;
		}
	} else if (targname && *targname) {
		printf(" -%c %s", gotoflag ? 'g' : 'j', targname);
	}
	return 0;
}

int gx_save_matches(const void *entry, char **out, size_t *outlen)
{
	int rc;

	GX_TRY;
	cap_begin(out, outlen);
	rc = save_matches(entry);
	cap_end();
	return rc;
}

int gx_save_target(const void *entry, const char *targname, int gotoflag,
		   char **out, size_t *outlen)
{
	int rc;

	GX_TRY;
	cap_begin(out, outlen);
	rc = save_target(entry, targname, gotoflag);
	cap_end();
	return rc;
}

/* Both, in one capture: the matches (when with_matches) are the first
 * *split bytes, the target the rest. *failed tells which part failed (1
 * the matches: then the target is not saved and everything captured is
 * theirs; 2 the target). */
int gx_save_exts(const void *entry, const char *targname, int gotoflag,
		 int with_matches, char **out, size_t *outlen, size_t *split,
		 int *failed)
{
	GX_TRY;
	cap_begin(out, outlen);
	*split = 0;
	*failed = 1;
	if (with_matches && save_matches(entry) != 0) {
		cap_end();
		return -1;
	}
	fflush(stdout);
	*split = cap_len;
	*failed = 2;
	if (save_target(entry, targname, gotoflag) != 0) {
		cap_end();
		return -1;
	}
	*failed = 0;
	cap_end();
	return 0;
}

/* gx_save_exts for n rules in one capture: rule i's matches end at
 * items[i].mend and its target at items[i].tend (rule i starts where rule
 * i-1 ended; no_target: its matches only, the entry may have no target).
 * On an error *done is the failing rule and *failed says which part
 * failed, as for gx_save_exts; what was captured up to the error is
 * *outlen bytes. */
int gx_save_batch(struct gx_save_item *items, int n, char **out,
		  size_t *outlen, int *done, int *failed)
{
	GX_TRY;
	cap_begin(out, outlen);
	for (*done = 0; *done < n; ++*done) {
		struct gx_save_item *it = &items[*done];

		*failed = 1;
		if (it->with_matches && save_matches(it->entry) != 0) {
			cap_end();
			return -1;
		}
		fflush(stdout);
		it->mend = cap_len;
		*failed = 2;
		if (!it->no_target &&
		    save_target(it->entry, it->targname, it->gotoflag) != 0) {
			cap_end();
			return -1;
		}
		fflush(stdout);
		it->tend = cap_len;
	}
	*failed = 0;
	cap_end();
	return 0;
}

int gx_help(void *ext, int is_target, char **out, size_t *outlen)
{
	GX_TRY;
	cap_begin(out, outlen);
	printf("\n");
	if (is_target) {
		struct xtables_target *t = ext;

		if (t->help == NULL)
			printf("%s does not take any options\n", t->name);
		else
			t->help();
	} else {
		struct xtables_match *m = ext;

		if (m->help == NULL)
			printf("%s does not take any options\n", m->name);
		else
			m->help();
	}
	cap_end();
	return 0;
}

/* The protocol names iptables 1.8.11 prefers, in its order: listing
 * follows 1.8.11 whatever libxtables is installed. */
static const struct { const char *name; int num; } gx_protos[] = {
	{"tcp", 6}, {"sctp", 132}, {"udp", 17}, {"udplite", 136},
	{"icmp", 1}, {"ipv6-icmp", 58}, {"icmpv6", 58}, {"esp", 50},
	{"ah", 51}, {"mobility-header", 135}, {"ipv6-mh", 135}, {"mh", 135},
	{"dccp", 33}, {"ipcomp", 108}, {"all", 0}, {NULL, 0},
};

int gx_proto_name(int proto, int nolookup, char *buf, size_t n)
{
	unsigned int i;

	for (i = 0; gx_protos[i].name != NULL; ++i)
		if (gx_protos[i].num == proto) {
			snprintf(buf, n, "%s", gx_protos[i].name);
			return 1;
		}
	if (proto && !nolookup) {
		struct protoent *pent = getprotobynumber(proto);

		if (pent) {
			snprintf(buf, n, "%s", pent->p_name);
			return 1;
		}
	}
	return 0;
}

/* What -L shows for an address and mask (ipv4_addr_to_string and its
 * IPv6 twin in iptables). */
void gx_addr_string(int nfproto, const unsigned char *addr, const unsigned char *mask,
		    int numeric, char *buf, size_t n)
{
	if (nfproto == NFPROTO_IPV6) {
		const struct in6_addr *a = (const void *)addr, *m = (const void *)mask;

		if (IN6_IS_ADDR_UNSPECIFIED(a) && !numeric) {
			snprintf(buf, n, "anywhere");
			return;
		}
		snprintf(buf, n, "%s%s", numeric ? xtables_ip6addr_to_numeric(a)
				: xtables_ip6addr_to_anyname(a), "");
		snprintf(buf + strlen(buf), n - strlen(buf), "%s",
			 xtables_ip6mask_to_numeric(m));
	} else {
		const struct in_addr *a = (const void *)addr, *m = (const void *)mask;

		if (!m->s_addr && !numeric) {
			snprintf(buf, n, "anywhere");
			return;
		}
		snprintf(buf, n, "%s", numeric ? xtables_ipaddr_to_numeric(a)
				: xtables_ipaddr_to_anyname(a));
		snprintf(buf + strlen(buf), n - strlen(buf), "%s",
			 xtables_ipmask_to_numeric(m));
	}
}

/* What -S shows for an address: " [!] -s addr/len", or nothing. */
void gx_save_addr(int nfproto, char letter, const unsigned char *addr,
		  const unsigned char *mask, int invert, char *buf, size_t n)
{
	char a[INET6_ADDRSTRLEN], m[INET6_ADDRSTRLEN];

	buf[0] = 0;
	if (nfproto == NFPROTO_IPV6) {
		int l = xtables_ip6mask_to_cidr((const void *)mask);

		if (!invert && l == 0)
			return;
		inet_ntop(AF_INET6, addr, a, sizeof(a));
		if (l == -1)
			snprintf(buf, n, "%s -%c %s/%s", invert ? " !" : "", letter, a,
				 inet_ntop(AF_INET6, mask, m, sizeof(m)));
		else
			snprintf(buf, n, "%s -%c %s/%d", invert ? " !" : "", letter, a, l);
	} else {
		uint32_t hm, bits;
		int i;

		if (!((const struct in_addr *)mask)->s_addr && !invert &&
		    !((const struct in_addr *)addr)->s_addr)
			return;
		inet_ntop(AF_INET, addr, a, sizeof(a));
		memcpy(&hm, mask, 4);
		hm = ntohl(hm);
		if (hm == 0xFFFFFFFFU) {
			snprintf(m, sizeof(m), "32");
		} else {
			for (i = 31, bits = 0xFFFFFFFEU; i >= 0 && hm != bits; i--)
				bits <<= 1;
			if (i >= 0)
				snprintf(m, sizeof(m), "%d", i);
			else
				inet_ntop(AF_INET, mask, m, sizeof(m));
		}
		snprintf(buf, n, "%s -%c %s/%s", invert ? " !" : "", letter, a, m);
	}
}

/* xtables_parse_protocol as iptables 1.8.11 does it: a number, then the
 * built-in names, and only then /etc/protocols. */
/* The i-th name of gx_protos and its number; NULL past the end. */
const char *gx_proto_entry(int i, int *num)
{
	if (i < 0 || i >= (int)(sizeof(gx_protos) / sizeof(gx_protos[0])) || gx_protos[i].name == NULL)
		return NULL;
	*num = gx_protos[i].num;
	return gx_protos[i].name;
}

int gx_parse_protocol(const char *str, int *proto)
{
	const struct protoent *pent;
	unsigned int num, i;

	GX_TRY;
	if (xtables_strtoui(str, NULL, &num, 0, UINT8_MAX)) {
		*proto = num;
		return 0;
	}
	for (i = 0; gx_protos[i].name != NULL; ++i)
		if (strcmp(str, gx_protos[i].name) == 0) {
			*proto = gx_protos[i].num;
			return 0;
		}
	pent = getprotobyname(str);
	if (pent != NULL) {
		*proto = pent->p_proto;
		return 0;
	}
	xt_params->exit_err(PARAMETER_PROBLEM,
		"unknown protocol \"%s\" specified", str);
	return -1;
}

int gx_ext_options(void *ext, int is_target, struct gx_opt *out, int max)
{
	const struct xt_option_entry *x6;
	const struct option *old;
	int n = 0;

	if (is_target) {
		x6 = ((struct xtables_target *)ext)->x6_options;
		old = ((struct xtables_target *)ext)->extra_opts;
	} else {
		x6 = ((struct xtables_match *)ext)->x6_options;
		old = ((struct xtables_match *)ext)->extra_opts;
	}
	if (x6) {
		for (; x6->name && n < max; x6++, n++) {
			out[n].name = x6->name;
			out[n].has_arg = x6->type != XTTYPE_NONE;
			out[n].id = x6->id;
			out[n].invert = (x6->flags & XTOPT_INVERT) != 0;
		}
	} else if (old) {
		for (; old->name && n < max; old++, n++) {
			out[n].name = old->name;
			out[n].has_arg = old->has_arg;
			out[n].id = old->val;
			out[n].invert = 1;
		}
	}
	return n;
}

const char *gx_ext_name(void *ext, int is_target)
{
	return is_target ? ((struct xtables_target *)ext)->name
			 : ((struct xtables_match *)ext)->name;
}

int gx_ext_revision(void *ext, int is_target)
{
	return is_target ? ((struct xtables_target *)ext)->revision
			 : ((struct xtables_match *)ext)->revision;
}

/* Lists the plugin files of the extension directory, one name a line. */
int gx_list_plugins(char **out, size_t *outlen)
{
	DIR *d;
	struct dirent *de;

	GX_TRY;
	cap_begin(out, outlen);
	d = opendir(plugin_dir());
	if (d) {
		while ((de = readdir(d)) != NULL)
			printf("%s\n", de->d_name);
		closedir(d);
	}
	cap_end();
	return 0;
}

void gx_set_header(const struct gx_hdr *h)
{
	if (gx_family == NFPROTO_IPV6) {
		struct ip6t_ip6 *ip = &gx_entry.v6.ipv6;

		memcpy(&ip->src, h->src, 16);
		memcpy(&ip->smsk, h->smsk, 16);
		memcpy(&ip->dst, h->dst, 16);
		memcpy(&ip->dmsk, h->dmsk, 16);
		memcpy(ip->iniface, h->iniface, IFNAMSIZ);
		memcpy(ip->outiface, h->outiface, IFNAMSIZ);
		memcpy(ip->iniface_mask, h->inmask, IFNAMSIZ);
		memcpy(ip->outiface_mask, h->outmask, IFNAMSIZ);
		ip->proto = h->proto;
		ip->tos = h->tos;
		ip->flags = h->flags;
		ip->invflags = h->invflags;
		gx_entry.v6.counters.pcnt = h->pcnt;
		gx_entry.v6.counters.bcnt = h->bcnt;
	} else {
		struct ipt_ip *ip = &gx_entry.v4.ip;

		memcpy(&ip->src, h->src, 4);
		memcpy(&ip->smsk, h->smsk, 4);
		memcpy(&ip->dst, h->dst, 4);
		memcpy(&ip->dmsk, h->dmsk, 4);
		memcpy(ip->iniface, h->iniface, IFNAMSIZ);
		memcpy(ip->outiface, h->outiface, IFNAMSIZ);
		memcpy(ip->iniface_mask, h->inmask, IFNAMSIZ);
		memcpy(ip->outiface_mask, h->outmask, IFNAMSIZ);
		ip->proto = h->proto;
		ip->flags = h->flags;
		ip->invflags = h->invflags;
		gx_entry.v4.counters.pcnt = h->pcnt;
		gx_entry.v4.counters.bcnt = h->bcnt;
	}
}

/* The name stored in the entry's target (empty for standard verdicts). */
const char *gx_entry_target_name(int nfproto, const void *entry)
{
	unsigned int off = nfproto == NFPROTO_IPV6 ?
		((const struct ip6t_entry *)entry)->target_offset :
		((const struct ipt_entry *)entry)->target_offset;

	return ((const struct xt_entry_target *)((const char *)entry + off))->u.user.name;
}

int gx_ext_has_parse(void *ext, int is_target)
{
	if (is_target)
		return ((struct xtables_target *)ext)->parse != NULL ||
		       ((struct xtables_target *)ext)->x6_parse != NULL;
	return ((struct xtables_match *)ext)->parse != NULL ||
	       ((struct xtables_match *)ext)->x6_parse != NULL;
}

/* xtables_ipparse_multiple / xtables_ip6parse_multiple: a comma list of
 * host[/mask] (names resolved) into addresses and masks, 16 bytes each. */
int gx_ipparse(const char *spec, unsigned char **addrs, unsigned char **masks,
	       unsigned int *n)
{
	unsigned int i;

	GX_TRY;
	*addrs = *masks = NULL;
	*n = 0;
	if (gx_family == NFPROTO_IPV6) {
		struct in6_addr *a = NULL, *m = NULL;

		xtables_ip6parse_multiple(spec, &a, &m, n);
		*addrs = calloc(*n ? *n : 1, 16);
		*masks = calloc(*n ? *n : 1, 16);
		for (i = 0; i < *n; i++) {
			memcpy(*addrs + 16 * i, &a[i], 16);
			memcpy(*masks + 16 * i, &m[i], 16);
		}
		free(a);
		free(m);
	} else {
		struct in_addr *a = NULL, *m = NULL;

		xtables_ipparse_multiple(spec, &a, &m, n);
		*addrs = calloc(*n ? *n : 1, 16);
		*masks = calloc(*n ? *n : 1, 16);
		for (i = 0; i < *n; i++) {
			memcpy(*addrs + 16 * i, &a[i], 4);
			memcpy(*masks + 16 * i, &m[i], 4);
		}
		free(a);
		free(m);
	}
	return 0;
}

