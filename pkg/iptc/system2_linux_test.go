// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/internal/testenv"
	"github.com/goipt/goipt/pkg/parse"
)

func ipt(t *testing.T, fam Family, args ...string) {
	t.Helper()
	cmd := "iptables-legacy"
	if fam == IPv6 {
		cmd = "ip6tables-legacy"
	}
	_, stderr, code := netnstest.Exec(t, cmd, args...)
	if code != 0 {
		t.Fatalf("%s %s: exit %d: %s", cmd, strings.Join(args, " "), code, stderr)
	}
}

func words(s string) []string {
	var out []string
	for _, w := range parse.SplitWords(s) {
		out = append(out, w.Text)
	}
	return out
}

// Rules made by iptables itself decode to what iptables-save prints, and
// delete by specification (which needs the decoded rule to build the same
// entry and mask again).
func TestSystemDecodeMatchesSave(t *testing.T) {
	specs := map[Family]map[string][]string{
		IPv4: {
			Filter: {
				"-A INPUT -s 192.168.1.0/24 -i eth0 -p tcp -m tcp --dport 22 -j ACCEPT",
				"-A INPUT ! -s 10.0.0.0/8 ! -d 10.1.0.0/255.0.255.0 ! -i ppp+ -p udp -m udp ! --sport 53 -j DROP",
				"-A INPUT -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -m comment --comment \"new ssh conn\" -j LOG --log-prefix \"in: \" --log-level 6",
				"-A INPUT -f -j DROP",
				"-A INPUT ! -f -p icmp -m icmp --icmp-type 8 -m limit --limit 5/sec -j ACCEPT",
				"-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
				"-A INPUT -m state --state INVALID -j DROP",
				"-A INPUT -p tcp -m multiport --dports 80,443,8000:8080 -j ACCEPT",
				"-A INPUT -m iprange --src-range 192.168.1.100-192.168.1.200 --dst-range 172.22.33.106 -j DROP",
				"-A INPUT -m mac --mac-source 00:11:22:33:44:55 -j ACCEPT",
				"-A INPUT -m mark ! --mark 0xff -j REJECT --reject-with icmp-host-prohibited",
				"-A INPUT -m addrtype --dst-type LOCAL -j RETURN",
				"-A INPUT -m pkttype --pkt-type broadcast -m length --length 0:100 -j DROP",
				"-A INPUT -m string --string \"GET /\" --algo bm --to 65535 -j DROP",
				"-A INPUT -m recent --set --name web --mask 255.255.255.255 --rsource",
				"-A INPUT -m hashlimit --hashlimit-upto 10/sec --hashlimit-burst 5 --hashlimit-mode srcip --hashlimit-name hl -j ACCEPT",
				"-A INPUT -m time --timestart 08:00:00 --timestop 17:00:00 --weekdays Mon,Tue -j ACCEPT",
				"-A INPUT -m u32 --u32 \"0x0&0xf000000=0x5000000\" -j ACCEPT",
				"-A INPUT -m statistic --mode random --probability 0.50000000000 -j ACCEPT",
				"-A INPUT -m ttl --ttl-gt 5 -m tos --tos 0x10/0x3f -m dscp --dscp 0x0a -j ACCEPT",
				"-A INPUT -j NFLOG --nflog-group 3 --nflog-prefix \"nf log\"",
				"-A INPUT -j user",
				"-A INPUT -g user",
				"-A INPUT -p tcp -m tcp --dport 8080 -j NFQUEUE --queue-num 4 --queue-bypass",
				"-A INPUT -m comment --comment \"only counts\"",
				"-A FORWARD -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu",
				"-A OUTPUT -m owner --uid-owner 0 -j CONNMARK --set-xmark 0x1/0xffffffff",
			},
			Mangle: {
				"-A PREROUTING -d 192.168.1.2/32 -p udp -m udp --dport 1234 -j MARK --set-xmark 0xffff/0xffffffff",
				"-A PREROUTING -j TOS --set-tos 0x10/0x3f",
				"-A FORWARD -j TTL --ttl-set 64",
			},
			NAT: {
				"-A POSTROUTING -o eth0 -p tcp -j MASQUERADE --to-ports 1234",
				"-A PREROUTING -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.0.1:8080",
				"-A POSTROUTING -s 10.0.0.0/8 -j SNAT --to-source 1.2.3.4",
				"-A PREROUTING -p tcp -j REDIRECT --to-ports 3128",
			},
			Raw: {
				"-A PREROUTING -p udp -m udp --dport 53 -j CT --notrack",
			},
		},
		IPv6: {
			Filter: {
				"-A INPUT -s 2001:db8::/32 -i eth0 -p tcp -m tcp --dport 22 -j ACCEPT",
				"-A INPUT ! -s fe80::/10 -d ::1/128 -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j DROP",
				"-A INPUT -m conntrack --ctstate INVALID -j REJECT --reject-with icmp6-adm-prohibited",
				"-A INPUT -m comment --comment \"v6 rule\" -j user",
				"-A user -p udp -m multiport --sports 53,123 -j RETURN",
				"-A INPUT -m frag --fragid 5 --fraglast -j DROP",
				"-A INPUT -m hl --hl-eq 255 -j ACCEPT",
			},
			Mangle: {
				"-A PREROUTING -j MARK --set-xmark 0x1/0xffffffff",
			},
		},
	}
	netnstest.Run(t, func() {
		for _, fam := range []Family{IPv4, IPv6} {
			for table, lines := range specs[fam] {
				if table == Filter {
					ipt(t, fam, "-t", table, "-N", "user")
				}
				var added []string
				for _, l := range lines {
					cmd := "iptables-legacy"
					if fam == IPv6 {
						cmd = "ip6tables-legacy"
					}
					args := append([]string{"-t", table}, words(l)...)
					if _, stderr, code := netnstest.Exec(t, cmd, args...); code != 0 {
						t.Logf("skipped (iptables cannot add it here): %s: %s", l, strings.TrimSpace(stderr))
						continue
					}
					added = append(added, l)
				}
				var saved []string
				for _, l := range save(t, fam, table) {
					if strings.HasPrefix(l, "-A ") {
						saved = append(saved, l)
					}
				}
				tb := mustOpen(t, fam, table, nil)
				var got []string
				byChain := map[string][]*Rule{}
				names, err := tb.ChainNames()
				if err != nil {
					t.Fatal(err)
				}
				for _, cn := range names {
					rs, err := tb.Chain(cn).Rules()
					if err != nil {
						t.Fatal(err)
					}
					byChain[cn] = rs
					for _, r := range rs {
						got = append(got, "-A "+cn+" "+r.Spec())
					}
				}
				if len(got) != len(saved) || len(saved) != len(added) {
					t.Fatalf("%v %s: %d decoded, %d saved, %d added", fam, table, len(got), len(saved), len(added))
				}
				for i := range saved {
					if strings.Join(words(got[i]), "\x00") != strings.Join(words(saved[i]), "\x00") {
						t.Errorf("%v %s:\n decoded %s\n   saved %s", fam, table, got[i], saved[i])
					}
				}
				// Delete every rule by its decoded specification.
				for cn, rs := range byChain {
					for _, r := range rs {
						if err := tb.Chain(cn).DeleteRule(r); err != nil {
							t.Errorf("%v %s: delete %s: %v", fam, table, r.Spec(), err)
						}
					}
				}
				if err := tb.Commit(); err != nil {
					t.Fatal(err)
				}
				for _, l := range save(t, fam, table) {
					if strings.HasPrefix(l, "-A ") {
						t.Errorf("%v %s: left after deleting all: %s", fam, table, l)
					}
				}
			}
		}
	})
}

func TestSystemTransactions(t *testing.T) {
	netnstest.Run(t, func() {
		for _, fam := range []Family{IPv4, IPv6} {
			tb := mustOpen(t, fam, Filter, nil)
			if tb.Autocommit() {
				t.Fatal("autocommit on by default")
			}
			c, err := tb.CreateChain("tx")
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 3; i++ {
				r := NewRule()
				r.CreateMatch("comment").Set("comment", fmt.Sprint("r", i))
				if err := c.AppendRule(r); err != nil {
					t.Fatal(err)
				}
			}
			r := NewRule()
			r.CreateTarget("DROP")
			if err := c.InsertRule(r, 1); err != nil {
				t.Fatal(err)
			}
			if n := tb.Pending(); n != 5 {
				t.Errorf("%d pending, want 5", n)
			}
			// The transaction sees its changes, the kernel does not.
			if n, _ := c.Len(); n != 4 {
				t.Errorf("chain has %d rules in the transaction, want 4", n)
			}
			wantLines(t, save(t, fam, Filter), ":INPUT ACCEPT", ":FORWARD ACCEPT", ":OUTPUT ACCEPT")
			if err := tb.Commit(); err != nil {
				t.Fatal(err)
			}
			wantLines(t, save(t, fam, Filter), ":INPUT ACCEPT", ":FORWARD ACCEPT", ":OUTPUT ACCEPT", ":tx -",
				`-A tx -m comment --comment r0`, `-A tx -j DROP`, `-A tx -m comment --comment r1`, `-A tx -m comment --comment r2`)

			// Replace, delete by number, delete by spec, check.
			r2 := NewRule()
			r2.CreateTarget("ACCEPT")
			if err := c.ReplaceRule(r2, 1); err != nil {
				t.Fatal(err)
			}
			if err := c.DeleteRuleAt(0); err != nil {
				t.Fatal(err)
			}
			spec := NewRule()
			spec.CreateMatch("comment").Set("comment", "r2")
			if ok, err := c.HasRule(spec); err != nil || !ok {
				t.Errorf("HasRule(r2) = %v, %v", ok, err)
			}
			if err := c.DeleteRule(spec); err != nil {
				t.Fatal(err)
			}
			if ok, err := c.HasRule(spec); err != nil || ok {
				t.Errorf("HasRule(r2) after delete = %v, %v", ok, err)
			}
			if err := c.DeleteRule(spec); !errors.Is(err, ErrNoRule) {
				t.Errorf("second delete: %v, want ErrNoRule", err)
			}
			if err := tb.Chain("nochain").DeleteRule(spec); !errors.Is(err, ErrNoChain) {
				t.Errorf("delete from missing chain: %v, want ErrNoChain", err)
			}
			if _, err := tb.Chain("nochain").Rules(); !errors.Is(err, ErrNoChain) {
				t.Errorf("rules of missing chain: %v, want ErrNoChain", err)
			}
			// Refresh drops the transaction, and says so.
			var de *DiscardedError
			if err := tb.Refresh(); !errors.As(err, &de) || de.Changes != 3 || !errors.Is(err, ErrDiscarded) {
				t.Fatalf("Refresh with 3 changes pending: %v", err)
			}
			if n, _ := c.Len(); n != 4 {
				t.Errorf("after Refresh: %d rules, want 4", n)
			}
			// Autocommit: every change at once.
			if err := tb.SetAutocommit(true); err != nil {
				t.Fatal(err)
			}
			if err := c.DeleteRuleAt(0); err != nil {
				t.Fatal(err)
			}
			if tb.Pending() != 0 {
				t.Error("pending changes with autocommit")
			}
			if n := len(save(t, fam, Filter)); n != 4+3 {
				t.Errorf("after autocommitted delete: %d lines, want 7", n)
			}
			if err := c.Flush(); err != nil {
				t.Fatal(err)
			}
			jump := NewRule()
			jump.Target = NewGoto("tx")
			if err := tb.Chain("INPUT").AppendRule(jump); err != nil {
				t.Fatal(err)
			}
			if n, err := c.References(); err != nil || n != 1 {
				t.Errorf("References = %d, %v", n, err)
			}
			renamed, err := c.Rename("tx2")
			if err != nil {
				t.Fatal(err)
			}
			if rs, _ := tb.Chain("INPUT").Rules(); len(rs) != 1 || rs[0].Target.Name != "tx2" || !rs[0].Target.Goto {
				t.Errorf("jump after rename: %v", rs)
			}
			if err := renamed.Delete(); err == nil {
				t.Error("deleted a referenced chain")
			}
			if err := tb.FlushEntries("INPUT"); err != nil {
				t.Fatal(err)
			}
			if err := renamed.Delete(); err != nil {
				t.Fatal(err)
			}
			// Policies and counters.
			in := tb.Chain("INPUT")
			if err := in.SetPolicy("DROP", &Counters{10, 20}); err != nil {
				t.Fatal(err)
			}
			if pol, cnt, err := in.Policy(); err != nil || pol != "DROP" || cnt != (Counters{10, 20}) {
				t.Errorf("Policy = %s %v %v", pol, cnt, err)
			}
			if ok, _ := in.IsBuiltin(); !ok {
				t.Error("INPUT not built-in")
			}
			cr := NewRule()
			cr.Counters = Counters{7, 700}
			if err := in.AppendRule(cr); err != nil {
				t.Fatal(err)
			}
			if cnt, err := in.RuleCounters(0); err != nil || cnt != (Counters{7, 700}) {
				t.Errorf("RuleCounters = %v, %v", cnt, err)
			}
			if err := in.SetRuleCounters(0, Counters{1, 2}); err != nil {
				t.Fatal(err)
			}
			if rs, _ := in.Rules(); len(rs) != 1 || rs[0].Counters != (Counters{1, 2}) {
				t.Errorf("counters after set: %v", rs[0].Counters)
			}
			if err := in.ZeroRuleCounters(0); err != nil {
				t.Fatal(err)
			}
			if err := in.Zero(); err != nil {
				t.Fatal(err)
			}
			if _, cnt, _ := in.Policy(); cnt != (Counters{}) {
				t.Errorf("policy counters after Zero: %v", cnt)
			}
			if err := in.SetPolicy("ACCEPT", nil); err != nil {
				t.Fatal(err)
			}
			if err := tb.Flush(); err != nil {
				t.Fatal(err)
			}
			if _, _, err := tb.Chain("nochain").Policy(); !errors.Is(err, ErrNoChain) {
				t.Errorf("policy of missing chain: %v", err)
			}
			tb.Close()
			if _, err := tb.Chains(); !errors.Is(err, ErrClosed) {
				t.Errorf("after Close: %v", err)
			}
		}
	})
}

// Close and Refresh drop an uncommitted transaction, release the lock and
// say how many changes they dropped; after Rollback they have nothing to
// say.
func TestSystemCloseDiscards(t *testing.T) {
	netnstest.Run(t, func() {
		tb := mustOpen(t, IPv4, Filter, nil)
		if _, err := tb.CreateChain("gone"); err != nil {
			t.Fatal(err)
		}
		if err := tb.Chain("gone").AppendRule(NewRule()); err != nil {
			t.Fatal(err)
		}
		err := tb.Close()
		var de *DiscardedError
		if !errors.As(err, &de) || *de != (DiscardedError{IPv4, Filter, 2}) || !errors.Is(err, ErrDiscarded) {
			t.Errorf("Close with 2 changes pending: %v", err)
		}
		if err := tb.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
		wantLines(t, save(t, IPv4, Filter), ":INPUT ACCEPT", ":FORWARD ACCEPT", ":OUTPUT ACCEPT")
		l, err := AcquireLock(0, 0)
		if err != nil {
			t.Fatalf("lock still held after Close: %v", err)
		}
		l.Release()

		tb = mustOpen(t, IPv4, Filter, nil)
		if _, err := tb.CreateChain("gone"); err != nil {
			t.Fatal(err)
		}
		if err := tb.Rollback(); err != nil || tb.Pending() != 0 {
			t.Errorf("Rollback: %v, %d pending", err, tb.Pending())
		}
		if l, err := AcquireLock(0, 0); err != nil {
			t.Errorf("lock still held after Rollback: %v", err)
		} else {
			l.Release()
		}
		if ok, err := tb.IsChain("gone"); ok || err != nil {
			t.Errorf("rolled back chain: %v, %v", ok, err)
		}
		if err := tb.Refresh(); err != nil {
			t.Errorf("Refresh after Rollback: %v", err)
		}
		if err := tb.Close(); err != nil {
			t.Errorf("Close after Rollback: %v", err)
		}
		if err := tb.Rollback(); !errors.Is(err, ErrClosed) {
			t.Errorf("Rollback of a closed table: %v", err)
		}
	})
}

// A transaction holds the xtables lock: iptables fails (1.8.11) or waits
// (1.8.9) meanwhile; the messages are iptables' own.
func TestSystemTransactionHoldsLock(t *testing.T) {
	netnstest.Run(t, func() {
		tb := mustOpen(t, IPv4, Filter, &Options{LockNoWait: true})
		if err := tb.Begin(); err != nil {
			t.Fatal(err)
		}
		_, err := AcquireLock(0, 0)
		var le *LockError
		if !errors.As(err, &le) || !le.Busy {
			t.Fatalf("lock not held during the transaction: %v", err)
		}
		if ref, ok := testenv.Ref1811(); ok {
			_, stderr, code := netnstest.Exec(t, ref, "iptables", "-A", "INPUT", "-j", "ACCEPT")
			if code != 4 || stderr != le.Stderr() {
				t.Errorf("iptables 1.8.11: exit %d, stderr %q; ours %q", code, stderr, le.Stderr())
			}
		}
		// Another table of this process with LockNoWait fails too.
		t2 := mustOpen(t, IPv4, Filter, &Options{LockNoWait: true})
		if _, err := t2.CreateChain("x"); !errors.Is(err, ErrLockBusy) {
			t.Errorf("second transaction: %v, want ErrLockBusy", err)
		}
		// A table of the other family shares the process's lock.
		t6 := mustOpen(t, IPv6, Filter, &Options{LockNoWait: true})
		if _, err := t6.CreateChain("x6"); err != nil {
			t.Errorf("IPv6 transaction while IPv4's is open: %v", err)
		}
		if err := t6.Commit(); err != nil {
			t.Fatal(err)
		}
		if err := tb.Commit(); err != nil {
			t.Fatal(err)
		}
		if _, err := t2.CreateChain("x"); err != nil {
			t.Errorf("after commit: %v", err)
		}
		if err := t2.Commit(); err != nil {
			t.Fatal(err)
		}
		l, err := AcquireLock(0, 0)
		if err != nil {
			t.Fatalf("lock held after all commits: %v", err)
		}
		l.Release()
	})
}

// A commit after another writer changed the table fails with EAGAIN:
// reported as a ConflictError, or retried.
func TestSystemConflict(t *testing.T) {
	netnstest.Run(t, func() {
		for _, retry := range []int{0, 1} {
			ipt(t, IPv4, "-F")
			tb := mustOpen(t, IPv4, Filter, &Options{NoLock: true, RetryOnConflict: retry})
			r := NewRule()
			r.CreateMatch("comment").Set("comment", "ours")
			if err := tb.Chain("INPUT").AppendRule(r); err != nil {
				t.Fatal(err)
			}
			ipt(t, IPv4, "-A", "INPUT", "-m", "comment", "--comment", "theirs")
			err := tb.Commit()
			got := save(t, IPv4, Filter)
			if retry == 0 {
				var ce *ConflictError
				if !errors.Is(err, ErrTableChanged) || !errors.As(err, &ce) || ce.Attempts != 1 {
					t.Errorf("commit: %v, want a ConflictError", err)
				}
				wantLines(t, got, ":INPUT ACCEPT", ":FORWARD ACCEPT", ":OUTPUT ACCEPT",
					"-A INPUT -m comment --comment theirs")
			} else {
				if err != nil {
					t.Errorf("commit with retry: %v", err)
				}
				wantLines(t, got, ":INPUT ACCEPT", ":FORWARD ACCEPT", ":OUTPUT ACCEPT",
					"-A INPUT -m comment --comment theirs", "-A INPUT -m comment --comment ours")
			}
			tb.Close()
		}
		// A retry whose changes no longer apply reports what failed.
		ipt(t, IPv4, "-F")
		ipt(t, IPv4, "-A", "INPUT", "-m", "comment", "--comment", "victim")
		tb := mustOpen(t, IPv4, Filter, &Options{NoLock: true, RetryOnConflict: 3})
		victim := NewRule()
		victim.CreateMatch("comment").Set("comment", "victim")
		if err := tb.Chain("INPUT").DeleteRule(victim); err != nil {
			t.Fatal(err)
		}
		ipt(t, IPv4, "-D", "INPUT", "-m", "comment", "--comment", "victim")
		ipt(t, IPv4, "-A", "INPUT", "-j", "ACCEPT")
		ipt(t, IPv4, "-A", "INPUT", "-j", "DROP")
		err := tb.Commit()
		var ce *ConflictError
		if !errors.As(err, &ce) || !errors.Is(err, ErrNoRule) || ce.Attempts != 1 {
			t.Errorf("commit: %v, want a ConflictError wrapping ErrNoRule", err)
		}
		wantLines(t, save(t, IPv4, Filter), ":INPUT ACCEPT", ":FORWARD ACCEPT", ":OUTPUT ACCEPT",
			"-A INPUT -j ACCEPT", "-A INPUT -j DROP")
	})
}

// Both families, many goroutines, one Table each or shared.
func TestSystemConcurrent(t *testing.T) {
	netnstest.Run(t, func() {
		const workers, each = 8, 10
		shared4 := mustOpen(t, IPv4, Filter, &Options{Autocommit: true})
		shared6 := mustOpen(t, IPv6, Filter, nil)
		var dones []<-chan struct{}
		// shared6's transaction, once open, holds the IPv6 filter table
		// of this process until the end: every worker's own transaction
		// must be over by then.
		var own sync.WaitGroup
		own.Add(workers)
		for w := 0; w < workers; w++ {
			fam := IPv4
			if w%2 == 1 {
				fam = IPv6
			}
			dones = append(dones, netnstest.Go(t, func() {
				ownDone := sync.OnceFunc(own.Done)
				defer ownDone()
				// Own table, own transaction per worker.
				tb, err := Open(fam, Filter, nil)
				if err != nil {
					t.Error(err)
					return
				}
				defer tb.Close()
				chain := fmt.Sprintf("w%d", w)
				c, err := tb.CreateChain(chain)
				if err != nil {
					t.Error(err)
					return
				}
				for i := 0; i < each; i++ {
					r := NewRule()
					r.Protocol = "tcp"
					r.CreateMatch("tcp").Set("dport", fmt.Sprint(1000+i))
					r.CreateTarget("ACCEPT")
					if err := c.AppendRule(r); err != nil {
						t.Error(err)
					}
				}
				if err := tb.Commit(); err != nil {
					t.Error(err)
				}
				ownDone()
				own.Wait()
				// Shared tables, used from many goroutines at once.
				for i := 0; i < each; i++ {
					r := NewRule()
					r.CreateMatch("comment").Set("comment", fmt.Sprintf("w%d-%d", w, i))
					st := shared4
					if fam == IPv6 {
						st = shared6
					}
					if err := st.Chain("FORWARD").AppendRule(r); err != nil {
						t.Error(err)
					}
					if _, err := st.Chain("FORWARD").Rules(); err != nil {
						t.Error(err)
					}
				}
			}))
		}
		for _, d := range dones {
			<-d
		}
		if err := shared6.Commit(); err != nil {
			t.Fatal(err)
		}
		for _, fam := range []Family{IPv4, IPv6} {
			lines := save(t, fam, Filter)
			n := 0
			for _, l := range lines {
				if strings.HasPrefix(l, "-A FORWARD") {
					n++
				}
			}
			if want := workers / 2 * each; n != want || len(lines) != 3+workers/2+2*want {
				t.Errorf("%v: %d FORWARD rules (want %d), %d lines", fam, n, want, len(lines))
			}
		}
	})
}

// A Table keeps to the namespace it was opened in, whichever goroutine
// (and so thread) uses it.
func TestSystemTableKeepsNamespace(t *testing.T) {
	netnstest.Run(t, func() {
		tb := mustOpen(t, IPv4, Filter, nil)
		done := make(chan error)
		go func() { // a thread in the host's namespace
			_, err := tb.CreateChain("nsonly")
			if err == nil {
				err = tb.Commit()
			}
			done <- err
		}()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		wantLines(t, save(t, IPv4, Filter), ":INPUT ACCEPT", ":FORWARD ACCEPT", ":OUTPUT ACCEPT", ":nsonly -")
	})
}

func TestSystemLockTimeout(t *testing.T) {
	netnstest.Run(t, func() {
		l, err := AcquireLock(0, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Release()
		tb := mustOpen(t, IPv4, Filter, &Options{LockTimeout: 300 * time.Millisecond})
		start := time.Now()
		_, err = tb.CreateChain("x")
		if !errors.Is(err, ErrLockBusy) || time.Since(start) < 300*time.Millisecond {
			t.Errorf("CreateChain with the lock held elsewhere: %v after %v", err, time.Since(start))
		}
		if tb.Pending() != 0 {
			t.Error("transaction left open")
		}
		tn := mustOpen(t, IPv4, Filter, &Options{NoLock: true})
		if _, err := tn.CreateChain("x"); err != nil {
			t.Errorf("NoLock: %v", err)
		}
		if err := tn.Commit(); err != nil {
			t.Fatal(err)
		}
	})
}
