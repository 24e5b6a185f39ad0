// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/nft/expr"
)

// OpType is what a batch message does, named as iptables-nft names it in
// its errors (mnl_append_error).
type OpType uint8

// The operations of iptables-nft's batches (enum obj_update_type).
const (
	OpTableAdd OpType = iota
	OpTableFlush
	OpChainAdd
	OpChainUserAdd
	OpChainDel
	OpChainUserFlush
	OpChainUpdate
	OpChainRename
	OpChainZero
	OpRuleAppend
	OpRuleInsert
	OpRuleReplace
	OpRuleDelete
	OpRuleFlush
)

var opNames = [...]string{
	OpTableAdd: "TABLE_ADD", OpTableFlush: "TABLE_FLUSH",
	OpChainAdd: "CHAIN_ADD", OpChainUserAdd: "CHAIN_USER_ADD",
	OpChainDel: "CHAIN_DEL", OpChainUserFlush: "CHAIN_USER_FLUSH",
	OpChainUpdate: "CHAIN_UPDATE", OpChainRename: "CHAIN_RENAME",
	OpChainZero: "CHAIN_ZERO", OpRuleAppend: "RULE_APPEND",
	OpRuleInsert: "RULE_INSERT", OpRuleReplace: "RULE_REPLACE",
	OpRuleDelete: "RULE_DELETE", OpRuleFlush: "RULE_FLUSH",
}

func (o OpType) String() string { return opNames[o] }

// Op is one message of a batch, kept to attribute the kernel's errors.
type Op struct {
	Type OpType
	Seq  uint32
	// Object is the table's or chain's name (the rule's chain for rule
	// operations), as iptables-nft prints it.
	Object string
	// Line is the caller's (a restore's line number), 0 if none.
	Line int
}

// Batch is a transaction: NFNL_MSG_BATCH_BEGIN, the operations, and
// NFNL_MSG_BATCH_END, numbered as iptables-nft numbers them (nft_action):
//
//	seq 1        BATCH_BEGIN  NFTA_GEN_ID = genid the cache was built at
//	seq 2..n+1   one message per operation
//	seq n+2      BATCH_END
//
// Its messages carry no NLM_F_ACK: the kernel answers only for the ones
// that fail.
type Batch struct {
	w      expr.Writer
	ops    []Op
	seq    uint32
	genid  uint32
	Family ext.Family
	// Restore: CHAIN_UPDATE (a policy) creates the chain (NLM_F_CREATE),
	// as in iptables-nft-restore.
	Restore bool
}

// NewBatch starts a batch for family fam whose cache was read at
// generation genid.
func NewBatch(fam ext.Family, genid uint32) *Batch {
	b := &Batch{Family: fam}
	b.Reset(genid)
	return b
}

// Reset empties b for a new transaction at generation genid, keeping its
// buffers.
func (b *Batch) Reset(genid uint32) {
	b.w.B, b.ops, b.genid, b.seq = b.w.B[:0], b.ops[:0], genid, 1
	b.w.Object(kindBatchBegin, expr.ObjectHeader{Seq: 1})
	b.w.U32(1, genid) // NFNL_BATCH_GENID
	b.w.End()
}

// Len is the number of operations in b.
func (b *Batch) Len() int { return len(b.ops) }

// Ops are b's operations in order.
func (b *Batch) Ops() []Op { return b.ops }

func (b *Batch) next(t OpType, object string, line int) expr.ObjectHeader {
	b.seq++
	b.ops = append(b.ops, Op{Type: t, Seq: b.seq, Object: object, Line: line})
	return expr.ObjectHeader{Seq: b.seq}
}

// AddTable creates table t (TABLE_ADD).
func (b *Batch) AddTable(t *Table) {
	h := b.next(OpTableAdd, t.Name, 0)
	h.Type, h.Flags = msgNewTable, flagCreate
	t.encode(&b.w, h)
}

// FlushTable deletes table t with all it holds (TABLE_FLUSH).
func (b *Batch) FlushTable(t *Table) {
	h := b.next(OpTableFlush, t.Name, 0)
	h.Type = msgDelTable
	t.encode(&b.w, h)
}

// AddChain writes chain c with the flags of operation t: OpChainAdd and
// OpChainZero (create a builtin chain), OpChainUserAdd (create a user
// chain, failing if it exists), OpChainUpdate (set a policy),
// OpChainRename (c.Handle, c.NewName), OpChainDel, OpChainUserFlush.
func (b *Batch) AddChain(t OpType, c *Chain, line int) {
	h := b.next(t, c.Name, line)
	h.Type = msgNewChain
	switch t {
	case OpChainAdd, OpChainZero:
		h.Flags = flagCreate
	case OpChainUserAdd:
		h.Flags = flagExcl
	case OpChainUpdate:
		if b.Restore {
			h.Flags = flagCreate
		}
	case OpChainDel:
		h.Type, h.Flags = msgDelChain, flagNonRec
	case OpChainUserFlush:
		h.Type = msgDelChain
	}
	c.encode(&b.w, h)
}

// AddRule writes rule r with the flags of operation t: OpRuleAppend,
// OpRuleInsert (before r.Position, or first), OpRuleReplace (r.Handle),
// OpRuleDelete (r.Handle) and OpRuleFlush (every rule of r.Chain, or of
// r.Table without a chain). For OpRuleDelete pass the rule as dumped:
// iptables-nft sends its cached object (expressions, position and all).
// r is copied into the batch: it, and the arena it came from, may be
// reused once AddRule returns.
func (b *Batch) AddRule(t OpType, r *Rule, line int) {
	h := b.next(t, r.Chain, line)
	h.Type = msgNewRule
	switch t {
	case OpRuleAppend:
		h.Flags = flagCreate | flagAppend
	case OpRuleInsert:
		h.Flags = flagCreate
	case OpRuleReplace:
		h.Flags = flagCreate | flagReplace
	case OpRuleDelete, OpRuleFlush:
		h.Type = msgDelRule
	}
	r.encode(&b.w, h)
}

// end closes the batch (seq n+2) and returns its records.
func (b *Batch) end() []byte {
	b.seq++
	b.w.Object(kindBatchEnd, expr.ObjectHeader{Seq: b.seq})
	b.w.End()
	return b.w.B
}

// Messages returns the netlink messages of b, closed by BATCH_END, as
// they are sent (appended to out); b can no longer be added to.
func (b *Batch) Messages(out []byte) ([]byte, error) {
	return encodeStream(b.end(), out)
}
