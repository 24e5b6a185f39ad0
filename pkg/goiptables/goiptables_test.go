// SPDX-License-Identifier: GPL-2.0-or-later

package goiptables

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/pkg/iptc"
)

// inNetns runs fn for IPv4 and IPv6, each in a fresh network namespace.
func inNetns(t *testing.T, fn func(t *testing.T, ipt *IPTables)) {
	for _, p := range []Protocol{ProtocolIPv4, ProtocolIPv6} {
		t.Run(fmt.Sprintf("proto%d", p), func(t *testing.T) {
			netnstest.Run(t, func() {
				ipt, err := NewWithProtocol(p)
				if err != nil {
					t.Fatal(err)
				}
				fn(t, ipt)
			})
		})
	}
}

// legacy runs the system's iptables-legacy (or ip6tables-legacy) in the
// namespace, to check what reached the kernel.
func legacy(t *testing.T, ipt *IPTables, args ...string) string {
	t.Helper()
	cmd := "iptables-legacy"
	if ipt.Proto() == ProtocolIPv6 {
		cmd = "ip6tables-legacy"
	}
	out, stderr, code := netnstest.Exec(t, cmd, args...)
	if code != 0 {
		t.Fatalf("%s %v: exit %d: %s", cmd, args, code, stderr)
	}
	return out
}

func addrs(ipt *IPTables) (a1, a2, net1, net2 string) {
	if ipt.Proto() == ProtocolIPv6 {
		return "2001:db8::1/128", "2001:db8::2/128", "2001:db8:a::/48", "2001:db8:b::/48"
	}
	return "203.0.113.1/32", "203.0.113.2/32", "192.0.2.0/24", "198.51.100.0/24"
}

func TestNewOptions(t *testing.T) {
	ipt, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if ipt.Proto() != ProtocolIPv4 || ipt.timeout != 0 || ipt.mode != "legacy" {
		t.Errorf("New(): %+v", ipt)
	}
	if a, b, c := ipt.GetIptablesVersion(); a != 1 || b != 8 || c != 11 {
		t.Errorf("version %d.%d.%d", a, b, c)
	}
	if !ipt.HasRandomFully() || !ipt.hasCheck || !ipt.hasWait || !ipt.waitSupportSecond {
		t.Errorf("features: %+v", ipt)
	}
	ip6, err := New(IPFamily(ProtocolIPv6), Timeout(5), Path("/sbin/ip6tables-legacy"))
	if err != nil {
		t.Fatal(err)
	}
	if ip6.Proto() != ProtocolIPv6 || ip6.timeout != 5 || ip6.path != "/sbin/ip6tables-legacy" {
		t.Errorf("options: %+v", ip6)
	}
	if p, _ := NewWithProtocol(ProtocolIPv6); p.Proto() != ProtocolIPv6 || p.timeout != 0 {
		t.Errorf("NewWithProtocol: %+v", p)
	}
}

func TestError(t *testing.T) {
	e := newError([]string{"/usr/sbin/iptables", "-t", "filter", "-D", "X", "--wait"}, 1,
		"iptables: Bad rule (does a matching rule exist in that chain?).\n")
	if e.ExitStatus() != 1 || !e.IsNotExist() {
		t.Errorf("status %d, not exist %v", e.ExitStatus(), e.IsNotExist())
	}
	want := "running [/usr/sbin/iptables -t filter -D X --wait]: exit status 1: iptables: Bad rule (does a matching rule exist in that chain?).\n"
	if e.Error() != want {
		t.Errorf("Error() = %q", e.Error())
	}
	// The embedded ExitError looks like an exited process's.
	if e.ProcessState == nil {
		t.Fatal("no ProcessState (os.ProcessState's fields changed?)")
	}
	if e.ExitCode() != 1 || !e.Exited() || e.Success() || e.String() != "exit status 1" ||
		e.Sys().(syscall.WaitStatus).ExitStatus() != 1 || e.UserTime() != 0 {
		t.Errorf("ProcessState: %v", e.ProcessState)
	}
	// As in go-iptables, the ExitError is embedded by value.
	var ee exec.ExitError = e.ExitError
	if ee.ExitCode() != 1 {
		t.Errorf("embedded ExitError: %v", ee.ExitCode())
	}
	e4 := newError(nil, 4, "Another app is currently holding the xtables lock. Stopped waiting after 1s.\n")
	if e4.IsNotExist() || e4.ExitStatus() != 4 || e4.ExitCode() != 4 {
		t.Errorf("lock error: %v", e4)
	}
	for _, m := range []string{
		"iptables: No chain/target/match by that name.\n",
		"iptables v1.8.11 (legacy): can't initialize iptables table `x': Table does not exist (do you need to insmod?)\n",
		"iptables v1.8.11 (legacy): Couldn't load target `X':No such file or directory\n",
	} {
		if !newError(nil, 1, m).IsNotExist() {
			t.Errorf("IsNotExist(%q) false", m)
		}
	}
}

func TestParseStat(t *testing.T) {
	ipt, _ := New()
	row := []string{"5", "300", "ACCEPT", "6", "--", "eth0", "*", "10.0.0.0/8", "192.0.2.1/32", "tcp dpt:22"}
	s, err := ipt.ParseStat(row)
	if err != nil {
		t.Fatal(err)
	}
	_, src, _ := net.ParseCIDR("10.0.0.0/8")
	_, dst, _ := net.ParseCIDR("192.0.2.1/32")
	want := Stat{5, 300, "ACCEPT", "6", "--", "eth0", "*", src, dst, "tcp dpt:22"}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("got %+v", s)
	}
	b, _ := json.Marshal(s)
	if !strings.Contains(string(b), `"pkts":5,"bytes":300,"target":"ACCEPT","prot":"6","opt":"--","in":"eth0","out":"*","source":{`) {
		t.Errorf("json %s", b)
	}
	if _, err := ipt.ParseStat(row[:9]); err == nil || err.Error() != "stat contained fewer fields than expected" {
		t.Errorf("short row: %v", err)
	}
	bad := append([]string{"x"}, row[1:]...)
	if _, err := ipt.ParseStat(bad); err == nil ||
		err.Error() != `strconv.ParseUint: parsing "x": invalid syntax%!(EXTRA string=could not parse packets)` {
		t.Errorf("bad packets: %v", err)
	}
}

func TestCounterSuffix(t *testing.T) {
	for in, want := range map[string]string{
		"-A foo -p tcp -j ACCEPT":         "-A foo -p tcp -j ACCEPT",
		"[99:42] -A foo -p tcp -j ACCEPT": "-A foo -p tcp -j ACCEPT -c 99 42",
		"[x:42] -A foo":                   "[x:42] -A foo",
	} {
		if got := counterSuffix(in); got != want {
			t.Errorf("%q: %q", in, got)
		}
	}
}

func TestChains(t *testing.T) {
	inNetns(t, func(t *testing.T, ipt *IPTables) {
		orig, err := ipt.ListChains("filter")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(orig, []string{"INPUT", "FORWARD", "OUTPUT"}) {
			t.Errorf("ListChains: %q", orig)
		}
		if ok, err := ipt.ChainExists("filter", "c1"); ok || err != nil {
			t.Errorf("ChainExists of a missing chain: %v %v", ok, err)
		}
		if err := ipt.ClearChain("filter", "c1"); err != nil { // makes it
			t.Fatal(err)
		}
		if ok, err := ipt.ChainExists("filter", "c1"); !ok || err != nil {
			t.Errorf("ChainExists: %v %v", ok, err)
		}
		if err := ipt.Append("filter", "c1", "-s", "0/0", "-j", "ACCEPT"); err != nil {
			t.Fatal(err)
		}
		// NewChain of an existing chain: exit status 1, not IsNotExist.
		err = ipt.NewChain("filter", "c1")
		var e *Error
		if !errors.As(err, &e) || e.ExitStatus() != 1 || e.IsNotExist() ||
			!strings.HasSuffix(e.Error(), "exit status 1: "+program(ipt.family())+": Chain already exists.\n") {
			t.Errorf("NewChain of c1: %v", err)
		}
		// A chain with rules cannot go.
		err = ipt.DeleteChain("filter", "c1")
		if !errors.As(err, &e) || e.ExitStatus() != 1 || e.IsNotExist() {
			t.Errorf("DeleteChain of a full chain: %v", err)
		}
		if err := ipt.ClearChain("filter", "c1"); err != nil { // flushes it
			t.Fatal(err)
		}
		if r, _ := ipt.List("filter", "c1"); !reflect.DeepEqual(r, []string{"-N c1"}) {
			t.Errorf("after ClearChain: %q", r)
		}
		if err := ipt.RenameChain("filter", "c1", "c2"); err != nil {
			t.Fatal(err)
		}
		if c, _ := ipt.ListChains("filter"); !reflect.DeepEqual(c, []string{"INPUT", "FORWARD", "OUTPUT", "c2"}) {
			t.Errorf("after rename: %q", c)
		}
		if err := ipt.DeleteChain("filter", "c2"); err != nil {
			t.Fatal(err)
		}
		err = ipt.DeleteChain("filter", "c2")
		if !errors.As(err, &e) || !e.IsNotExist() || e.ExitStatus() != 1 {
			t.Errorf("DeleteChain twice: %v", err)
		}
		if c, _ := ipt.ListChains("filter"); !reflect.DeepEqual(c, orig) {
			t.Errorf("chains after: %q", c)
		}
		// ClearAndDeleteChain: of a chain with rules, then of none.
		ipt.NewChain("filter", "c3")
		ipt.Append("filter", "c3", "-j", "ACCEPT")
		if err := ipt.ClearAndDeleteChain("filter", "c3"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := ipt.ChainExists("filter", "c3"); ok {
			t.Error("ClearAndDeleteChain left c3")
		}
		if err := ipt.ClearAndDeleteChain("filter", "c3"); err != nil {
			t.Errorf("ClearAndDeleteChain of none: %v", err)
		}
		// Other tables; a table that does not exist.
		if c, err := ipt.ListChains("nat"); err != nil || !reflect.DeepEqual(c, []string{"PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"}) {
			t.Errorf("ListChains nat: %q %v", c, err)
		}
		_, err = ipt.ListChains("nosuchtable")
		if !errors.As(err, &e) || e.ExitStatus() != 3 || !e.IsNotExist() {
			t.Errorf("ListChains of no table: %v", err)
		}
		if ok, err := ipt.ChainExists("nosuchtable", "x"); ok || !errors.As(err, &e) || e.ExitStatus() != 3 {
			t.Errorf("ChainExists in no table: %v %v", ok, err)
		}
		// The kernel has what the listing says.
		legacyOut := legacy(t, ipt, "-S")
		if strings.Contains(legacyOut, "-N") {
			t.Errorf("chains left:\n%s", legacyOut)
		}
	})
}

func TestRules(t *testing.T) {
	inNetns(t, func(t *testing.T, ipt *IPTables) {
		a1, a2, n1, n2 := addrs(ipt)
		if err := ipt.ClearChain("filter", "r"); err != nil {
			t.Fatal(err)
		}
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(ipt.Append("filter", "r", "-s", n1, "-d", a1, "-j", "ACCEPT"))
		must(ipt.AppendUnique("filter", "r", "-s", n1, "-d", a1, "-j", "ACCEPT")) // there already
		must(ipt.Append("filter", "r", "-s", n2, "-d", a1, "-j", "ACCEPT"))
		must(ipt.Insert("filter", "r", 2, "-s", n2, "-d", a2, "-j", "ACCEPT"))
		must(ipt.InsertUnique("filter", "r", 1, "-s", n2, "-d", a2, "-j", "ACCEPT")) // there already
		must(ipt.InsertUnique("filter", "r", 1, "-s", n1, "-d", a2, "-j", "DROP"))
		must(ipt.Replace("filter", "r", 1, "-s", n1, "-d", a2, "-j", "REJECT"))
		must(ipt.AppendUnique("filter", "r", "-p", "tcp", "--dport", "22", "-m", "comment", "--comment", "ssh in", "-j", "ACCEPT"))
		want := []string{
			"-N r",
			"-A r -s " + n1 + " -d " + a2 + " -j REJECT --reject-with " + map[Protocol]string{ProtocolIPv4: "icmp-port-unreachable", ProtocolIPv6: "icmp6-port-unreachable"}[ipt.Proto()],
			"-A r -s " + n1 + " -d " + a1 + " -j ACCEPT",
			"-A r -s " + n2 + " -d " + a2 + " -j ACCEPT",
			"-A r -s " + n2 + " -d " + a1 + " -j ACCEPT",
			`-A r -p tcp -m tcp --dport 22 -m comment --comment "ssh in" -j ACCEPT`,
		}
		rules, err := ipt.List("filter", "r")
		must(err)
		if !reflect.DeepEqual(rules, want) {
			t.Fatalf("List:\n%q\nwant\n%q", rules, want)
		}
		// What the kernel has, by iptables-legacy.
		if got := strings.Split(strings.TrimSpace(legacy(t, ipt, "-S", "r")), "\n"); !reflect.DeepEqual(got, want) {
			t.Errorf("iptables-legacy -S r:\n%q", got)
		}
		for i := 1; i < len(want); i++ {
			if r, err := ipt.ListById("filter", "r", i); err != nil || r != want[i] {
				t.Errorf("ListById %d: %q %v", i, r, err)
			}
		}
		if _, err := ipt.ListById("filter", "r", 99); err == nil {
			t.Error("ListById past the end: no error")
		}
		// Exists.
		if ok, err := ipt.Exists("filter", "r", "-s", n2, "-d", a1, "-j", "ACCEPT"); !ok || err != nil {
			t.Errorf("Exists: %v %v", ok, err)
		}
		if ok, err := ipt.Exists("filter", "r", "-s", n2, "-d", a1, "-j", "DROP"); ok || err != nil {
			t.Errorf("Exists of none: %v %v", ok, err)
		}
		if ok, err := ipt.Exists("filter", "nochain", "-j", "DROP"); ok || err != nil {
			t.Errorf("Exists in no chain: %v %v", ok, err)
		}
		var e *Error
		if ok, err := ipt.Exists("filter", "r", "--bogus"); ok || !errors.As(err, &e) || e.ExitStatus() != 2 {
			t.Errorf("Exists with a bad rule: %v %v", ok, err)
		}
		// Counters.
		withCounters, err := ipt.ListWithCounters("filter", "r")
		must(err)
		for i, l := range withCounters[1:] {
			if w := strings.Replace(want[i+1], " -j ", " -c 0 0 -j ", 1); l != w {
				t.Errorf("ListWithCounters %d: %q, want %q", i, l, w)
			}
		}
		// Stats.
		stats, err := ipt.Stats("filter", "r")
		must(err)
		if len(stats) != 5 {
			t.Fatalf("Stats: %q", stats)
		}
		// iptables 1.8.10 and later name the protocol under -n, as goipt
		// (1.8.11) does; 1.8.9 printed its number.
		if got := stats[2]; !reflect.DeepEqual(got, []string{"0", "0", "ACCEPT", "all", "--", "*", "*", n2, a2, ""}) {
			t.Errorf("Stats row 3: %q", got)
		}
		if got := stats[4]; got[3] != "tcp" || got[9] != `tcp dpt:22 /* ssh in */` {
			t.Errorf("Stats row 5: %q", got)
		}
		ss, err := ipt.StructuredStats("filter", "r")
		must(err)
		if len(ss) != 5 || ss[2].Source.String() != n2 || ss[2].Destination.String() != a2 || ss[2].Target != "ACCEPT" {
			t.Errorf("StructuredStats: %+v", ss)
		}
		// Delete, DeleteIfExists, DeleteById.
		must(ipt.Delete("filter", "r", "-s", n2, "-d", a2, "-j", "ACCEPT"))
		err = ipt.Delete("filter", "r", "-s", n2, "-d", a2, "-j", "ACCEPT")
		if !errors.As(err, &e) || !e.IsNotExist() || e.ExitStatus() != 1 {
			t.Errorf("Delete twice: %v", err)
		}
		must(ipt.DeleteIfExists("filter", "r", "-s", n1, "-d", a1, "-j", "ACCEPT"))
		must(ipt.DeleteIfExists("filter", "r", "-s", n1, "-d", a1, "-j", "ACCEPT"))
		must(ipt.DeleteById("filter", "r", 1))
		rules, _ = ipt.List("filter", "r")
		if !reflect.DeepEqual(rules, []string{"-N r", want[4], want[5]}) {
			t.Errorf("after deletes: %q", rules)
		}
		err = ipt.DeleteById("filter", "r", 9)
		if !errors.As(err, &e) || e.ExitStatus() != 1 || !strings.Contains(e.Error(), "Index of deletion too big") {
			t.Errorf("DeleteById 9: %v", err)
		}
		// ChangePolicy, List of a built-in chain, ClearAll, DeleteAll.
		must(ipt.ChangePolicy("filter", "FORWARD", "DROP"))
		must(ipt.Append("filter", "INPUT", "-j", "r"))
		if r, _ := ipt.List("filter", "FORWARD"); !reflect.DeepEqual(r, []string{"-P FORWARD DROP"}) {
			t.Errorf("List FORWARD: %q", r)
		}
		err = ipt.ChangePolicy("filter", "r", "DROP")
		if !errors.As(err, &e) || e.ExitStatus() != 1 {
			t.Errorf("ChangePolicy of a user chain: %v", err)
		}
		must(ipt.ClearAll())
		if r, _ := ipt.List("filter", "INPUT"); len(r) != 1 {
			t.Errorf("after ClearAll: %q", r)
		}
		must(ipt.DeleteAll())
		if c, _ := ipt.ListChains("filter"); len(c) != 3 {
			t.Errorf("after DeleteAll: %q", c)
		}
		// Errors as iptables reports them.
		err = ipt.Append("filter", "INPUT", "-j", "NOSUCHTARGET")
		if !errors.As(err, &e) || e.ExitStatus() != 2 ||
			!strings.Contains(e.Error(), " -t filter -A INPUT -j NOSUCHTARGET --wait]: exit status 2: ") ||
			!strings.Contains(e.Error(), "Couldn't load target `NOSUCHTARGET'") {
			t.Errorf("bad target: %v", err)
		}
		if _, err := ipt.List("filter", "nochain"); !errors.As(err, &e) || !e.IsNotExist() {
			t.Errorf("List of no chain: %v", err)
		}
	})
}

// TestListByIdNAT: DNAT rules read back by position.
func TestListByIdNAT(t *testing.T) {
	netnstest.Run(t, func() {
		ipt, _ := New()
		for i := 0; i < 3; i++ {
			spec := strings.Fields(fmt.Sprintf("-i lo -p tcp -m tcp --dport 3000 -j DNAT --to-destination 127.0.0.1:300%d", i))
			if err := ipt.Append("nat", "PREROUTING", spec...); err != nil {
				t.Fatal(err)
			}
			r, err := ipt.ListById("nat", "PREROUTING", i+1)
			want := "-A PREROUTING " + strings.Join(spec, " ")
			if err != nil || r != want {
				t.Errorf("rule %d: %q %v", i+1, r, err)
			}
		}
		if err := ipt.ClearChain("nat", "PREROUTING"); err != nil {
			t.Fatal(err)
		}
	})
}

// TestTimeout: a lock held by another process makes a call with a timeout
// fail as iptables -w 1 does; one without waits until it is released.
func TestTimeout(t *testing.T) {
	netnstest.Run(t, func() {
		path := iptc.LockFile()
		f, err := os.OpenFile(path, os.O_CREATE|os.O_RDONLY, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		// flock(1) in a child holds it.
		holder := exec.Command("flock", "-x", path, "sleep", "3")
		if err := holder.Start(); err != nil {
			t.Skip("no flock(1):", err)
		}
		defer holder.Wait()
		time.Sleep(300 * time.Millisecond)
		ipt, _ := New(Timeout(1))
		start := time.Now()
		err = ipt.NewChain("filter", "x")
		var e *Error
		if !errors.As(err, &e) || e.ExitStatus() != 4 ||
			!strings.Contains(e.Error(), "Another app is currently holding the xtables lock. Stopped waiting after 1s.") ||
			!strings.Contains(e.Error(), "--wait 1]") {
			t.Errorf("with the lock held: %v", err)
		}
		if d := time.Since(start); d < 900*time.Millisecond || d > 2500*time.Millisecond {
			t.Errorf("waited %v", d)
		}
		ipt2, _ := New()
		if err := ipt2.NewChain("filter", "x"); err != nil {
			t.Errorf("waiting forever: %v", err)
		}
		if time.Since(start) < 2*time.Second {
			t.Error("did not wait for the lock")
		}
	})
}

// TestConcurrent: calls from many goroutines, each on a thread of its own
// moved into the test's namespace, are serialized: every rule arrives.
func TestConcurrent(t *testing.T) {
	netnstest.Run(t, func() {
		ipt, _ := New()
		if err := ipt.NewChain("filter", "par"); err != nil {
			t.Fatal(err)
		}
		ns, err := os.Open("/proc/thread-self/ns/net")
		if err != nil {
			t.Fatal(err)
		}
		defer ns.Close()
		var wg sync.WaitGroup
		errs := make(chan error, 100)
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				// Never unlocked: the thread dies with the goroutine
				// instead of going back to the scheduler in this namespace.
				runtime.LockOSThread()
				if err := unix.Setns(int(ns.Fd()), unix.CLONE_NEWNET); err != nil {
					errs <- err
					return
				}
				for i := 0; i < 10; i++ {
					if err := ipt.Append("filter", "par", "-s", fmt.Sprintf("10.%d.%d.1", g, i), "-j", "ACCEPT"); err != nil {
						errs <- err
					}
				}
			}(g)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if r, _ := ipt.List("filter", "par"); len(r) != 81 {
			t.Errorf("%d rules", len(r)-1)
		}
	})
}

// TestErrorsAsIptablesLegacy: failing calls give the exit status and
// stderr that go-iptables gets from iptables-legacy for the same command
// line (version strings aside: goipt says 1.8.11).
func TestErrorsAsIptablesLegacy(t *testing.T) {
	version := regexp.MustCompile(`v1\.8\.[0-9]+`)
	inNetns(t, func(t *testing.T, ipt *IPTables) {
		cmd := "iptables-legacy"
		if ipt.Proto() == ProtocolIPv6 {
			cmd = "ip6tables-legacy"
		}
		if err := ipt.NewChain("filter", "full"); err != nil {
			t.Fatal(err)
		}
		ipt.Append("filter", "full", "-j", "ACCEPT")
		ipt.NewChain("filter", "other")
		for _, c := range []struct {
			name string
			call func() error
			args []string
		}{
			{"delete missing rule", func() error { return ipt.Delete("filter", "full", "-j", "DROP") },
				[]string{"-t", "filter", "-D", "full", "-j", "DROP"}},
			{"delete missing chain", func() error { return ipt.DeleteChain("filter", "nope") },
				[]string{"-t", "filter", "-X", "nope"}},
			{"delete full chain", func() error { return ipt.DeleteChain("filter", "full") },
				[]string{"-t", "filter", "-X", "full"}},
			{"new existing chain", func() error { return ipt.NewChain("filter", "full") },
				[]string{"-t", "filter", "-N", "full"}},
			{"rename onto existing", func() error { return ipt.RenameChain("filter", "full", "other") },
				[]string{"-t", "filter", "-E", "full", "other"}},
			{"append to missing chain", func() error { return ipt.Append("filter", "nope", "-j", "ACCEPT") },
				[]string{"-t", "filter", "-A", "nope", "-j", "ACCEPT"}},
			{"unknown target", func() error { return ipt.Append("filter", "full", "-j", "NOPE") },
				[]string{"-t", "filter", "-A", "full", "-j", "NOPE"}},
			{"unknown option", func() error { return ipt.Append("filter", "full", "--nope") },
				[]string{"-t", "filter", "-A", "full", "--nope"}},
			{"bad port", func() error { return ipt.Append("filter", "full", "-p", "tcp", "--dport", "x") },
				[]string{"-t", "filter", "-A", "full", "-p", "tcp", "--dport", "x"}},
			{"insert past the end", func() error { return ipt.Insert("filter", "full", 5, "-j", "ACCEPT") },
				[]string{"-t", "filter", "-I", "full", "5", "-j", "ACCEPT"}},
			{"replace past the end", func() error { return ipt.Replace("filter", "full", 5, "-j", "ACCEPT") },
				[]string{"-t", "filter", "-R", "full", "5", "-j", "ACCEPT"}},
			{"delete by id past the end", func() error { return ipt.DeleteById("filter", "full", 5) },
				[]string{"-t", "filter", "-D", "full", "5"}},
			{"policy of a user chain", func() error { return ipt.ChangePolicy("filter", "full", "DROP") },
				[]string{"-t", "filter", "-P", "full", "DROP"}},
			{"bad policy", func() error { return ipt.ChangePolicy("filter", "INPUT", "NOPE") },
				[]string{"-t", "filter", "-P", "INPUT", "NOPE"}},
			{"missing table", func() error { return ipt.NewChain("nope", "x") },
				[]string{"-t", "nope", "-N", "x"}},
			{"list missing chain", func() error { _, err := ipt.List("filter", "nope"); return err },
				[]string{"-t", "filter", "-S", "nope"}},
			{"stats of missing chain", func() error { _, err := ipt.Stats("filter", "nope"); return err },
				[]string{"-t", "filter", "-L", "nope", "-n", "-v", "-x"}},
		} {
			err := c.call()
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("%s: %v is not an *Error", c.name, err)
				continue
			}
			_, stderr, code := netnstest.Exec(t, cmd, append(c.args, "--wait")...)
			if code == 0 {
				t.Errorf("%s: %s succeeded", c.name, cmd)
			}
			if e.ExitStatus() != code || version.ReplaceAllString(e.msg, "vX") != version.ReplaceAllString(stderr, "vX") {
				t.Errorf("%s: goiptables exit %d %q\n%s exit %d %q", c.name, e.ExitStatus(), e.msg, cmd, code, stderr)
			}
			wantText := fmt.Sprintf("running [%s %s --wait]: exit status %d: ", ipt.path, strings.Join(c.args, " "), code)
			if !strings.HasPrefix(e.Error(), wantText) {
				t.Errorf("%s: %q", c.name, e.Error())
			}
		}
	})
}
