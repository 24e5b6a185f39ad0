// SPDX-License-Identifier: GPL-2.0-or-later

package legacy

import (
	"errors"
	"testing"

	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
)

// TestEachRuleAsRules: EachRule walks the same rules as Rules returns, in
// place, stops at fn's first error, and fails for a missing chain as
// Rules does.
func TestEachRuleAsRules(t *testing.T) {
	netnstest.Run(t, func() {
		netnstest.ExecInput(t, "*filter\n:web - [0:0]\n-A web -p tcp -m tcp --dport 80 -j ACCEPT\n-A web -s 10.0.0.0/8 -j DROP\n-A web -j RETURN\n-A INPUT -j web\nCOMMIT\n", "iptables-legacy-restore")
		h, err := (&Backend{}).open(ext.IPv4, "filter")
		if err != nil {
			t.Fatal(err)
		}
		defer h.Close()
		want, err := h.Rules("web")
		if err != nil || len(want) != 3 {
			t.Fatalf("Rules: %d rules, %v", len(want), err)
		}
		var got []backend.Rule
		if err := h.EachRule("web", func(r backend.Rule) error {
			got = append(got, backend.Rule{Entry: append([]byte(nil), r.Entry...), Target: r.Target})
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("EachRule: %d rules, Rules: %d", len(got), len(want))
		}
		for i := range got {
			if string(got[i].Entry) != string(want[i].Entry) || got[i].Target != want[i].Target {
				t.Errorf("rule %d: EachRule %q %x, Rules %q %x", i, got[i].Target, got[i].Entry, want[i].Target, want[i].Entry)
			}
		}
		stop := errors.New("stop")
		n := 0
		if err := h.EachRule("web", func(backend.Rule) error { n++; return stop }); err != stop || n != 1 {
			t.Errorf("EachRule stopping: %v after %d rules", err, n)
		}
		if err := h.EachRule("INPUT", func(backend.Rule) error { n++; return nil }); err != nil || n != 2 {
			t.Errorf("EachRule INPUT: %v, %d calls", err, n-1)
		}
		_, rerr := h.Rules("nope")
		eerr := h.EachRule("nope", func(backend.Rule) error { t.Error("called for a missing chain"); return nil })
		if rerr == nil || eerr == nil || rerr.Error() != eerr.Error() {
			t.Errorf("missing chain: EachRule %v, Rules %v", eerr, rerr)
		}
	})
}
