// SPDX-License-Identifier: GPL-2.0-or-later

package ext_test

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/parse"
)

// Fuzzing the real extension parsers (the system's libxt_*.so) through
// pkg/ext, the way goipt drives them: load the extension, hand it one or two
// of its options with fuzzed arguments, run the final checks, build the
// entry, and print it back as -L and -S do. Every rejection must be an
// *parse.Error (libxtables' xtables_error, trapped) with an exit status and a
// message; nothing may crash the process or hang. `go test` runs the seeds;
// `make fuzz` searches further.
//
// Nothing here changes the kernel: parsing only asks which revisions the
// kernel supports. As root the work runs on a thread in an empty network
// namespace of its own all the same (no network: a host name in an address
// fails at once, without DNS).

// fuzzExtensions are the extensions fuzzed, per family. ipset's (set, SET)
// and bpf (which opens pinned objects) are left out: they reach into the
// kernel while parsing.
var fuzzExtensions = map[ext.Family][]string{
	ext.IPv4: {
		"tcp", "udp", "icmp", "multiport", "comment", "mark", "limit", "conntrack", "state", "hashlimit",
		"string", "u32", "iprange", "time", "length", "connlimit", "recent", "mac", "addrtype", "tos",
		"dscp", "ttl", "owner", "physdev", "pkttype", "statistic", "quota", "policy", "ecn", "helper",
		"connbytes", "connmark", "cpu", "dccp", "sctp", "esp", "ah", "tcpmss", "devgroup", "realm",
		"cluster", "rateest", "rpfilter", "socket", "ipcomp", "nfacct", "cgroup", "connlabel", "osf",
		"LOG", "REJECT", "MARK", "CONNMARK", "DNAT", "SNAT", "MASQUERADE", "REDIRECT", "NETMAP",
		"TCPMSS", "TPROXY", "NFQUEUE", "CT", "TTL", "DSCP", "TOS", "CLASSIFY", "NFLOG", "AUDIT",
		"CHECKSUM", "TEE", "IDLETIMER", "LED", "SECMARK", "CONNSECMARK", "SYNPROXY", "HMARK", "TRACE",
		"RATEEST", "TCPOPTSTRIP", "ECN", "CLUSTERIP", "NOTRACK",
	},
	ext.IPv6: {
		"tcp", "udp", "icmp6", "multiport", "comment", "mark", "conntrack", "hashlimit", "iprange",
		"hl", "frag", "rt", "dst", "hbh", "mh", "ipv6header", "srh", "eui64", "ah", "policy", "owner",
		"LOG", "REJECT", "MARK", "DNAT", "SNAT", "MASQUERADE", "NETMAP", "DNPT", "SNPT", "HL", "TPROXY",
		"TCPMSS", "CT", "NFQUEUE", "SYNPROXY", "HMARK",
	},
}

// isolated runs fn on a thread of its own, in an empty network namespace
// when the process may make one.
var isolated = sync.OnceValue(func() func(func()) {
	work := make(chan func())
	ready := make(chan bool)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread may be in another namespace
		ready <- os.Geteuid() == 0 && unix.Unshare(unix.CLONE_NEWNET) == nil
		for fn := range work {
			fn()
		}
	}()
	<-ready
	return func(fn func()) {
		done := make(chan struct{})
		work <- func() {
			defer close(done)
			fn()
		}
		<-done
	}
})

// checkExtError fails unless err is what iptables would print: an
// *parse.Error with an exit status and a message.
func checkExtError(t *testing.T, what string, err error) {
	t.Helper()
	var e *parse.Error
	if !errors.As(err, &e) {
		t.Fatalf("%s: %v (%T) is not an *parse.Error", what, err, err)
	}
	if e.Status < 1 || e.Status > 4 || strings.TrimSpace(e.Msg) == "" {
		t.Fatalf("%s: exit status %d, message %q", what, e.Status, e.Msg)
	}
}

// watchdog crashes the process, so that the fuzzing engine reports the
// input, when one input takes more than 10 seconds.
func watchdog(what string) func() {
	t := time.AfterFunc(10*time.Second, func() { panic("no result after 10s: " + what) })
	return func() { t.Stop() }
}

func protoFor(name string, fam ext.Family) uint16 {
	switch name {
	case "udp", "REDIRECT", "TPROXY":
		return 17
	case "icmp":
		return 1
	case "icmp6":
		return 58
	case "dccp":
		return 33
	case "sctp":
		return 132
	case "esp":
		return 50
	case "ah":
		return 51
	case "mh":
		return 135
	}
	return 6
}

// parseRule builds a rule of extension name with up to two of its options,
// as goipt does, and prints it back; it fails the test on anything but a
// clean success or a clean rejection.
func parseRule(t *testing.T, fam ext.Family, name string, optA, optB uint8, argA, argB string, invert bool) {
	what := fmt.Sprintf("%v %s #%d %q #%d %q invert %v", fam, name, optA, argA, optB, argB, invert)
	defer watchdog(what)()
	if os.Getenv("GOIPT_FUZZ_DEBUG") != "" {
		fmt.Fprintln(os.Stderr, "rule:", what)
	}
	prog := "iptables"
	if fam == ext.IPv6 {
		prog = "ip6tables"
	}
	var failed string
	isolated()(func() {
		err := ext.Run(fam, prog, func(x *ext.Xtables) error {
			if err := x.Reset(); err != nil {
				return err
			}
			hdr := &ext.Header{Proto: protoFor(name, fam)}
			if fam == ext.IPv6 {
				hdr.Flags = 0x01 // IP6T_F_PROTO
			}
			x.SetHeader(hdr)
			target := strings.ToUpper(name) == name
			var e *ext.Ext
			var err error
			if target {
				e, err = x.LoadTarget(name)
			} else {
				e, err = x.LoadMatch(name, ext.MustSucceed)
			}
			if err != nil || e == nil {
				return err
			}
			if !target {
				if err := x.StdTarget("ACCEPT", false); err != nil {
					return err
				}
			}
			argv := []string{prog}
			optind := 1
			for i, o := range []uint8{optA, optB} {
				if len(e.Options) == 0 || (i == 1 && optB == 255) {
					break
				}
				opt := e.Options[int(o)%len(e.Options)]
				arg := []string{argA, argB}[i]
				hasArg := opt.HasArg == 1 || (opt.HasArg == 2 && arg != "")
				argv = append(argv, "--"+opt.Name)
				if hasArg {
					argv = append(argv, arg)
				}
				x.SetArgv(argv)
				next, err := x.ParseOption(e, opt.ID, arg, hasArg, invert && opt.Invertible, len(argv))
				if err != nil {
					return err
				}
				if next < len(argv) || next > len(argv)+1 {
					failed = fmt.Sprintf("option --%s: the parser went on at word %d of %d", opt.Name, next, len(argv))
					return nil
				}
				optind = next
			}
			_ = optind
			if err := x.FinalCheck(); err != nil {
				return err
			}
			entry, mask, err := x.Build()
			if err != nil {
				return err
			}
			if len(entry) != len(mask) || len(entry) < ext.EntrySize(fam) {
				failed = fmt.Sprintf("entry of %d bytes, mask of %d", len(entry), len(mask))
				return nil
			}
			targ := name
			if !target {
				targ = "ACCEPT"
			}
			if name == "rateest" {
				// libxt_rateest's print and save call exit(1) for a rule
				// without a mode, which its parser lets through
				// (iptables-legacy -v -A INPUT -m rateest --rateest-delta
				// exits 1 silently, as goipt does).
				return nil
			}
			for _, numeric := range []bool{false, true} {
				if _, err := x.PrintExtensions(entry, targ, false, numeric); err != nil {
					return err
				}
			}
			if _, err := x.SaveMatches(entry); err != nil {
				return err
			}
			_, err = x.SaveTarget(entry, targ, false)
			return err
		})
		if err != nil {
			defer func() {
				if r := recover(); r != nil {
					failed = fmt.Sprint(r)
				}
			}()
			checkExtError(t, what, err)
		}
	})
	if failed != "" {
		t.Fatalf("%s: %s", what, failed)
	}
}

func FuzzExtensionOptions(f *testing.F) {
	seeds := []struct {
		name       string
		a, b       uint8
		argA, argB string
	}{
		{"tcp", 3, 1, "22", "1:1024"}, {"tcp", 0, 255, "SYN,ACK", ""}, {"tcp", 3, 3, "65536", "x"},
		{"multiport", 0, 255, "1,2,3:4,5,6,7,8,9,10,11,12,13,14,15,16", ""}, {"multiport", 1, 2, "1,,2", ":"},
		{"comment", 0, 255, strings.Repeat("c", 300), ""}, {"comment", 0, 0, "a", "b"},
		{"mark", 0, 255, "0x1/0x1/0x1", ""}, {"mark", 0, 255, "0x1ffffffff", ""},
		{"limit", 0, 1, "99999999999999999999/s", "99999999999"}, {"limit", 0, 255, "1/fortnight", ""},
		{"conntrack", 0, 1, "NEW,BOGUS", "1.2.3.4/33"}, {"state", 0, 255, "", ""},
		{"hashlimit", 0, 5, strings.Repeat("n", 300), "1/s"}, {"string", 0, 1, "bm", "\xff\x00\xfe"},
		{"u32", 0, 255, "0>>22&0x3C@ 12>>26&0x3C@ 0=0x10000000000", ""}, {"u32", 0, 255, "0&0xFF=1:2:3", ""},
		{"iprange", 0, 1, "1.2.3.4-1.2.3.3", "::1-::"}, {"time", 0, 3, "25:00", "Mon,Xyz"},
		{"length", 0, 255, "2:1", ""}, {"recent", 0, 4, "", strings.Repeat("r", 300)},
		{"mac", 0, 255, "00:11:22:33:44:5", ""}, {"owner", 0, 1, "nosuchuser", "99999999999"},
		{"statistic", 0, 1, "random", "1.5"}, {"policy", 0, 1, "in", "none"}, {"time", 6, 7, "2038-01-19T03:14:08", "1970"},
		{"LOG", 0, 1, strings.Repeat("p", 40), "99"}, {"REJECT", 0, 255, "nosuch", ""},
		{"MARK", 0, 1, "0x1/0x2/0x3", "-1"}, {"DNAT", 0, 1, "1.2.3.4:99999", "1.2.3.4:2-1"},
		{"SNAT", 0, 255, "[::1]:1", ""}, {"CT", 0, 1, "99999999999", "nosuch"}, {"NFQUEUE", 0, 1, "65536", "3:1"},
		{"TCPMSS", 0, 255, "65536", ""}, {"TTL", 0, 255, "256", ""}, {"HMARK", 0, 1, "abc", "99999"},
		{"SYNPROXY", 0, 1, "99999", "x"}, {"IDLETIMER", 0, 1, "0", strings.Repeat("l", 100)},
	}
	for _, s := range seeds {
		for i, fam := range []ext.Family{ext.IPv4, ext.IPv6} {
			for j, n := range fuzzExtensions[fam] {
				if n == s.name {
					f.Add(uint16(j), s.a, s.b, s.argA, s.argB, false, i == 1)
				}
			}
		}
	}
	f.Add(uint16(0), uint8(0), uint8(1), "!", "!", true, false)
	f.Fuzz(func(t *testing.T, which uint16, optA, optB uint8, argA, argB string, invert, v6 bool) {
		fam := ext.IPv4
		if v6 {
			fam = ext.IPv6
		}
		names := fuzzExtensions[fam]
		parseRule(t, fam, names[int(which)%len(names)], optA, optB, argA, argB, invert)
	})
}

// TestEveryExtensionOption hands every option of every fuzzed extension a
// few hostile arguments.
func TestEveryExtensionOption(t *testing.T) {
	args := []string{"", "!", "-1", "0", "99999999999999999999", "0x", "1:2:3", ",", "/", "\xff\xfe", strings.Repeat("a", 1100)}
	for _, fam := range []ext.Family{ext.IPv4, ext.IPv6} {
		for _, name := range fuzzExtensions[fam] {
			for o := 0; o < 24; o++ {
				for _, a := range args {
					parseRule(t, fam, name, uint8(o), 255, a, "", false)
				}
			}
		}
	}
}

// FuzzAddresses: address lists and protocols through libxtables.
func FuzzAddresses(f *testing.F) {
	for _, s := range []string{"1.2.3.4", "1.2.3.4/33", "1.2.3.4/255.0.255.0", "0x7f.1", "1.2.3.4,,5.6.7.8", "",
		"::1", "::/129", "2001:db8::/ffff::ffff", "[::1]", "1.2.3.4/-1", "localhost", strings.Repeat("1.2.3.4,", 300)} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, spec string, v6 bool) {
		defer watchdog(fmt.Sprintf("%q", spec))()
		fam := ext.IPv4
		if v6 {
			fam = ext.IPv6
		}
		isolated()(func() {
			err := ext.Run(fam, "iptables", func(x *ext.Xtables) error {
				addrs, masks, err := x.ParseAddresses(spec)
				if err != nil {
					return err
				}
				if len(addrs) != len(masks) || len(addrs) == 0 {
					return fmt.Errorf("%d addresses, %d masks", len(addrs), len(masks))
				}
				for i := range addrs {
					if addrs[i].Is6() != v6 || masks[i].Is6() != v6 {
						return fmt.Errorf("address %v/%v of the wrong family", addrs[i], masks[i])
					}
					x.AddrString(addrs[i], masks[i], true)
				}
				_, err = x.ParseProtocol(spec)
				return err
			})
			if err != nil {
				checkExtError(t, fmt.Sprintf("%q", spec), err)
			}
		})
	})
}

// TestTargetsInBothFamilies: a process may use a target of both families
// in turn (pkg/iptc does, for IPv4 and IPv6 tables): targets whose plugin
// holds both families' (libxt_NAT.so: DNAT, SNAT, MASQUERADE, ...) must
// load, and parse addresses of the family, every time. They could not be
// found any more after the first switch, in either family, and TPROXY's
// constructor, run again, ended the process ("target already registered").
func TestTargetsInBothFamilies(t *testing.T) {
	cases := []struct {
		name, opt  string
		arg4, arg6 string
	}{
		{"DNAT", "to-destination", "192.0.2.1:80", "[2001:db8::1]:80"},
		{"SNAT", "to-source", "192.0.2.1", "2001:db8::1"},
		{"MASQUERADE", "to-ports", "1024-2048", "1024-2048"},
		{"REDIRECT", "to-ports", "8080", "8080"},
		{"NETMAP", "to", "192.0.2.0/24", "2001:db8::/64"},
		{"TPROXY", "on-ip", "192.0.2.1", "2001:db8::1"},
		{"TEE", "gateway", "192.0.2.1", "2001:db8::1"},
		{"TCPMSS", "set-mss", "1400", "1400"},
		{"HMARK", "hmark-src-prefix", "24", "64"},
		{"LOG", "log-prefix", "x", "x"},
		{"REJECT", "reject-with", "icmp-host-unreachable", "icmp6-adm-prohibited"},
	}
	for round := 0; round < 3; round++ {
		for _, fam := range []ext.Family{ext.IPv4, ext.IPv6, ext.IPv4} {
			for _, c := range cases {
				arg := c.arg4
				if fam == ext.IPv6 {
					arg = c.arg6
				}
				var loaded bool
				isolated()(func() {
					err := ext.Run(fam, "iptables", func(x *ext.Xtables) error {
						if err := x.Reset(); err != nil {
							return err
						}
						x.SetHeader(&ext.Header{Proto: 6, Flags: map[bool]uint8{true: 1}[fam == ext.IPv6]})
						e, err := x.LoadTarget(c.name)
						if err != nil || e == nil {
							return err
						}
						loaded = true
						for _, o := range e.Options {
							if o.Name == c.opt {
								x.SetArgv([]string{"iptables", "--" + o.Name, arg})
								if _, err := x.ParseOption(e, o.ID, arg, true, false, 3); err != nil {
									return err
								}
								_, _, err := x.Build()
								return err
							}
						}
						return fmt.Errorf("no option --%s", c.opt)
					})
					if err != nil || !loaded {
						t.Errorf("round %d, %v: %s --%s %s: loaded %v, %v", round, fam, c.name, c.opt, arg, loaded, err)
					}
				})
			}
		}
	}
}
