// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"errors"
	"syscall"

	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/parse"
)

// kernel is what a Txn asks of nf_tables: a *Conn, or a test's fake.
type kernel interface {
	GenID() (uint32, error)
	Tables(fam ext.Family) ([]*Table, error)
	Chain(fam ext.Family, table, name string) (*Chain, error)
	Chains(fam ext.Family, table string) ([]*Chain, error)
	Rules(fam ext.Family, table, chain string) ([]*Rule, error)
	Commit(b *Batch) error
	Restart() error
	Close() error
}

// Txn is one nf_tables transaction of one family, as iptables-nft's
// nft_handle holds it: the ruleset generation its cache was read at, the
// tables of BuiltinTables (read lazily, as a command needs them: see
// iptTable) and the operations of every table, in order, sent as one
// batch by Commit. A command opens one table; iptables-nft-restore's
// tables can share a Txn, so that one commit changes them all or none.
// An operation that fails may leave operations in the batch, as
// iptables-nft's do: a caller does not commit after one (Close instead).
// A Txn belongs to one goroutine at a time.
type Txn struct {
	k          kernel
	fam        ext.Family
	genid      uint32
	exists     map[string]bool // tables the kernel had when the Txn began
	tables     map[string]*iptTable
	ops        []*op
	ruleID     uint32   // the last NFTA_RULE_ID given (nft_handle's rule_id)
	chains     []*Chain // the family's chains, once dumped (chainsRead)
	chainsRead bool
	done       bool

	// Restore: CHAIN_UPDATE creates its chain (iptables-nft-restore's
	// NLM_F_CREATE), and so does every base chain a policy names.
	Restore bool
}

// op is one operation of the batch (iptables-nft's obj_update): its
// object is encoded when the batch is built, at Commit, as the
// operations after it left it.
type op struct {
	typ   OpType
	table *Table
	chain *Chain
	rule  *Rule
	skip  bool
	line  int
}

// maxDumpRetries bounds the rereads of an interrupted dump.
const maxDumpRetries = 10

// begin starts a transaction on k: the generation, then the tables
// (iptables-nft's cache always reads them, NFT_CL_TABLES).
func begin(k kernel, fam ext.Family) (*Txn, error) {
	t := &Txn{k: k, fam: fam, exists: map[string]bool{}, tables: map[string]*iptTable{}}
	var err error
	if t.genid, err = k.GenID(); err != nil {
		k.Close()
		return nil, parse.Errorf(parse.ResourceProblem, "Could not fetch rule set generation id: %s", strError(fnNone, errnoOf(err)))
	}
	ts, err := retryDump(k, func() ([]*Table, error) { return k.Tables(fam) })
	if err != nil {
		k.Close()
		return nil, kernelError("tables", err)
	}
	for _, tb := range ts {
		t.exists[tb.Name] = true
	}
	return t, nil
}

// retryDump runs a dump again, on a fresh socket, while the kernel
// interrupts it (iptables-nft restarts its socket: nft_restart). A dump
// read across a change of the ruleset is caught at Commit: the batch
// carries the generation the Txn began at.
func retryDump[T any](k kernel, dump func() (T, error)) (T, error) {
	for i := 0; ; i++ {
		v, err := dump()
		if !errors.Is(err, ErrDumpInterrupted) || i == maxDumpRetries {
			return v, err
		}
		if err := k.Restart(); err != nil {
			return v, err
		}
	}
}

// allChains dumps the family's chains, once for all its tables (the
// kernel's dump has them all: fetch_chain_cache filters by table).
func (t *Txn) allChains() ([]*Chain, error) {
	if !t.chainsRead {
		cs, err := retryDump(t.k, func() ([]*Chain, error) { return t.k.Chains(t.fam, "") })
		if err != nil {
			return nil, kernelError("chains", err)
		}
		t.chains, t.chainsRead = cs, true
	}
	return t.chains, nil
}

// Table returns table name of the transaction (one of BuiltinTables),
// opening it on first use.
func (t *Txn) Table(name string) (backend.Table, error) {
	return t.table(name)
}

func (t *Txn) table(name string) (*iptTable, error) {
	if h := t.tables[name]; h != nil {
		return h, nil
	}
	bt := BuiltinTableOf(name)
	if bt == nil {
		return nil, parse.Errorf(parse.VersionProblem, "table '%s' does not exist", name)
	}
	h := newIptTable(t, bt)
	t.tables[name] = h
	return h, nil
}

func (t *Txn) add(o *op) *op {
	t.ops = append(t.ops, o)
	return o
}

// nextRuleID numbers a rule of this transaction that has no handle.
func (t *Txn) nextRuleID() uint32 {
	t.ruleID++
	return t.ruleID
}

// dropRuleOps removes the pending rule operations of table and chain
// ("" every chain) from the batch, as a flush of them makes them moot
// (batch_chain_flush).
func (t *Txn) dropRuleOps(table, chain string) {
	kept := t.ops[:0]
	for _, o := range t.ops {
		switch o.typ {
		case OpRuleAppend, OpRuleInsert, OpRuleReplace, OpRuleDelete:
			if o.rule.Table == table && (chain == "" || o.rule.Chain == chain) {
				continue
			}
		}
		kept = append(kept, o)
	}
	clear(t.ops[len(kept):])
	t.ops = kept
}

// Commit sends every operation of every table as one batch at the
// generation the Txn began at (nft_action), then ends the Txn. The batch
// is sent even when it holds no operation, as iptables-nft sends it: the
// kernel then only checks the generation, so that a command that only
// read learns whether it read one generation. A changed generation is a
// *backend.Error with EAGAIN (backend.ErrTableChanged): nothing was
// changed; begin again and redo the command, as iptables-nft rebuilds its
// cache and sends again. Operations the kernel refused are a
// *backend.Error with Status parse.ResourceProblem and iptables-nft's
// report of them.
func (t *Txn) Commit() error {
	if t.done {
		return &backend.Error{Op: "commit", Errno: syscall.EBADF, Msg: strError(fnNone, syscall.EBADF)}
	}
	defer t.Close()
	b := NewBatch(t.fam, t.genid)
	b.Restore = t.Restore
	for _, o := range t.ops {
		if o.skip {
			continue
		}
		switch o.typ {
		case OpTableAdd:
			b.AddTable(o.table)
		case OpTableFlush:
			b.FlushTable(o.table)
		case OpRuleAppend, OpRuleInsert, OpRuleReplace, OpRuleDelete, OpRuleFlush:
			b.AddRule(o.typ, o.rule, o.line)
		default:
			b.AddChain(o.typ, o.chain, o.line)
		}
	}
	return commitError(t.k.Commit(b))
}

// commitError maps what Conn.Commit returns as iptables-nft reports it.
func commitError(err error) error {
	var be *BatchError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrGenChanged):
		return &backend.Error{Op: "commit", Errno: syscall.EAGAIN, Msg: strError(fnNone, syscall.EAGAIN)}
	case errors.As(err, &be) && len(be.Errors) > 0:
		// mnl_append_error's leading space (a newline with line numbers).
		msg := " " + be.Error()
		if be.Errors[0].Op.Line > 0 {
			msg = "\n" + be.Error()
		}
		return &backend.Error{Op: "commit", Errno: be.Errors[0].Errno, Msg: msg, Status: parse.ResourceProblem}
	}
	return kernelError("commit", err)
}

// kernelError is a failed exchange with the kernel, with nft_strerror's
// message for its errno.
func kernelError(op string, err error) error {
	errno := errnoOf(err)
	return &backend.Error{Op: op, Errno: errno, Msg: strError(fnNone, errno)}
}

func errnoOf(err error) syscall.Errno {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno
	}
	return syscall.EINVAL
}

// Close ends the transaction without committing.
func (t *Txn) Close() {
	if !t.done {
		t.done = true
		t.k.Close()
	}
}
