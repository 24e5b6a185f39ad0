// SPDX-License-Identifier: GPL-2.0-or-later

// Package nft is goipt's nf_tables backend foundation: it talks nf_tables
// over netlink as iptables-nft 1.8.9 does, and translates rules between
// the x_tables entries goipt builds (pkg/ext) and the nf_tables
// expressions iptables-nft 1.8.9 writes, down to the kernel's attributes.
//
// # Objects and operations
//
// Table, Chain and Rule are the kernel's objects (table.go, chain.go,
// rule.go; expressions in package expr, one file each). Conn (conn_linux.go)
// is a NETLINK_NETFILTER socket in the calling thread's network namespace:
// GenID, dumps (Tables; Chains of a table or all; Rules and EachRule of a
// chain, a table or all), and Commit of a Batch (batch.go), whose builders
// are iptables-nft's operations: AddTable, FlushTable, AddChain (CHAIN_ADD,
// CHAIN_USER_ADD, CHAIN_UPDATE, CHAIN_RENAME, CHAIN_DEL, ...), AddRule
// (RULE_APPEND, RULE_INSERT, RULE_REPLACE, RULE_DELETE, RULE_FLUSH).
//
// CompatRevision asks nft_compat for an extension revision, as
// iptables-nft picks revisions (nft_compatible_revision).
//
// Translation: ToRule (ToRuleIn, from an expr.Arena) is an entry's rule
// (nft_rule_new with the family's add); ToEntry is a rule read back (nft_rule_to_iptables_command_state)
// as an entry; Same and SameEntries are nft_rule_cmp for -C and -D;
// Compatible, CheckRules (IncompatibleError) and BaseChainCompatible are
// iptables-nft's tests for a table it can list; ParseError is a rule it
// cannot read back; BuiltinTables are its tables and base chains.
//
// # The backend
//
// Backend (backend_linux.go) is goipt's backend.Backend "nf_tables": Open
// begins a Txn (txn.go), one transaction of one family at one ruleset
// generation, and returns its table, a cache (cache.go) that reads what
// iptables-nft 1.8.9 reads for the command (nft-cache.c): the chains it
// names, asked for by name with the table's built-in chains, or all of
// them; a chain's rules only when the command looks at rules. The
// operations (table_rules.go, table_chains.go, table_read.go) are nft.c's,
// on the cache and the Txn's list of operations: nft_xt_builtin_init makes
// the table and the built-in chain a command uses, nft_xt_fake_builtin_chains
// lists the others, -C and -D compare with Same (userspacesize read off
// pkg/ext's mask), errors carry nft_strerror's messages (strerror.go).
// Commit sends one batch; ERESTART (another writer came first) is
// backend.ErrTableChanged, on which the caller runs the command again on a
// new Txn, as iptables-nft rebuilds its cache and resends. The tables of
// one Txn (Txn.Table) commit together: iptables-nft-restore's tables can.
//
// # Talking netlink: libnftnl through cgo
//
// The messages are built and parsed by libnftnl 1.2.4, the library
// iptables-nft 1.8.9 links, through a small C shim (nftnl_shim.c): Go
// writes a flat record stream (expr/wire.go) of objects and their
// libnftnl attributes, and one cgo call turns as many objects as fit into
// netlink messages (gn_encode); one cgo call turns a read's worth of
// messages back into records (gn_decode). So message parity with
// iptables-nft holds by construction: the same nftnl_*_set calls, the same
// nftnl_*_nlmsg_build_payload, the same attribute order and padding. The
// translation logic is Go.
//
// The alternative, github.com/google/nftables v0.3.0, guesses a rule's
// NFTA_RULE_COMPAT from a fixed map of match names (iptables-nft sets it
// from the entry's protocol for every rule: "-p tcp -m multiport" fails
// the kernel's checkentry without it), sets NLM_F_ECHO on every rule
// message, has no batch generation id, and allocates per attribute.
// Measured back to back on this machine (2 cores shared with other work,
// load average about 10: read the ratios, not the times), 50,000 rules
// of goipt's benchmark mix (bench/ruleset), as iptables-nft writes them
// (BenchmarkEncode50k, BenchmarkDecode50k; google/nftables through its
// nltest fake):
//
//	                       this package                 google/nftables v0.3.0
//	                       (translation included)       (expressions only)
//	encode, to messages    294 ms, 170k allocs          830 ms, 2.5M allocs
//	decode, from messages  277 ms, 197k allocs          646 ms, 6.0M allocs
//
// Against iptables-nft 1.8.9 in a network namespace (TestSystemTiming50k,
// GOIPT_NFT_TIMING=1; same load): iptables-nft-restore 4.1 s, goipt 0.83x
// (building the entries with pkg/ext 1.35 s, translating 0.9 s, libnftnl
// and the kernel's commit 1.2 s); iptables-nft-save 2.2 s, this package's
// dump and decode of every rule 0.41 s (0.19x), 0.57x with ToEntry and
// goipt's save printer. libnftnl's parse is some 0.35 s of a 50,000-rule
// dump: if the dump budget needs it, a Go parser of the kernel's rule
// messages is the lever (building stays with libnftnl, for parity).
//
// Rule dumps go one chain at a time, as iptables-nft's: the kernel
// restarts each read of a dump from the chain's (table's) first rule, so
// one dump of 50,000 rules took 4.9-7 s against 0.35-0.9 s by chain.
//
// # Message flow
//
// A transaction is one sendmsg of a batch, numbered as nft_action does:
//
//	seq 1      NFNL_MSG_BATCH_BEGIN  res_id NFNL_SUBSYS_NFTABLES,
//	                                 NFTA_GEN_ID = the generation the
//	                                 caller's cache was read at
//	seq 2..n+1 one message per operation, no NLM_F_ACK:
//	           NEWTABLE (CREATE), NEWCHAIN (CREATE | EXCL | 0),
//	           DELCHAIN (NONREC), NEWRULE (CREATE|APPEND, CREATE,
//	           CREATE|REPLACE), DELRULE, DELTABLE
//	seq n+2    NFNL_MSG_BATCH_END
//
// The socket's send buffer is raised to the batch's 2 MiB pages and its
// receive buffer to a page per message (mnl_set_sndbuffer,
// mnl_set_rcvbuffer). The kernel answers only for failed messages; Commit
// reads every answer without waiting and maps each to its operation by
// sequence number (*OpError, in a *BatchError: "line N: RULE_APPEND failed
// (Too many links): rule in chain X"). ERESTART on the BEGIN message is a
// generation change: ErrGenChanged, on which iptables-nft rebuilds its
// cache and the batch and sends it again. A dump marked NLM_F_DUMP_INTR or
// ended with EINTR is ErrDumpInterrupted (iptables-nft reopens the socket
// and reads again, and rereads the generation around its cache fetch until
// it is stable).
//
// # What iptables-nft 1.8.9 writes natively and what as compat
//
// Native expressions (meta, cmp, payload, bitwise, range, counter,
// immediate, limit, log), by source function:
//
//	-i/-o NAME, NAME+, ! -i +      add_iniface, add_outiface (nft-shared.c):
//	                               meta iifname/oifname, cmp of the name
//	                               with its NUL, of the prefix for NAME+,
//	                               eq "INVAL/D" for "! -i +"; "-i +" loads
//	                               and compares nothing
//	-p PROTO                       add_l4proto: meta l4proto, cmp
//	-s/-d ADDR/MASK                add_addr: payload of the prefix's whole
//	                               bytes, or bitwise for other masks, cmp
//	-f (ext.IPv4)                      nft_ipv4_add: payload frag_off, bitwise
//	                               0x1fff, cmp neq 0 (eq for ! -f)
//	-m tcp (ports, --tcp-flags)    add_nft_tcp, add_nft_tcpudp,
//	                               expr_gen_range_cmp16, add_nft_tcpflags;
//	                               compat when all-zero ("-m tcp"), with
//	                               --tcp-option or its inversion
//	-m udp (ports)                 add_nft_udp; compat when all-zero or
//	                               with unknown inversion bits
//	-m mark                        add_nft_mark: meta mark, bitwise unless
//	                               the mask is 0xffffffff, cmp
//	-m limit                       add_nft_limit: limit pkts, no flags
//	counters                       add_counters: counter, before the verdict
//	-j ACCEPT/DROP/RETURN          add_verdict: immediate verdict
//	-j/-g CHAIN                    add_jumpto: immediate jump/goto
//	-j NFLOG                       add_log: log (prefix, group, snaplen,
//	                               queue threshold)
//	-j TRACE                       add_meta_nftrace: immediate 1 into
//	                               reg32_01, meta nftrace set
//
// Everything else is compat (nft_compat's "match" and "target", with the
// extension's name, revision and info blob): every other match, the
// comment match included (1.8.9 writes no comment userdata for ip and ip6,
// but reads one back, appending a comment match), and every other target
// (__add_match, __add_target). Every rule carries NFTA_RULE_COMPAT: the
// entry's protocol and NFT_RULE_COMPAT_F_INV for "! -p" (add_compat).
//
// Read back (nft_rule_to_iptables_command_state) besides the above: meta
// iif/oif (by index), meta pkttype, payload ttl and hop limit (ttl, hl
// matches), icmp and icmpv6 type and code (icmp, icmp6 matches), and the
// other forms of port comparison (lt, gt, gte). lookup is accepted and
// ignored for ip and ip6 (among is bridge only).
//
// # Quirks of 1.8.9 reproduced
//
// ext.IPv6 entries read back lack IP6T_F_PROTO; "-i +" is not read
// back; NFLOG is read back with iptables-nft's own info layout
// (xt_nflog_info_nft, a 128-byte prefix) and writes its whole prefix
// (Entry.LogPrefix; the entry holds 63 bytes); the ext.IPv6 rule comparison
// ignores address masks (nft_ipv6_is_same).
//
// # Where goipt follows iptables 1.8.11 instead
//
// Bugs of 1.8.9 that 1.8.11 fixed, where 1.8.9 writes a rule other than
// the one asked for (Follows1811 tells which): ip6tables-nft -c is
// written (1.8.9 wrote zero counters); an inverted full port range ("!
// --sport 0:65535") is tested (1.8.9 wrote no test: the rule matched
// everything); single source and destination ports both inverted are
// tested one by one (1.8.9 compared both at once with "!=": a packet
// with one of them other matched). See also Txn for the commands.
package nft
