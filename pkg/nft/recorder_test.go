// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"encoding/binary"
	"testing"

	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/nft/expr"
)

// parseRules reads back the rules of netlink messages, as a dump's.
func parseRules(t testing.TB, msgs []byte) []*Rule {
	stream, err := decodeMessages(msgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	var rules []*Rule
	r := expr.Reader{B: stream}
	for {
		tag, kind, _, ok := r.Next()
		if !ok {
			return rules
		}
		if tag != expr.TagObject {
			t.Fatalf("record %d where an object starts", tag)
		}
		if kind != kindRule {
			skipObject(&r)
			continue
		}
		ru := &Rule{}
		if err := decodeRule(&r, ru, nil); err != nil {
			t.Fatal(err)
		}
		rules = append(rules, ru)
	}
}

type nlmsg struct {
	typ, flags uint16
	seq        uint32
	family     uint8
	resID      uint16
	payload    []byte
}

func splitMsgs(b []byte) []nlmsg {
	var out []nlmsg
	for len(b) >= 20 {
		n := int(ne.Uint32(b))
		out = append(out, nlmsg{typ: ne.Uint16(b[4:]), flags: ne.Uint16(b[6:]), seq: ne.Uint32(b[8:]),
			family: b[16], resID: binary.BigEndian.Uint16(b[18:]), payload: b[20:n]})
		b = b[(n+3)&^3:]
	}
	return out
}

// TestBatchLayout checks the messages of a batch: iptables-nft's
// numbering, types and flags (nft_action, mnl_batch_begin).
func TestBatchLayout(t *testing.T) {
	b := NewBatch(ext.IPv4, 0x01020304)
	b.AddTable(&Table{Name: "filter", Family: ext.IPv4})
	b.AddChain(OpChainUserAdd, &Chain{Name: "UC", Table: "filter", Family: ext.IPv4}, 0)
	b.AddChain(OpChainAdd, BuiltinChainOf("filter", "INPUT").Chain(ext.IPv4, "filter"), 0)
	b.AddRule(OpRuleAppend, &Rule{Family: ext.IPv4, Table: "filter", Chain: "INPUT", HasCompat: true,
		CompatProto: 6, Exprs: []expr.Any{&expr.Counter{}, &expr.Verdict{Code: expr.VerdictAccept}}}, 3)
	b.AddRule(OpRuleReplace, &Rule{Family: ext.IPv4, Table: "filter", Chain: "INPUT", Handle: 9}, 0)
	msgs, err := b.Messages(nil)
	if err != nil {
		t.Fatal(err)
	}
	const req = 1 // NLM_F_REQUEST
	want := []struct {
		typ, flags uint16
	}{
		{0x10, req}, // NFNL_MSG_BATCH_BEGIN
		{10<<8 | msgNewTable, req | flagCreate},
		{10<<8 | msgNewChain, req | flagExcl},
		{10<<8 | msgNewChain, req | flagCreate},
		{10<<8 | msgNewRule, req | flagCreate | flagAppend},
		{10<<8 | msgNewRule, req | flagCreate | flagReplace},
		{0x11, req}, // NFNL_MSG_BATCH_END
	}
	got := splitMsgs(msgs)
	if len(got) != len(want) {
		t.Fatalf("%d messages, want %d", len(got), len(want))
	}
	for i, m := range got {
		if m.typ != want[i].typ || m.flags != want[i].flags || m.seq != uint32(i+1) {
			t.Errorf("message %d: type %#x flags %#x seq %d, want %#x %#x %d", i, m.typ, m.flags, m.seq, want[i].typ, want[i].flags, i+1)
		}
	}
	// BEGIN: res_id NFNL_SUBSYS_NFTABLES, NFTA_GEN_ID big-endian.
	if got[0].resID != 10 && got[0].resID != 10<<8 {
		t.Errorf("batch res_id %#x", got[0].resID)
	}
	if p := got[0].payload; len(p) != 8 || ne.Uint16(p[2:]) != 1 || binary.BigEndian.Uint32(p[4:]) != 0x01020304 {
		t.Errorf("batch begin payload %x", p)
	}
	if got[1].family != uint8(ext.IPv4) {
		t.Errorf("table message family %d", got[1].family)
	}
	ops := b.Ops()
	if len(ops) != 5 || ops[3].Seq != 5 || ops[3].Type != OpRuleAppend || ops[3].Line != 3 || ops[3].Object != "INPUT" {
		t.Errorf("ops %+v", ops)
	}
	e := &OpError{Op: ops[3], Errno: 31}
	if s := e.Error(); s != "line 3: RULE_APPEND failed (Too many links): rule in chain INPUT" {
		t.Errorf("error %q", s)
	}
	rs := parseRules(t, msgs)
	if len(rs) != 2 || !rs[0].HasCompat || rs[0].CompatProto != 6 || rs[1].Handle != 9 {
		t.Errorf("rules read back: %+v", rs)
	}
}
