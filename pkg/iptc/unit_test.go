// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"encoding/json"
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/parse"
)

func TestWordsToParams(t *testing.T) {
	opts := []ext.Option{
		{Name: "dport", HasArg: 1}, {Name: "tcp-flags", HasArg: 1}, {Name: "syn", HasArg: 0},
		{Name: "comment", HasArg: 1}, {Name: "opt", HasArg: 2},
	}
	cases := map[string]Params{
		` ! --dport 22`:                    {{Name: "dport", Value: "22", Invert: true}},
		` --tcp-flags SYN,ACK SYN ! --syn`: {{Name: "tcp-flags", Value: "SYN,ACK", Extra: []string{"SYN"}}, {Name: "syn", Invert: true}},
		` --comment --dport`:               {{Name: "comment", Value: "--dport"}},
		` --comment "!"`:                   {{Name: "comment", Value: "!"}},
		` --dport ! 22`:                    {{Name: "dport", Value: "22", Invert: true}},
		` --opt --syn`:                     {{Name: "opt"}, {Name: "syn"}},
		` --opt x --unknown y z`:           {{Name: "opt", Value: "x"}, {Name: "unknown", Value: "y", Extra: []string{"z"}}},
		` [unsupported revision]`:          {{Value: "[unsupported"}, {Value: "revision]"}},
	}
	for in, want := range cases {
		if got := wordsToParams(parse.SplitWords(in), opts); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %#v, want %#v", in, got, want)
		}
	}
}

func TestParamsPythonStyle(t *testing.T) {
	m := NewMatch("iprange")
	m.Set("src_range", "192.168.1.100-192.168.1.200")
	m.Set("dst_range", "!172.22.33.106")
	m.Set("src-range", "10.0.0.1-10.0.0.2")
	if got := m.Get("src_range"); got != "10.0.0.1-10.0.0.2" {
		t.Errorf("Get src_range = %q", got)
	}
	if got := m.Get("dst-range"); got != "!172.22.33.106" {
		t.Errorf("Get dst-range = %q", got)
	}
	if p, ok := m.Lookup("dst_range"); !ok || !p.Invert || p.Value != "172.22.33.106" {
		t.Errorf("Lookup: %#v %v", p, ok)
	}
	if len(m.Params) != 2 || m.Params[0].Name != "src-range" {
		t.Errorf("params %#v", m.Params)
	}
	if !reflect.DeepEqual(m.Params.Map(), map[string]string{"src-range": "10.0.0.1-10.0.0.2", "dst-range": "!172.22.33.106"}) {
		t.Errorf("Map: %v", m.Params.Map())
	}
	m.Unset("src_range")
	if _, ok := m.Lookup("src-range"); ok || m.Get("nope") != "" {
		t.Errorf("Unset/Get")
	}
	tg := NewTarget("LOG")
	tg.Set("log-prefix", "x y")
	c := tg.Clone()
	c.Params[0].Value = "z"
	if tg.Get("log-prefix") != "x y" {
		t.Errorf("Clone shares params")
	}
	// SetParam takes values as they are: a leading "!" is no negation.
	tg.SetParam(Param{Name: "log-prefix", Value: "!x"})
	m.SetParam(Param{Name: "src-range", Value: "1.2.3.4", Invert: true})
	if p, ok := tg.Lookup("log_prefix"); !ok || p.Invert || p.Value != "!x" || m.Get("src_range") != "!1.2.3.4" {
		t.Errorf("SetParam: %#v %v, %q", p, ok, m.Get("src_range"))
	}
	tg.Unset("log_prefix")
	if _, ok := tg.Lookup("log-prefix"); ok || len(tg.Params) != 0 {
		t.Errorf("Target.Unset: %#v", tg.Params)
	}
}

func TestRuleSpecAndSetters(t *testing.T) {
	r := NewRule()
	r.SetSrc("!192.168.1.0/255.255.255.0")
	r.SetDst("10.1.2.3")
	r.SetInInterface("eth+")
	r.SetOutInterface("!lo")
	r.SetProtocol("!udp")
	r.CreateMatch("comment").Set("comment", "two words")
	r.Target = NewGoto("other")
	want := `! -s 192.168.1.0/24 -d 10.1.2.3/32 -i eth+ ! -o lo ! -p udp -m comment --comment "two words" -g other`
	if got := r.Spec(); got != want {
		t.Errorf("Spec:\n got %s\nwant %s", got, want)
	}
	c := r.Clone()
	c.Matches[0].Set("comment", "changed")
	if r.Matches[0].Get("comment") != "two words" {
		t.Errorf("Clone shares matches")
	}
	m := r.FindMatch("comment")
	r.RemoveMatch(m)
	if len(r.Matches) != 0 || r.FindMatch("comment") != nil {
		t.Errorf("RemoveMatch")
	}
}

func TestAddresses(t *testing.T) {
	for _, c := range []struct {
		fam       Family
		in        string
		addr, msk string
		format    string
	}{
		{IPv4, "", "0.0.0.0", "0.0.0.0", ""},
		{IPv4, "192.168.1.7/24", "192.168.1.0", "255.255.255.0", "192.168.1.0/255.255.255.0"},
		{IPv4, "192.168.1.7/255.255.0.0", "192.168.0.0", "255.255.0.0", "192.168.0.0/255.255.0.0"},
		{IPv4, "1.2.3.4", "1.2.3.4", "255.255.255.255", "1.2.3.4/255.255.255.255"},
		{IPv4, "1.2.3.4/255.0.255.0", "1.0.3.0", "255.0.255.0", "1.0.3.0/255.0.255.0"},
		{IPv6, "2001:db8::1/32", "2001:db8::", "ffff:ffff::", "2001:db8::/32"},
		{IPv6, "::1", "::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::1/128"},
		{IPv6, "2001:db8::/ffff::ffff", "2001::", "ffff::ffff", "2001::/ffff::ffff"},
	} {
		a, m, err := ParseAddrMask(c.fam, c.in)
		if err != nil || a.String() != c.addr || m.String() != c.msk {
			t.Errorf("ParseAddrMask(%q) = %v %v %v", c.in, a, m, err)
			continue
		}
		if got := FormatAddrMask(a, m); got != c.format {
			t.Errorf("FormatAddrMask(%v, %v) = %q, want %q", a, m, got, c.format)
		}
	}
	for _, c := range []struct {
		fam Family
		in  string
		msg string
	}{
		{IPv4, "::1", "host/network `::1' not found"},
		{IPv6, "1.2.3.4", "host/network `1.2.3.4' not found"},
		{IPv4, "1.2.3.4/33", "invalid mask `33' specified"},
		{IPv4, "example.com", "host/network `example.com' not found"},
	} {
		if _, _, err := ParseAddrMask(c.fam, c.in); err == nil || err.Error() != c.msg || parse.Status(err) != 2 {
			t.Errorf("ParseAddrMask(%q): %v, want %q", c.in, err, c.msg)
		}
	}
	r := &Rule{Src: "192.168.1.0/255.255.255.0", Dst: "2001:db8::/48"}
	if p, err := r.SrcPrefix(); err != nil || p != netip.MustParsePrefix("192.168.1.0/24") {
		t.Errorf("SrcPrefix %v %v", p, err)
	}
	if p, err := r.DstPrefix(); err != nil || p != netip.MustParsePrefix("2001:db8::/48") {
		t.Errorf("DstPrefix %v %v", p, err)
	}
	r.SetSrcPrefix(netip.MustParsePrefix("10.1.2.3/8"))
	r.SetDstPrefix(netip.Prefix{})
	if r.Src != "10.0.0.0/8" || r.Dst != "" {
		t.Errorf("SetSrcPrefix: %q %q", r.Src, r.Dst)
	}
	if p, err := (&Rule{}).SrcPrefix(); err != nil || p.IsValid() {
		t.Errorf("any: %v %v", p, err)
	}
	if _, err := (&Rule{Src: "1.2.3.4/255.0.255.0"}).SrcPrefix(); err == nil {
		t.Errorf("non-prefix mask accepted")
	}
}

func TestEasyJSON(t *testing.T) {
	in := `{"src":"!10.0.0.0/8","protocol":"tcp","fragment":false,
	 "matches":[{"name":"tcp","params":{"dport":"!22","tcp_flags":["SYN,ACK","SYN"],"syn":""}},
	            {"name":"comment","params":{"comment":{"value":"!bang"}}}],
	 "target":"LOG","target-params":{"log-prefix":" x","log-uid":"!"},"counters":{"packets":1,"bytes":2}}`
	var e EasyRule
	if err := json.Unmarshal([]byte(in), &e); err != nil {
		t.Fatal(err)
	}
	r := e.Rule()
	want := `! -s 10.0.0.0/8 -p tcp ! -f -m tcp ! --dport 22 --tcp-flags SYN,ACK SYN --syn -m comment --comment !bang -j LOG --log-prefix " x" ! --log-uid`
	if got := r.Spec(); got != want {
		t.Errorf("Spec:\n got %s\nwant %s", got, want)
	}
	if !r.InvSrc || r.Src != "10.0.0.0/8" || !r.Fragment || !r.InvFragment || r.Counters != (Counters{1, 2}) {
		t.Errorf("rule %#v", r)
	}
	out, err := json.Marshal(r.Easy())
	if err != nil {
		t.Fatal(err)
	}
	var back EasyRule
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, e) {
		t.Errorf("round trip:\n%s\n%#v\n%#v", out, back, e)
	}
	if !strings.Contains(string(out), `"params":{"dport":"!22","tcp-flags":["SYN,ACK","SYN"],"syn":""}`) {
		t.Errorf("marshalled: %s", out)
	}
	for _, bad := range []string{`{"matches":[{"name":"x","params":[1]}]}`, `{"matches":[{"name":"x","params":{"a":1}}]}`,
		`{"matches":[{"name":"x","params":{"a":{"valu":"x"}}}]}`} {
		if err := json.Unmarshal([]byte(bad), &e); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestEasyPosition(t *testing.T) {
	for _, c := range [][3]int{{0, 5, 5}, {1, 5, 0}, {3, 5, 2}, {-1, 5, 4}, {-9, 5, 0}} {
		if got := position(c[0], c[1]); got != c[2] {
			t.Errorf("position(%d, %d) = %d, want %d", c[0], c[1], got, c[2])
		}
	}
}

func TestErrorsIs(t *testing.T) {
	e := tag(&Error{Op: "delete", Msg: "Bad rule"}, ErrNoRule)
	var ie *Error
	if !errors.Is(e, ErrNoRule) || errors.Is(e, ErrNoChain) || !errors.As(e, &ie) || e.Error() != "Bad rule" {
		t.Errorf("tagged: %v", e)
	}
	c := &ConflictError{Family: IPv4, Table: "filter", Attempts: 2, Err: errors.New("x")}
	if !errors.Is(c, ErrTableChanged) {
		t.Errorf("ConflictError not ErrTableChanged")
	}
}
