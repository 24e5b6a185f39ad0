// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"errors"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/nft/expr"
	"github.com/goipt/goipt/pkg/parse"
)

// fakeKernel is a kernel that holds a ruleset in memory and records
// what it is asked, to hold the cache to what iptables-nft reads.
type fakeKernel struct {
	genid     uint32
	tables    []string
	chains    []*Chain
	rules     map[string][]*Rule // by chain
	calls     []string
	commitErr error
	genErr    error
	committed []Op
}

func (k *fakeKernel) GenID() (uint32, error) {
	k.calls = append(k.calls, "genid")
	return k.genid, k.genErr
}

func (k *fakeKernel) Tables(fam ext.Family) ([]*Table, error) {
	k.calls = append(k.calls, "tables")
	var ts []*Table
	for _, n := range k.tables {
		ts = append(ts, &Table{Name: n, Family: fam})
	}
	return ts, nil
}

func (k *fakeKernel) Chain(_ ext.Family, table, name string) (*Chain, error) {
	k.calls = append(k.calls, "chain "+name)
	for _, c := range k.chains {
		if c.Table == table && c.Name == name {
			return c, nil
		}
	}
	return nil, nil
}

func (k *fakeKernel) Chains(ext.Family, string) ([]*Chain, error) {
	k.calls = append(k.calls, "chains")
	return k.chains, nil
}

func (k *fakeKernel) Rules(_ ext.Family, _, chain string) ([]*Rule, error) {
	k.calls = append(k.calls, "rules "+chain)
	return k.rules[chain], nil
}

func (k *fakeKernel) Commit(b *Batch) error {
	k.calls = append(k.calls, "commit")
	k.committed = append([]Op(nil), b.Ops()...)
	return k.commitErr
}

func (k *fakeKernel) Restart() error { return nil }
func (k *fakeKernel) Close() error   { return nil }

// filterKernel is a kernel with table filter: INPUT (policy pol, rules
// rs) and user chain "foo".
func filterKernel(pol uint32, rs ...*Rule) *fakeKernel {
	in := BuiltinChainOf("filter", "INPUT").Chain(ext.IPv4, "filter")
	in.Policy, in.Handle, in.Use = pol, 1, uint32(len(rs))
	return &fakeKernel{genid: 7, tables: []string{"filter"}, rules: map[string][]*Rule{"INPUT": rs},
		chains: []*Chain{in, {Name: "foo", Table: "filter", Family: ext.IPv4, Handle: 2, Use: 1}}}
}

// rule is a kernel rule of INPUT: a counter and a verdict.
func rule(handle uint64, verdict int32, packets uint64) *Rule {
	return &Rule{Family: ext.IPv4, Table: "filter", Chain: "INPUT", Handle: handle,
		Exprs: []expr.Any{&expr.Counter{Packets: packets, Bytes: packets * 100}, &expr.Verdict{Code: verdict}}}
}

// entryOf is r's entry, as goipt would build it for the command line.
func entryOf(t *testing.T, r *Rule) []byte {
	t.Helper()
	e, err := ToEntry(r)
	if err != nil {
		t.Fatal(err)
	}
	l := ext.Layout(e.Family)
	ne.PutUint64(e.Bytes[l.Packets:], 0)
	ne.PutUint64(e.Bytes[l.Bytes:], 0)
	return e.Bytes
}

func openFake(t *testing.T, k *fakeKernel) *iptTable {
	t.Helper()
	txn, err := begin(k, ext.IPv4)
	if err != nil {
		t.Fatal(err)
	}
	h, err := txn.table("filter")
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func opTypes(ops []Op) string {
	var s []string
	for _, o := range ops {
		s = append(s, o.Type.String()+" "+o.Object)
	}
	return strings.Join(s, ", ")
}

// TestAppendReads: -A reads the built-in chains and the chain by name,
// no rule (iptables-nft's NFT_CL_CHAINS), and sends the append alone when
// table and chain exist.
func TestAppendReads(t *testing.T) {
	k := filterKernel(PolicyAccept)
	h := openFake(t, k)
	if err := h.Append("INPUT", entryOf(t, rule(0, expr.VerdictAccept, 0))); err != nil {
		t.Fatal(err)
	}
	if err := h.Commit(); err != nil {
		t.Fatal(err)
	}
	want := []string{"genid", "tables", "chain INPUT", "chain FORWARD", "chain OUTPUT", "commit"}
	if !slices.Equal(k.calls, want) {
		t.Errorf("calls %q, want %q", k.calls, want)
	}
	if got := opTypes(k.committed); got != "RULE_APPEND INPUT" {
		t.Errorf("batch %s", got)
	}
}

// TestAppendMakesTable: in an empty ruleset, -A FORWARD adds the table and
// FORWARD alone (nft_xt_builtin_init with a chain), then the rule.
func TestAppendMakesTable(t *testing.T) {
	k := &fakeKernel{genid: 1}
	h := openFake(t, k)
	if err := h.Append("FORWARD", entryOf(t, rule(0, expr.VerdictDrop, 0))); err != nil {
		t.Fatal(err)
	}
	if err := h.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := opTypes(k.committed); got != "TABLE_ADD filter, CHAIN_ADD FORWARD, RULE_APPEND FORWARD" {
		t.Errorf("batch %s", got)
	}
	if slices.Contains(k.calls, "chain FORWARD") {
		t.Errorf("asked the kernel for a chain of a table it does not have: %q", k.calls)
	}
}

// TestDeleteBySpec: -D reads the chain's rules, finds the first the same
// (counters do not count) and deletes it by handle; no rule is ENOENT
// with -D's message.
func TestDeleteBySpec(t *testing.T) {
	k := filterKernel(PolicyAccept, rule(10, expr.VerdictDrop, 5), rule(11, expr.VerdictAccept, 3), rule(12, expr.VerdictAccept, 0))
	h := openFake(t, k)
	if err := h.Delete("INPUT", entryOf(t, rule(0, expr.VerdictAccept, 0)), nil); err != nil {
		t.Fatal(err)
	}
	rules, _ := h.Rules("INPUT")
	if len(rules) != 2 || rules[1].Target != "ACCEPT" {
		t.Errorf("cache after -D: %d rules", len(rules))
	}
	if err := h.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := opTypes(k.committed); got != "RULE_DELETE INPUT" {
		t.Errorf("batch %s", got)
	}
	h = openFake(t, filterKernel(PolicyAccept))
	err := h.Delete("INPUT", entryOf(t, rule(0, expr.VerdictAccept, 0)), nil)
	var be *backend.Error
	if !errors.As(err, &be) || be.Errno != syscall.ENOENT || be.Msg != "Bad rule (does a matching rule exist in that chain?)" {
		t.Errorf("-D of no rule: %v", err)
	}
}

// TestInsertPositions: -I N with N one past the last rule appends; further
// is E2BIG with -I's message; before a rule, RULE_INSERT names its handle.
func TestInsertPositions(t *testing.T) {
	k := filterKernel(PolicyAccept, rule(10, expr.VerdictDrop, 0))
	h := openFake(t, k)
	e := entryOf(t, rule(0, expr.VerdictAccept, 0))
	if err := h.Insert("INPUT", e, 1); err != nil {
		t.Fatal(err)
	}
	if err := h.Insert("INPUT", e, 5); err == nil || err.Error() != "Index of insertion too big" {
		t.Errorf("-I 6 of 2 rules: %v", err)
	}
	if err := h.Insert("INPUT", e, 1); err != nil {
		t.Fatal(err)
	}
	if err := h.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := opTypes(k.committed); got != "RULE_APPEND INPUT, RULE_INSERT INPUT" {
		t.Errorf("batch %s", got)
	}
}

// TestDeleteChainPolicy: -X of a built-in chain whose policy is DROP is
// "Directory not empty" (EBUSY) without a commit; with policy ACCEPT it
// goes to the kernel without its rules having been read.
func TestDeleteChainPolicy(t *testing.T) {
	h := openFake(t, filterKernel(PolicyDrop))
	if err := h.DeleteChain("INPUT"); err == nil || err.Error() != "Directory not empty" {
		t.Errorf("-X INPUT with policy DROP: %v", err)
	}
	k := filterKernel(PolicyAccept, rule(10, expr.VerdictDrop, 0))
	h = openFake(t, k)
	if err := h.DeleteChain("INPUT"); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(k.calls, "rules INPUT") {
		t.Errorf("-X CHAIN read rules: %q", k.calls)
	}
}

// TestDeleteAll: -X deletes the user chains and the empty built-in chains
// with policy ACCEPT, silently skips the others.
func TestDeleteAll(t *testing.T) {
	k := filterKernel(PolicyAccept, rule(10, expr.VerdictDrop, 0))
	k.chains = append(k.chains, BuiltinChainOf("filter", "OUTPUT").Chain(ext.IPv4, "filter"))
	h := openFake(t, k)
	if err := h.DeleteAll(); err != nil {
		t.Fatal(err)
	}
	if err := h.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := opTypes(k.committed); got != "CHAIN_DEL OUTPUT, CHAIN_DEL foo" {
		t.Errorf("batch %s", got)
	}
}

// TestFlushAll: -F is one RULE_FLUSH of the table, and nothing when the
// kernel has no table; it reads nothing but the table list.
func TestFlushAll(t *testing.T) {
	k := filterKernel(PolicyAccept)
	h := openFake(t, k)
	if err := h.FlushAll(); err != nil {
		t.Fatal(err)
	}
	if err := h.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := opTypes(k.committed); got != "RULE_FLUSH " {
		t.Errorf("batch %q", got)
	}
	if want := []string{"genid", "tables", "commit"}; !slices.Equal(k.calls, want) {
		t.Errorf("calls %q, want %q", k.calls, want)
	}
	k = &fakeKernel{}
	h = openFake(t, k)
	if err := h.FlushAll(); err != nil || h.Commit() != nil || len(k.committed) != 0 {
		t.Errorf("-F of no table: %v, batch %s", err, opTypes(k.committed))
	}
}

// TestZeroChain: -Z INPUT zeroes the policy counters (CHAIN_ZERO) and
// replaces the rules whose counters are not zero, with NFTA_RULE_COMPAT
// recovered from their "meta l4proto".
func TestZeroChain(t *testing.T) {
	tcp := rule(11, expr.VerdictAccept, 4)
	tcp.Exprs = append([]expr.Any{&expr.Meta{Key: expr.MetaL4Proto, Reg: 1}, &expr.Cmp{SReg: 1, Data: []byte{6}}}, tcp.Exprs...)
	k := filterKernel(PolicyAccept, rule(10, expr.VerdictDrop, 0), tcp)
	h := openFake(t, k)
	if err := h.Zero("INPUT"); err != nil {
		t.Fatal(err)
	}
	if err := h.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := opTypes(k.committed); got != "CHAIN_ZERO INPUT, RULE_REPLACE INPUT" {
		t.Errorf("batch %s", got)
	}
	if !tcp.HasCompat || tcp.CompatProto != 6 || tcp.Exprs[2].(*expr.Counter).Packets != 0 {
		t.Errorf("replaced rule: compat %v %d, counter %+v", tcp.HasCompat, tcp.CompatProto, tcp.Exprs[2])
	}
}

// TestGenChanged: a batch refused for a changed generation is EAGAIN,
// backend.ErrTableChanged; the kernel's refusal of an operation is
// iptables-nft's report of it, exit status 4.
func TestGenChanged(t *testing.T) {
	k := filterKernel(PolicyAccept)
	k.commitErr = ErrGenChanged
	h := openFake(t, k)
	if err := h.Commit(); !errors.Is(err, backend.ErrTableChanged) {
		t.Errorf("ERESTART: %v", err)
	}
	k = filterKernel(PolicyAccept)
	k.commitErr = &BatchError{Errors: []*OpError{{Op: Op{Type: OpChainDel, Object: "INPUT"}, Errno: syscall.EBUSY}}}
	h = openFake(t, k)
	err := h.Commit()
	var be *backend.Error
	if !errors.As(err, &be) || be.Status != parse.ResourceProblem || be.Msg != " CHAIN_DEL failed (Device or resource busy): chain INPUT" {
		t.Errorf("batch error: %#v", err)
	}
}

// TestPrepareList: -L lists the built-in chains the kernel lacks, refuses
// a table with a rule iptables-nft cannot represent, and notes a base
// chain it does not know.
func TestPrepareList(t *testing.T) {
	k := filterKernel(PolicyAccept)
	k.chains = append(k.chains, &Chain{Name: "weird", Table: "filter", Hooked: true, Hook: HookInput, Priority: 5, Type: "filter"})
	h := openFake(t, k)
	note, err := h.PrepareList("")
	if err != nil || !strings.Contains(note, "contains incompatible base-chains") {
		t.Errorf("note %q, %v", note, err)
	}
	if got := h.Chains(); !slices.Equal(got, []string{"INPUT", "FORWARD", "OUTPUT", "foo"}) {
		t.Errorf("chains %q", got)
	}
	k = filterKernel(PolicyAccept, &Rule{Family: ext.IPv4, Table: "filter", Chain: "INPUT",
		Exprs: []expr.Any{&expr.Other{Kind: "ct"}}})
	h = openFake(t, k)
	if _, err := h.PrepareList(""); err == nil || err.Error() != "table `filter' is incompatible, use 'nft' tool." {
		t.Errorf("incompatible table: %v", err)
	}
	if _, err := h.PrepareList("nochain"); err != nil {
		t.Errorf("-L of no chain is the listing's to report: %v", err)
	}
}

// TestNoNFTables: a kernel that answers no generation (no nf_tables) is
// iptables-nft's resource problem, with nft_strerror's message.
func TestNoNFTables(t *testing.T) {
	_, err := begin(&fakeKernel{genErr: syscall.EOPNOTSUPP}, ext.IPv4)
	var xe *parse.Error
	if !errors.As(err, &xe) || xe.Status != parse.ResourceProblem ||
		xe.Msg != "Could not fetch rule set generation id: Operation not supported" {
		t.Errorf("%#v", err)
	}
}

// TestSetPolicy: -P makes the table and chain it needs, then updates the
// chain with zero counters (iptables-nft -P zeroes them); the cache reads
// back the new policy. A bad policy is EINVAL before anything is made.
func TestSetPolicy(t *testing.T) {
	k := &fakeKernel{}
	h := openFake(t, k)
	if err := h.SetPolicy("INPUT", "BOGUS", nil); err == nil || err.Error() != "Bad policy name" {
		t.Errorf("-P INPUT BOGUS: %v", err)
	}
	if err := h.SetPolicy("INPUT", "DROP", nil); err != nil {
		t.Fatal(err)
	}
	if pol, p, b, ok := h.Policy("INPUT"); !ok || pol != "DROP" || p != 0 || b != 0 {
		t.Errorf("policy %q %d %d %v", pol, p, b, ok)
	}
	if err := h.SetPolicy("foo", "DROP", nil); err == nil || err.Error() != "Bad built-in chain name" {
		t.Errorf("-P foo DROP: %v", err)
	}
	if err := h.Commit(); err != nil {
		t.Fatal(err)
	}
	// A failed operation can leave operations in the batch, as
	// iptables-nft's do (-P foo added the table again): a caller does not
	// commit after one.
	if got := opTypes(k.committed); got != "TABLE_ADD filter, CHAIN_ADD INPUT, CHAIN_UPDATE INPUT, TABLE_ADD filter" {
		t.Errorf("batch %s", got)
	}
}
