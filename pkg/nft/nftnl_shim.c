// SPDX-License-Identifier: GPL-2.0-or-later

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_tables_compat.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <libnftnl/table.h>
#include <libnftnl/chain.h>
#include <libnftnl/rule.h>
#include <libnftnl/expr.h>
#include <libnftnl/gen.h>

#include "nftnl_shim.h"

enum { TAG_OBJECT = 1, TAG_ATTR = 2, TAG_EXPR = 3, TAG_END = 4 };

// rec is a record's header, followed by its value.
struct rec {
	uint16_t tag, id;
	uint32_t len;
	uint8_t val[];
};

struct objhdr {
	uint16_t type, family, flags, pad;
	uint32_t seq;
};

static size_t recsize(const struct rec *r) { return 8 + ((r->len + 3) & ~3u); }

// obj is the libnftnl object being built.
struct obj {
	int kind;
	struct objhdr h;
	struct nftnl_table *t;
	struct nftnl_chain *c;
	struct nftnl_rule *r;
	struct nftnl_expr *e;
	int e_owns_info; // e is a match or target: libnftnl keeps its info
	uint32_t genid;
	int has_genid;
};

static void obj_free(struct obj *o)
{
	if (o->e)
		nftnl_expr_free(o->e);
	if (o->t)
		nftnl_table_free(o->t);
	if (o->c)
		nftnl_chain_free(o->c);
	if (o->r)
		nftnl_rule_free(o->r);
	memset(o, 0, sizeof(*o));
}

static int obj_start(struct obj *o, const struct rec *r)
{
	memset(o, 0, sizeof(*o));
	o->kind = r->id;
	memcpy(&o->h, r->val, sizeof(o->h));
	switch (o->kind) {
	case GN_TABLE:
		o->t = nftnl_table_alloc();
		return o->t ? 0 : -1;
	case GN_CHAIN:
		o->c = nftnl_chain_alloc();
		return o->c ? 0 : -1;
	case GN_RULE:
		o->r = nftnl_rule_alloc();
		return o->r ? 0 : -1;
	case GN_GEN:
	case GN_BATCH_BEGIN:
	case GN_BATCH_END:
		return 0;
	}
	errno = EINVAL;
	return -1;
}

static int obj_attr(struct obj *o, const struct rec *r)
{
	if (o->e && o->e_owns_info && r->id == NFTNL_EXPR_MT_INFO) {
		// libnftnl takes the info's pointer (and frees it): a copy.
		void *info = calloc(1, r->len ? r->len : 1);

		if (!info)
			return -1;
		memcpy(info, r->val, r->len);
		return nftnl_expr_set(o->e, r->id, info, r->len);
	}
	if (o->e)
		return nftnl_expr_set(o->e, r->id, r->val, r->len);
	switch (o->kind) {
	case GN_TABLE:
		return nftnl_table_set_data(o->t, r->id, r->val, r->len);
	case GN_CHAIN:
		return nftnl_chain_set_data(o->c, r->id, r->val, r->len);
	case GN_RULE:
		return nftnl_rule_set_data(o->r, r->id, r->val, r->len);
	case GN_BATCH_BEGIN:
		memcpy(&o->genid, r->val, sizeof(o->genid));
		o->has_genid = 1;
		return 0;
	}
	errno = EINVAL;
	return -1;
}

static int obj_expr(struct obj *o, const struct rec *r)
{
	if (!o->r) {
		errno = EINVAL;
		return -1;
	}
	if (o->e)
		nftnl_rule_add_expr(o->r, o->e);
	o->e = nftnl_expr_alloc((const char *)r->val);
	o->e_owns_info = !strcmp((const char *)r->val, "match") ||
			 !strcmp((const char *)r->val, "target");
	return o->e ? 0 : -1;
}

// obj_build writes o's message at buf and returns its length.
static size_t obj_build(struct obj *o, char *buf)
{
	struct nlmsghdr *nlh;

	if (o->e) {
		nftnl_rule_add_expr(o->r, o->e);
		o->e = NULL;
	}
	switch (o->kind) {
	case GN_BATCH_BEGIN:
		nlh = nftnl_batch_begin(buf, o->h.seq);
		if (o->has_genid)
			mnl_attr_put_u32(nlh, NFTA_GEN_ID, htonl(o->genid));
		return nlh->nlmsg_len;
	case GN_BATCH_END:
		return nftnl_batch_end(buf, o->h.seq)->nlmsg_len;
	}
	nlh = nftnl_nlmsg_build_hdr(buf, o->h.type, o->h.family, o->h.flags, o->h.seq);
	switch (o->kind) {
	case GN_TABLE:
		nftnl_table_nlmsg_build_payload(nlh, o->t);
		break;
	case GN_CHAIN:
		nftnl_chain_nlmsg_build_payload(nlh, o->c);
		break;
	case GN_RULE:
		nftnl_rule_nlmsg_build_payload(nlh, o->r);
		break;
	}
	return nlh->nlmsg_len;
}

// objlen is the length of the object's records starting at in, 0 if
// incomplete.
static size_t objlen(const uint8_t *in, size_t n)
{
	size_t off = 0;

	while (off + 8 <= n) {
		const struct rec *r = (const void *)(in + off);

		off += recsize(r);
		if (off > n)
			return 0;
		if (r->tag == TAG_END)
			return off;
	}
	return 0;
}

long gn_encode(const uint8_t *in, size_t n, char *out, size_t cap, size_t *olen)
{
	size_t off = 0, ol;
	struct obj o = {0};

	while (off < n) {
		size_t end = objlen(in + off, n - off);

		if (end == 0) {
			errno = EINVAL;
			return -1;
		}
		// A message is at most twice its records, plus headers.
		if (cap - *olen < 2 * end + 512)
			break;
		for (size_t p = off; p < off + end;) {
			const struct rec *r = (const void *)(in + p);
			int rc = 0;

			switch (r->tag) {
			case TAG_OBJECT:
				rc = obj_start(&o, r);
				break;
			case TAG_ATTR:
				rc = obj_attr(&o, r);
				break;
			case TAG_EXPR:
				rc = obj_expr(&o, r);
				break;
			case TAG_END:
				ol = obj_build(&o, out + *olen);
				*olen += MNL_ALIGN(ol);
				break;
			}
			if (rc < 0) {
				obj_free(&o);
				return -1;
			}
			p += recsize(r);
		}
		obj_free(&o);
		off += end;
	}
	return off;
}

// Decoding.

struct out {
	uint8_t *b;
	size_t len, cap;
};

static uint8_t *put(struct out *w, uint16_t tag, uint16_t id, const void *v, uint32_t n)
{
	struct rec *r = (void *)(w->b + w->len);
	size_t pad = (4 - (n & 3)) & 3;

	r->tag = tag;
	r->id = id;
	r->len = n;
	if (n)
		memcpy(r->val, v, n);
	memset(r->val + n, 0, pad);
	w->len += 8 + n + pad;
	return r->val;
}

static void put_obj(struct out *w, int kind, const struct nlmsghdr *nlh)
{
	struct objhdr h = {
		.type = nlh->nlmsg_type & 0xff,
		.flags = nlh->nlmsg_flags,
		.seq = nlh->nlmsg_seq,
	};

	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(struct nfgenmsg) &&
	    nlh->nlmsg_type >= NLMSG_MIN_TYPE)
		h.family = ((const struct nfgenmsg *)NLMSG_DATA(nlh))->nfgen_family;
	if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
		h.type = nlh->nlmsg_type;
	put(w, TAG_OBJECT, kind, &h, sizeof(h));
}

static void put_end(struct out *w) { put(w, TAG_END, 0, NULL, 0); }

#define PUT_ATTRS(w, obj, max, is_set, get, skip)                        \
	for (uint16_t id = 0; id < (max); id++) {                         \
		const void *v;                                            \
		uint32_t n;                                               \
		if (((skip) >> id & 1) || !is_set(obj, id))               \
			continue;                                         \
		v = get(obj, id, &n);                                     \
		if (v)                                                    \
			put(w, TAG_ATTR, id, v, n);                       \
	}

static int put_expr(struct nftnl_expr *e, void *data)
{
	struct out *w = data;
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);

	put(w, TAG_EXPR, 0, name, strlen(name) + 1);
	PUT_ATTRS(w, e, 16, nftnl_expr_is_set, nftnl_expr_get, 1u << NFTNL_EXPR_NAME);
	return 0;
}

static int decode_table(struct out *w, const struct nlmsghdr *nlh)
{
	struct nftnl_table *t = nftnl_table_alloc();

	if (!t || nftnl_table_nlmsg_parse(nlh, t) < 0)
		goto err;
	put_obj(w, GN_TABLE, nlh);
	PUT_ATTRS(w, t, __NFTNL_TABLE_MAX, nftnl_table_is_set, nftnl_table_get_data, 0u);
	put_end(w);
	nftnl_table_free(t);
	return 0;
err:
	if (t)
		nftnl_table_free(t);
	return -1;
}

static int decode_chain(struct out *w, const struct nlmsghdr *nlh)
{
	struct nftnl_chain *c = nftnl_chain_alloc();

	if (!c || nftnl_chain_nlmsg_parse(nlh, c) < 0)
		goto err;
	put_obj(w, GN_CHAIN, nlh);
	// libnftnl 1.2.4 gives the type's length as 4: read it as a string.
	PUT_ATTRS(w, c, __NFTNL_CHAIN_MAX, nftnl_chain_is_set, nftnl_chain_get_data,
		  1u << NFTNL_CHAIN_DEVICES | 1u << NFTNL_CHAIN_TYPE);
	if (nftnl_chain_is_set(c, NFTNL_CHAIN_TYPE)) {
		const char *type = nftnl_chain_get_str(c, NFTNL_CHAIN_TYPE);

		put(w, TAG_ATTR, NFTNL_CHAIN_TYPE, type, strlen(type) + 1);
	}
	put_end(w);
	nftnl_chain_free(c);
	return 0;
err:
	if (c)
		nftnl_chain_free(c);
	return -1;
}

static int decode_rule(struct out *w, const struct nlmsghdr *nlh)
{
	struct nftnl_rule *r = nftnl_rule_alloc();

	if (!r || nftnl_rule_nlmsg_parse(nlh, r) < 0)
		goto err;
	put_obj(w, GN_RULE, nlh);
	PUT_ATTRS(w, r, __NFTNL_RULE_MAX, nftnl_rule_is_set, nftnl_rule_get_data, 0u);
	nftnl_expr_foreach(r, put_expr, w);
	put_end(w);
	nftnl_rule_free(r);
	return 0;
err:
	if (r)
		nftnl_rule_free(r);
	return -1;
}

static int decode_gen(struct out *w, const struct nlmsghdr *nlh)
{
	struct nftnl_gen *g = nftnl_gen_alloc();

	if (!g || nftnl_gen_nlmsg_parse(nlh, g) < 0)
		goto err;
	put_obj(w, GN_GEN, nlh);
	PUT_ATTRS(w, g, __NFTNL_GEN_MAX, nftnl_gen_is_set, nftnl_gen_get_data, 0u);
	put_end(w);
	nftnl_gen_free(g);
	return 0;
err:
	if (g)
		nftnl_gen_free(g);
	return -1;
}

static int decode_one(struct out *w, const struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nlh);
		uint32_t err = nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int) ? -e->error : EBADMSG;

		put_obj(w, GN_ERROR, nlh);
		put(w, TAG_ATTR, 0, &err, sizeof(err));
		put_end(w);
		return 0;
	}
	if (nlh->nlmsg_type == NLMSG_DONE) {
		put_obj(w, GN_DONE, nlh);
		put_end(w);
		return 0;
	}
	if ((nlh->nlmsg_type >> 8) == NFNL_SUBSYS_NFTABLES) {
		switch (nlh->nlmsg_type & 0xff) {
		case NFT_MSG_NEWTABLE:
			return decode_table(w, nlh);
		case NFT_MSG_NEWCHAIN:
			return decode_chain(w, nlh);
		case NFT_MSG_NEWRULE:
			return decode_rule(w, nlh);
		case NFT_MSG_NEWGEN:
			return decode_gen(w, nlh);
		}
	}
	put_obj(w, GN_OTHER, nlh);
	put_end(w);
	return 0;
}

long gn_decode(const char *in, size_t n, uint8_t *out, size_t cap, size_t *olen)
{
	struct out w = { .b = out, .len = *olen, .cap = cap };
	const struct nlmsghdr *nlh = (const void *)in;
	int len = n;

	while (mnl_nlmsg_ok(nlh, len)) {
		// Records take at most three times the attributes' room.
		if (w.cap - w.len < 3 * (size_t)nlh->nlmsg_len + 512)
			break;
		if (decode_one(&w, nlh) < 0) {
			errno = EBADMSG;
			return -1;
		}
		nlh = mnl_nlmsg_next(nlh, &len);
	}
	*olen = w.len;
	return n - len;
}

size_t gn_compat_get(char *buf, const char *name, uint32_t rev, uint32_t type,
		     uint8_t family, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (NFNL_SUBSYS_NFT_COMPAT << 8) | NFNL_MSG_COMPAT_GET;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;
	mnl_attr_put_strz(nlh, NFTA_COMPAT_NAME, name);
	mnl_attr_put_u32(nlh, NFTA_COMPAT_REV, htonl(rev));
	mnl_attr_put_u32(nlh, NFTA_COMPAT_TYPE, htonl(type));
	return nlh->nlmsg_len;
}
