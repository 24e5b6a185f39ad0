// SPDX-License-Identifier: GPL-2.0-or-later

package nftcli

import (
	"fmt"
	"strings"
	"testing"

	"github.com/goipt/goipt/internal/netnstest"
)

// raceScript has goipt ($G), iptables-nft and nft write the filter table
// at once: goipt appends from three loops and inserts at position 2 from
// a fourth, iptables-nft appends from two, nft adds rules from one; then
// goipt deletes what it inserted while the others go on. Every command
// must succeed: a commit that finds the ruleset changed is built again
// (iptables-nft's nft_action, goipt's ipt.Execute).
const raceScript = `
set -u
G=$1; N=$2
fail() { echo "FAILED: $*"; }
$G iptables -A INPUT -s 10.255.0.1 -j ACCEPT || fail first
for w in 1 2 3; do
	(for i in $(seq 1 $N); do $G iptables -A INPUT -s 10.$w.0.$i -j ACCEPT || fail goipt -A 10.$w.0.$i; done) &
done
(for i in $(seq 1 $N); do $G iptables -I INPUT 2 -s 10.9.0.$i -j DROP || fail goipt -I 10.9.0.$i; done) &
for w in 4 5; do
	(for i in $(seq 1 $N); do xtables-nft-multi iptables -A INPUT -s 10.$w.0.$i -j ACCEPT || fail iptables-nft 10.$w.0.$i; done) &
done
(for i in $(seq 1 $N); do nft add rule ip filter INPUT ip saddr 10.6.0.$i counter accept || fail nft 10.6.0.$i; done) &
wait
(for i in $(seq 1 $N); do $G iptables -D INPUT -s 10.9.0.$i -j DROP || fail goipt -D 10.9.0.$i; done) &
(for i in $(seq 1 $N); do xtables-nft-multi iptables -A INPUT -s 10.7.0.$i -j ACCEPT || fail iptables-nft 10.7.0.$i; done) &
(for i in $(seq 1 $N); do nft add rule ip filter INPUT ip saddr 10.8.0.$i counter accept || fail nft 10.8.0.$i; done) &
wait
xtables-nft-multi iptables -S INPUT
`

// TestRace races goipt against iptables-nft and nft writing one table (a
// run here sees some forty goipt commits refused for a changed generation
// and built again) and
// checks that nothing is lost: every rule each of them added is there
// once, and every rule goipt deleted is gone.
func TestRace(t *testing.T) {
	bin := goiptNFT(t)
	const n = 25
	var out string
	netnstest.Run(t, func() {
		stdout, stderr, code := netnstest.Exec(t, "bash", "-c", raceScript, "race", bin, fmt.Sprint(n))
		if code != 0 || strings.Contains(stdout, "FAILED") {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
		out = stdout
	})
	count := map[string]int{}
	for _, l := range strings.Split(out, "\n") {
		count[l]++
	}
	want := []string{"-A INPUT -s 10.255.0.1/32 -j ACCEPT"}
	for _, w := range []string{"1", "2", "3", "4", "5", "6", "7", "8"} {
		for i := 1; i <= n; i++ {
			want = append(want, fmt.Sprintf("-A INPUT -s 10.%s.0.%d/32 -j ACCEPT", w, i))
		}
	}
	for _, w := range want {
		if count[w] != 1 {
			t.Errorf("%q is there %d times, want once", w, count[w])
		}
	}
	if strings.Contains(out, "10.9.0.") {
		t.Errorf("rules goipt deleted are there:\n%s", out)
	}
	if rules := strings.Count(out, "\n-A "); rules != len(want) {
		t.Errorf("%d rules, want %d:\n%s", rules, len(want), out)
	}
}
