/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A small C layer over libxtables. Every entry point traps xtables_error
 * with setjmp, so a bad option returns -1 with the message in gx_errmsg
 * instead of exiting the process; the longjmp never leaves this file. */
#ifndef GOIPT_XT_SHIM_H
#define GOIPT_XT_SHIM_H
#include <stddef.h>
#include <stdint.h>

extern char gx_errmsg[4096];
extern int gx_errstatus;

int gx_init(void);
void gx_use_nft(int on);
int gx_nft_compatible_revision(const char *name, uint8_t rev, int opt);
const void *gx_target_udata(size_t *len);
int gx_set_family(int nfproto, const char *program);
void gx_leave(void);
extern __thread int gx_in_run;
extern int gx_adopted, gx_run_active;
unsigned long gx_port_answered(void);
void gx_port_lookups(const char *service, int *fast, int *libc);
int gx_lookup_port(const char *node, const char *service);
void *gx_fw(void);
size_t gx_fw_size(void);
int gx_rule_reset(void);
int gx_load_match(const char *name, int tryload, void **out, int *clone);
int gx_load_target(const char *name, void **out);
int gx_std_target(const char *name, int is_chain);
int gx_require_target(const char *name);
int gx_find_target(const char *name, int *found);
int gx_parse_opt(void *ext, int is_target, int id, const char *arg, int invert,
		 int argc, char **argv, int *optind);
int gx_final_check(void);
int gx_build(unsigned char **blob, unsigned char **mask, size_t *len);
int gx_print_exts(const void *entry, const char *targname, int is_chain,
		  int numeric, char **out, size_t *outlen);
int gx_save_matches(const void *entry, char **out, size_t *outlen);
int gx_save_target(const void *entry, const char *targname, int gotoflag,
		   char **out, size_t *outlen);
struct gx_save_item {
	const void *entry;
	const char *targname;
	int gotoflag, with_matches, is_chain, no_target;
	size_t mend, tend; /* out */
};
int gx_print_batch(struct gx_save_item *items, int n, int numeric,
		   char **out, size_t *outlen, int *done);
int gx_save_batch(struct gx_save_item *items, int n, char **out,
		  size_t *outlen, int *done, int *failed);
int gx_save_exts(const void *entry, const char *targname, int gotoflag,
		 int with_matches, char **out, size_t *outlen, size_t *split,
		 int *failed);
int gx_help(void *ext, int is_target, char **out, size_t *outlen);
int gx_proto_name(int proto, int nolookup, char *buf, size_t n);
const char *gx_proto_entry(int i, int *num);
void gx_addr_string(int nfproto, const unsigned char *addr, const unsigned char *mask,
		    int numeric, char *buf, size_t n);
void gx_save_addr(int nfproto, char letter, const unsigned char *addr,
		  const unsigned char *mask, int invert, char *buf, size_t n);
int gx_parse_protocol(const char *s, int *proto);

/* The family-neutral part of an entry, for Go to fill and read. */
struct gx_hdr {
	unsigned char src[16], smsk[16], dst[16], dmsk[16];
	char iniface[16], outiface[16];
	unsigned char inmask[16], outmask[16];
	uint16_t proto;
	uint8_t tos, flags, invflags;
	uint64_t pcnt, bcnt;
	uint32_t target_offset, next_offset;
};
void gx_set_header(const struct gx_hdr *h);
extern struct gx_hdr gx_hdr_next;
extern int gx_hdr_pending;
const char *gx_entry_target_name(int nfproto, const void *entry);

struct gx_opt { const char *name; int has_arg; int id; int invert; };
int gx_ext_options(void *ext, int is_target, struct gx_opt *out, int max);
const char *gx_ext_name(void *ext, int is_target);
int gx_ext_revision(void *ext, int is_target);
int gx_ext_offset(void *ext, int is_target);
int gx_ext_has_parse(void *ext, int is_target);
int gx_ipparse(const char *spec, unsigned char **addrs, unsigned char **masks,
	       unsigned int *n);
int gx_list_plugins(char **out, size_t *outlen);
#endif
