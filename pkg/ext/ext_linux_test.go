// SPDX-License-Identifier: GPL-2.0-or-later

package ext

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/goipt/goipt/pkg/parse"
)

// buildRule parses "-m match --opt value ... -j TARGET --opt value" words
// the simple way (each option takes one argument) and returns what -S
// prints of the rule's extensions.
func buildRule(t testing.TB, x *Xtables, proto uint16, words ...string) (string, error) {
	t.Helper()
	if err := x.Reset(); err != nil {
		return "", err
	}
	x.SetHeader(&Header{Proto: proto})
	var cur *Ext
	for i := 0; i < len(words); i++ {
		switch w := words[i]; {
		case w == "-m":
			i++
			e, err := x.LoadMatch(words[i], MustSucceed)
			if err != nil {
				return "", err
			}
			cur = e
		case w == "-j":
			i++
			e, err := x.LoadTarget(words[i])
			if err != nil {
				return "", err
			}
			if e == nil {
				if err := x.StdTarget(words[i], false); err != nil {
					return "", err
				}
			}
			cur = e
		case strings.HasPrefix(w, "--"):
			var opt *Option
			for j := range cur.Options {
				if cur.Options[j].Name == w[2:] {
					opt = &cur.Options[j]
				}
			}
			if opt == nil {
				return "", fmt.Errorf("no option %s in %s", w, cur.Name)
			}
			arg := ""
			if opt.HasArg == 1 {
				i++
				arg = words[i]
			}
			x.SetArgv(words)
			if _, err := x.ParseOption(cur, opt.ID, arg, opt.HasArg == 1, false, i+1); err != nil {
				return "", err
			}
		}
	}
	if err := x.FinalCheck(); err != nil {
		return "", err
	}
	entry, _, err := x.Build()
	if err != nil {
		return "", err
	}
	m, err := x.SaveMatches(entry)
	if err != nil {
		return "", err
	}
	name := EntryTargetName(x.Family(), entry)
	if ok, _ := x.IsTarget(name); !ok || isVerdict(name) {
		// A verdict as built, not as the kernel returns it (with an
		// empty name): SaveTarget is for entries read back.
		return m + " -j " + name, nil
	}
	tg, err := x.SaveTarget(entry, name, false)
	return m + tg, err
}

func TestParseAndSave(t *testing.T) {
	for _, tc := range []struct {
		fam   Family
		proto uint16
		words string
		want  string
	}{
		{IPv4, 6, "-m tcp --dport 22 -j ACCEPT", " -m tcp --dport 22 -j ACCEPT"},
		{IPv4, 0, "-m comment --comment x -m mark --mark 0x1/0xff -j LOG --log-prefix p:", " -m comment --comment x -m mark --mark 0x1/0xff -j LOG --log-prefix \"p:\""},
		{IPv6, 58, "-m icmp6 --icmpv6-type 128 -j REJECT --reject-with icmp6-adm-prohibited", " -m icmp6 --icmpv6-type 128 -j REJECT --reject-with icmp6-adm-prohibited"},
		{IPv6, 0, "-j LOG --log-prefix six", " -j LOG --log-prefix six"},
		{IPv4, 0, "-j LOG --log-prefix four", " -j LOG --log-prefix four"},
	} {
		var got string
		err := Run(tc.fam, "iptables", func(x *Xtables) (err error) {
			got, err = buildRule(t, x, tc.proto, strings.Fields(tc.words)...)
			return err
		})
		if err != nil || got != tc.want {
			t.Errorf("%v %s: %q %v, want %q", tc.fam, tc.words, got, err, tc.want)
		}
	}
}

// TestErrorsAreTrapped: libxtables' error path returns iptables' message
// and status instead of exiting, and the process goes on working.
func TestErrorsAreTrapped(t *testing.T) {
	for _, tc := range []struct {
		words, msg string
		status     int
	}{
		{"-m tcp --dport 99999", "invalid port/service `99999' specified", parse.ParameterProblem},
		{"-m nosuchmatch", "Couldn't load match `nosuchmatch':No such file or directory\n", parse.ParameterProblem},
		{"-m conntrack --ctstate BOGUS", "Bad ctstate \"BOGUS\"", parse.ParameterProblem},
		{"-m limit --limit 1/fortnight", "bad rate \"1/fortnight\"'", parse.ParameterProblem},
	} {
		err := Run(IPv4, "iptables", func(x *Xtables) error {
			_, err := buildRule(t, x, 6, strings.Fields(tc.words)...)
			return err
		})
		var e *parse.Error
		if !errors.As(err, &e) || e.Msg != tc.msg || e.Status != tc.status || !errors.Is(err, parse.ErrParameter) {
			t.Errorf("%s: %#v, want %q status %d", tc.words, err, tc.msg, tc.status)
		}
	}
	// Still working afterwards.
	err := Run(IPv4, "iptables", func(x *Xtables) error {
		_, err := buildRule(t, x, 6, "-m", "tcp", "--dport", "80", "-j", "ACCEPT")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestAddresses(t *testing.T) {
	err := Run(IPv4, "iptables", func(x *Xtables) error {
		addrs, masks, err := x.ParseAddresses("10.0.0.0/8,192.168.1.1")
		if err != nil {
			return err
		}
		want := []netip.Addr{netip.MustParseAddr("10.0.0.0"), netip.MustParseAddr("192.168.1.1")}
		if len(addrs) != 2 || addrs[0] != want[0] || addrs[1] != want[1] ||
			masks[0] != netip.MustParseAddr("255.0.0.0") || masks[1] != netip.MustParseAddr("255.255.255.255") {
			t.Errorf("addrs %v masks %v", addrs, masks)
		}
		if got := x.SaveAddr('s', addrs[0], masks[0], true); got != " ! -s 10.0.0.0/8" {
			t.Errorf("SaveAddr %q", got)
		}
		if got := x.AddrString(addrs[1], masks[1], true); got != "192.168.1.1" {
			t.Errorf("AddrString %q", got)
		}
		_, _, err = x.ParseAddresses("300.1.1.1")
		if err == nil || err.Error() != "host/network `300.1.1.1' not found" {
			t.Errorf("bad address: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestConcurrentUse: many goroutines, both families, one libxtables.
func TestConcurrentUse(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			fam, want := IPv4, " -m tcp --dport %d -j LOG --log-prefix g%d"
			if g%2 == 1 {
				fam = IPv6
			}
			for i := 0; i < 50; i++ {
				port := 1000 + g*100 + i
				var got string
				err := Run(fam, "iptables", func(x *Xtables) (err error) {
					got, err = buildRule(t, x, 6, "-m", "tcp", "--dport", fmt.Sprint(port), "-j", "LOG", "--log-prefix", fmt.Sprintf("g%d", g))
					return err
				})
				if err != nil || got != fmt.Sprintf(want, port, g) {
					errs <- fmt.Errorf("goroutine %d: %q %v", g, got, err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestPluginsAndProtocols(t *testing.T) {
	err := Run(IPv6, "ip6tables", func(x *Xtables) error {
		matches, targets, err := x.Plugins()
		if err != nil {
			return err
		}
		has := func(list []string, name string) bool {
			for _, n := range list {
				if n == name {
					return true
				}
			}
			return false
		}
		if !has(matches, "icmp6") || has(matches, "icmp") || !has(targets, "LOG") || !has(matches, "tcp") {
			t.Errorf("matches %v targets %v", matches, targets)
		}
		if n, _ := x.ProtoName(58, true); n != "ipv6-icmp" {
			t.Errorf("ProtoName(58) %q", n)
		}
		if p, err := x.ParseProtocol("udplite"); err != nil || p != 136 {
			t.Errorf("ParseProtocol(udplite) %d %v", p, err)
		}
		// The names read without the shim give what the shim gives, and
		// the rest still goes to it (numbers, /etc/protocols, errors).
		if len(protoNumbers) < 10 {
			t.Errorf("protocol table: %v", protoNumbers)
		}
		for name, n := range protoNumbers {
			if c, err := x.parseProtocolC(name); err != nil || c != n {
				t.Errorf("%s: table %d, shim %d %v", name, n, c, err)
			}
		}
		for s, want := range map[string]uint16{"6": 6, "0x11": 17, "gre": 47, "ospf": 89} {
			if p, err := x.ParseProtocol(s); err != nil || p != want {
				t.Errorf("ParseProtocol(%s) %d %v, want %d", s, p, err, want)
			}
		}
		if _, err := x.ParseProtocol("nonesuch"); err == nil || err.Error() != `unknown protocol "nonesuch" specified` {
			t.Errorf("ParseProtocol(nonesuch): %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// isVerdict tells the standard target's names apart from extensions.
func isVerdict(name string) bool {
	switch name {
	case "ACCEPT", "DROP", "QUEUE", "RETURN", "":
		return true
	}
	return false
}

// TestSaveAddr4MatchesC: the Go paths of SaveAddr and AddrString (-L -n)
// print what iptables
// save_ipv4_addr and print_ipv4_addresses (the C shim) print.
func TestSaveAddr4MatchesC(t *testing.T) {
	masks := []string{"0.0.0.0", "255.255.255.255", "255.0.0.0", "255.255.255.254", "128.0.0.0",
		"255.0.255.0", "0.0.0.255", "255.255.0.1", "255.255.255.0", "255.255.252.0", "254.0.0.0"}
	addrs := []string{"0.0.0.0", "10.0.0.0", "192.168.1.7", "255.255.255.255"}
	err := Run(IPv4, "iptables", func(x *Xtables) error {
		for _, a := range addrs {
			for _, m := range masks {
				for _, inv := range []bool{false, true} {
					addr, mask := netip.MustParseAddr(a), netip.MustParseAddr(m)
					want := x.saveAddrC('d', addr, mask, inv)
					if got := x.SaveAddr('d', addr, mask, inv); got != want {
						t.Errorf("%s/%s inv %v: %q, C %q", a, m, inv, got, want)
					}
					want = x.addrStringC(addr, mask, true)
					if got := x.AddrString(addr, mask, true); got != want {
						t.Errorf("-L -n %s/%s: %q, C %q", a, m, got, want)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestNumericAddressMatchesLibxtables: the Go reading of numeric addresses
// gives what xtables_ipparse_multiple (and its IPv6 twin) give, and leaves
// everything else to them.
func TestNumericAddressMatchesLibxtables(t *testing.T) {
	cases := map[Family][]string{
		IPv4: {"0.0.0.0/0", "10.0.0.0/8", "10.1.2.3/8", "192.168.1.7", "192.168.1.7/32", "1.2.3.4/0",
			"255.255.255.255/31", "1.2.3.4/33", "010.0.0.1", "1.2.3", "1.2.3.4/08", "1.2.3.256",
			"1.2.3.4/255.255.0.0", "localhost", "1.2.3.4,5.6.7.8", " 1.2.3.4", "1.2.3.4/", "0.0.0.0",
			"1.2.3.4.5", "1..2.3", "1.2.3.4.", ".1.2.3", "1.2.3.4/8/8"},
		IPv6: {"::0/0", "::/0", "::1", "2001:db8::/32", "2001:db8::1/64", "fe80::1/10", "::ffff:1.2.3.4",
			"2001:db8::1/129", "2001:DB8::1/128", "fe80::1%eth0", "::1/ffff::", "ip6-localhost", "1.2.3.4"},
	}
	for fam, specs := range cases {
		err := Run(fam, "iptables", func(x *Xtables) error {
			for _, spec := range specs {
				a, m, ok := numericAddress(fam, spec)
				ca, cm, cerr := x.parseAddressesC(spec)
				if !ok {
					continue // libxtables' own
				}
				if cerr != nil || len(ca) != 1 || ca[0] != a || cm[0] != m {
					t.Errorf("%v %q: Go %v/%v, libxtables %v/%v %v", fam, spec, a, m, ca, cm, cerr)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, spec := range []string{"10.0.0.0/8", "192.168.1.7"} {
		if _, _, ok := numericAddress(IPv4, spec); !ok {
			t.Errorf("%q not taken by the Go reading", spec)
		}
	}
}

// TestNumericPortsAsLibc: the ports port_shim.c answers are the ports
// libc's getaddrinfo gives libxtables, and it leaves alone every string
// that is not plainly a port number.
func TestNumericPortsAsLibc(t *testing.T) {
	services := []string{"0", "00", "000", "053", "00080", "08", "09", "65535", "65534", "1", "22", "443", "8080", "32768"}
	for p := 0; p < 65536; p += 997 {
		services = append(services, fmt.Sprint(p))
	}
	for _, s := range services {
		fast, libc := portLookups(s)
		if fast < 0 || fast != libc {
			t.Errorf("%q: fast path %d, libc %d", s, fast, libc)
		}
	}
	for _, s := range []string{"", "65536", "99999", "000053", "123456", "+5", " 5", "5 ", "-1", "0x10", "1e3", "http", "5a", "٣"} {
		if fast, _ := portLookups(s); fast != -2 {
			t.Errorf("%q: fast path answered %d", s, fast)
		}
	}
}

// TestPortsParsedWithoutResolver: a plugin's port option parsed inside Run
// takes the fast path, and the rule is the same as the resolver's.
func TestPortsParsedWithoutResolver(t *testing.T) {
	before := portAnswers()
	var got string
	err := Run(IPv4, "iptables", func(x *Xtables) (err error) {
		got, err = buildRule(t, x, 17, "-m", "udp", "--dport", "53", "--sport", "1024:65535", "-j", "ACCEPT")
		return err
	})
	if err != nil || got != " -m udp --sport 1024:65535 --dport 53 -j ACCEPT" {
		t.Fatalf("%q %v", got, err)
	}
	if n := portAnswers() - before; n != 3 {
		t.Errorf("%d ports answered by the fast path, want 3", n)
	}
	// Outside Run (any other caller in the process) libc answers, through
	// the same symbol: numbers, names of services and of hosts.
	before = portAnswers()
	if _, err := net.LookupPort("udp", "53"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		node, service string
		want          int
	}{{"", "53", 53}, {"localhost", "8080", 8080}, {"127.0.0.1", "ssh", 22}, {"", "no-such-service", -1}} {
		if got := lookupPort(c.node, c.service); got != c.want {
			t.Errorf("getaddrinfo(%q, %q) outside Run: port %d, want %d", c.node, c.service, got, c.want)
		}
	}
	if portAnswers() != before {
		t.Error("the fast path answered outside ext.Run")
	}
	// Past 65535 libc answers (glibc truncates to 16 bits: iptables-legacy
	// lists --dport 65536 as --dport 0), and so the rule is libc's.
	before = portAnswers()
	err = Run(IPv4, "iptables", func(x *Xtables) (err error) {
		got, err = buildRule(t, x, 17, "-m", "udp", "--dport", "65536", "-j", "ACCEPT")
		return err
	})
	if err != nil || got != " -m udp --dport 0 -j ACCEPT" || portAnswers() != before {
		t.Errorf("--dport 65536: %q %v (fast path answers: %d)", got, err, portAnswers()-before)
	}
}

// builtEntries builds each rule (words as buildRule takes them, protocol
// tcp) into a kernel entry as libiptc gives rules back (a verdict's name
// empty in the entry, named by libiptc), with its target name.
func builtEntries(t *testing.T, x *Xtables, rules [][]string) (entries [][]byte, targets []string, err error) {
	for _, words := range rules {
		if _, err := buildRule(t, x, 6, words...); err != nil {
			return nil, nil, err
		}
		entry, _, err := x.Build()
		if err != nil {
			return nil, nil, err
		}
		name := EntryTargetName(IPv4, entry)
		if isVerdict(name) {
			if i := bytes.LastIndex(entry, []byte(name+"\x00")); i >= 0 {
				clear(entry[i : i+len(name)])
			}
			name = words[len(words)-1]
		}
		entries = append(entries, entry)
		targets = append(targets, name)
	}
	return entries, targets, nil
}

// TestSaveBatchAsSaveExts: a batch saves each rule as SaveExts does,
// including a rule whose match or target no plugin has (where both stop
// and what they printed up to there).
func TestSaveBatchAsSaveExts(t *testing.T) {
	rules := [][]string{
		{"-m", "tcp", "--dport", "22", "-m", "comment", "--comment", "first", "-j", "ACCEPT"},
		{"-m", "comment", "--comment", "second", "-j", "LOG", "--log-prefix", "p:"},
		{"-j", "DROP"},
		{"-m", "tcp", "--sport", "1024:65535", "-j", "REJECT", "--reject-with", "tcp-reset"},
	}
	err := Run(IPv4, "iptables", func(x *Xtables) error {
		entries, targets, err := builtEntries(t, x, rules)
		if err != nil {
			return err
		}
		// A copy whose comment match, or LOG target, no plugin has.
		badMatch := bytes.Replace(entries[1], []byte("comment\x00"), []byte("nosuchm\x00"), 1)
		badTarget := bytes.Replace(entries[1], []byte("LOG\x00"), []byte("ZZZ\x00"), 1)
		for _, set := range [][]int{{0, 1, 2, 3}, {0, 4, 2}, {2, 5, 3}, {4}} {
			var b Entries
			all := append(append([][]byte{}, entries...), badMatch, badTarget)
			names := append(append([]string{}, targets...), targets[1], targets[1])
			for _, i := range set {
				b.Add(all[i], names[i], EntryOpts{WithMatches: true})
			}
			out, ends, failed, targetFailed, err := x.SaveEntries(&b)
			out = append([]byte(nil), out...)
			start := 0
			for k, i := range set {
				ms, ts, wantTF, wantErr := x.SaveExts(all[i], names[i], false, true)
				if k >= len(ends) {
					t.Errorf("set %v: %d ends, rule %d missing", set, len(ends), k)
					break
				}
				gotMS, gotTS := string(out[start:ends[k][0]]), string(out[ends[k][0]:ends[k][1]])
				if gotMS != string(ms) || gotTS != string(ts) {
					t.Errorf("set %v rule %d: batch %q %q, SaveExts %q %q", set, k, gotMS, gotTS, ms, ts)
				}
				if wantErr != nil {
					if err == nil || failed != k || targetFailed != wantTF || err.Error() != wantErr.Error() {
						t.Errorf("set %v rule %d: batch failed at %d (target %v) %v, SaveExts (target %v) %v", set, k, failed, targetFailed, err, wantTF, wantErr)
					}
					break
				}
				start = ends[k][1]
			}
			if !slices.ContainsFunc(set, func(i int) bool { return i >= 4 }) && err != nil {
				t.Errorf("set %v: %v", set, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPrintBatchAsPrintExtensions: a batch prints each rule's extensions
// as PrintExtensions does (-L), numeric or not, including a match no
// plugin has and a jump to a chain.
func TestPrintBatchAsPrintExtensions(t *testing.T) {
	rules := [][]string{
		{"-m", "tcp", "--dport", "22", "-m", "comment", "--comment", "first", "-j", "ACCEPT"},
		{"-m", "comment", "--comment", "second", "-j", "LOG", "--log-prefix", "p:"},
		{"-m", "tcp", "--sport", "1024:65535", "-j", "REJECT", "--reject-with", "tcp-reset"},
		{"-m", "comment", "--comment", "to a chain", "-j", "ACCEPT"},
	}
	err := Run(IPv4, "iptables", func(x *Xtables) error {
		entries, targets, err := builtEntries(t, x, rules)
		if err != nil {
			return err
		}
		chains := []bool{false, false, false, true}
		targets[3] = "somechain"
		entries = append(entries, bytes.Replace(entries[1], []byte("comment\x00"), []byte("nosuchm\x00"), 1))
		targets = append(targets, targets[1])
		chains = append(chains, false)
		for _, numeric := range []bool{true, false} {
			var b Entries
			for i := range entries {
				b.Add(entries[i], targets[i], EntryOpts{IsChain: chains[i]})
			}
			out, ends, _, err := x.PrintEntries(&b, numeric)
			if err != nil {
				return err
			}
			out = append([]byte(nil), out...)
			ends = append([]int(nil), ends...)
			start := 0
			for i := range entries {
				want, err := x.PrintExtensions(entries[i], targets[i], chains[i], numeric)
				if err != nil {
					return err
				}
				if got := string(out[start:ends[i]]); got != want {
					t.Errorf("numeric %v rule %d: batch %q, PrintExtensions %q", numeric, i, got, want)
				}
				start = ends[i]
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
