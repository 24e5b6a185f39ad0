/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One set of calls over libip4tc and libip6tc, chosen by family. */
#ifndef GOIPT_IPTC_SHIM_H
#define GOIPT_IPTC_SHIM_H
#include <stdint.h>

struct xtc_handle;

struct xtc_handle *gi_init(int fam, const char *table);
void gi_free(int fam, struct xtc_handle *h);
int gi_commit(int fam, struct xtc_handle *h, int *replaced);
const char *gi_strerror(int fam, int err);
const char *gi_first_chain(int fam, struct xtc_handle *h);
const char *gi_next_chain(int fam, struct xtc_handle *h);
int gi_is_chain(int fam, const char *chain, struct xtc_handle *h);
int gi_builtin(int fam, const char *chain, struct xtc_handle *h);
const char *gi_get_policy(int fam, const char *chain, uint64_t *pcnt, uint64_t *bcnt,
			  struct xtc_handle *h);
int gi_get_references(int fam, unsigned int *refs, const char *chain, struct xtc_handle *h);
const void *gi_first_rule(int fam, const char *chain, struct xtc_handle *h);
const void *gi_next_rule(int fam, const void *prev, struct xtc_handle *h);
const char *gi_get_target(int fam, const void *e, struct xtc_handle *h);
unsigned int gi_entry_size(int fam, const void *e);
struct gi_rule { const void *entry; unsigned int size; const char *target; };
int gi_chain_rules(int fam, const char *chain, struct xtc_handle *h, struct gi_rule **out);
int gi_insert(int fam, const char *chain, const void *e, unsigned int num, struct xtc_handle *h);
int gi_replace(int fam, const char *chain, const void *e, unsigned int num, struct xtc_handle *h);
int gi_append(int fam, const char *chain, const void *e, struct xtc_handle *h);
int gi_check(int fam, const char *chain, const void *e, unsigned char *mask, struct xtc_handle *h);
int gi_delete(int fam, const char *chain, const void *e, unsigned char *mask, struct xtc_handle *h);
int gi_delete_num(int fam, const char *chain, unsigned int num, struct xtc_handle *h);
int gi_flush(int fam, const char *chain, struct xtc_handle *h);
int gi_zero(int fam, const char *chain, struct xtc_handle *h);
int gi_create_chain(int fam, const char *chain, struct xtc_handle *h);
int gi_delete_chain(int fam, const char *chain, struct xtc_handle *h);
int gi_rename_chain(int fam, const char *old, const char *new_name, struct xtc_handle *h);
int gi_set_policy(int fam, const char *chain, const char *policy, int with_counters,
		  uint64_t pcnt, uint64_t bcnt, struct xtc_handle *h);
int gi_read_counter(int fam, const char *chain, unsigned int num, uint64_t *pcnt,
		    uint64_t *bcnt, struct xtc_handle *h);
int gi_zero_counter(int fam, const char *chain, unsigned int num, struct xtc_handle *h);
int gi_set_counter(int fam, const char *chain, unsigned int num, uint64_t pcnt,
		   uint64_t bcnt, struct xtc_handle *h);
#include <stddef.h>
int gi_dump_entries(int fam, struct xtc_handle *h, char **out, size_t *len);
int gi_table_info(int fam, const char *table);
#endif
