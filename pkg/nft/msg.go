// SPDX-License-Identifier: GPL-2.0-or-later

package nft

// nf_tables message types (enum nf_tables_msg_types).
const (
	msgNewTable = 0
	msgGetTable = 1
	msgDelTable = 2
	msgNewChain = 3
	msgGetChain = 4
	msgDelChain = 5
	msgNewRule  = 6
	msgGetRule  = 7
	msgDelRule  = 8
	msgNewGen   = 15
	msgGetGen   = 16
)

// Netlink message flags besides NLM_F_REQUEST, which libnftnl always sets.
const (
	flagAck     = 0x4   // NLM_F_ACK
	flagDumpInt = 0x10  // NLM_F_DUMP_INTR
	flagDump    = 0x300 // NLM_F_DUMP
	flagReplace = 0x100 // NLM_F_REPLACE
	flagExcl    = 0x200 // NLM_F_EXCL
	flagCreate  = 0x400 // NLM_F_CREATE
	flagAppend  = 0x800 // NLM_F_APPEND
	flagNonRec  = 0x100 // NLM_F_NONREC, on deletes
)

// Object kinds of the shim's stream (enum gn_kind in nftnl_shim.h).
const (
	kindTable      = 1
	kindChain      = 2
	kindRule       = 3
	kindGen        = 4
	kindBatchBegin = 5
	kindBatchEnd   = 6
	kindError      = 7
	kindDone       = 8
	kindOther      = 9
)
