// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"fmt"
	"os/exec"
	"testing"

	"github.com/goipt/goipt/internal/netnstest"
)

func TestSmokeDump(t *testing.T) {
	netnstest.Run(t, func() {
		out, err := exec.Command("sh", "-c", "iptables-nft -A INPUT -s 10.0.0.0/8 -p tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT && iptables-nft -t raw -A PREROUTING -j TRACE").CombinedOutput()
		if err != nil {
			t.Fatalf("%v %s", err, out)
		}
		c, err := Open()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		g, err := c.GenID()
		t.Logf("genid %d %v", g, err)
		ts, err := c.Tables(IPv4)
		for _, x := range ts {
			t.Logf("table %+v", *x)
		}
		cs, err := c.Chains(IPv4, "")
		for _, x := range cs {
			t.Logf("chain %+v", *x)
		}
		rs, err := c.Rules(IPv4, "", "")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			t.Logf("rule %s %s %d", r.Table, r.Chain, r.Handle)
			for _, e := range r.Exprs {
				t.Logf("   %s %s", e.Name(), fmt.Sprintf("%+v", e))
			}
		}
	})
}
