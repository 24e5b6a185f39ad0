// SPDX-License-Identifier: GPL-2.0-or-later

// Package jsonplan holds system tests of goipt's machine-readable output:
// --json for iptables -L/-S and iptables-save, iptables-restore --json, and
// iptables-restore --plan, in both families.
//
// The goipt binary runs as a child process started from a thread inside a
// throwaway network namespace (internal/netnstest), never in-process: the
// applets open their tables on pkg/ext's libxtables thread, which is in the
// host's namespace. The tests skip unless they run as root with
// GOIPT_SYSTEM_TESTS=1. GOIPT_BIN names a goipt binary to test instead of
// building ./cmd/goipt.
package jsonplan

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// goipt skips t unless system tests may run, and returns the binary under
// test (testenv.Goipt: $GOIPT_BIN or a build).
func goipt(t *testing.T) string {
	t.Helper()
	if ok, why := netnstest.Enabled(); !ok {
		t.Skip(why)
	}
	return testenv.Goipt(t)
}

// run runs goipt APPLET ARGS with stdin in the namespace.
func run(t *testing.T, stdin, applet string, args ...string) (string, string, int) {
	t.Helper()
	return netnstest.ExecInput(t, stdin, testenv.Goipt(t), append([]string{applet}, args...)...)
}

// must is run that fails the test unless the exit status is 0.
func must(t *testing.T, stdin, applet string, args ...string) string {
	t.Helper()
	out, errOut, code := run(t, stdin, applet, args...)
	if code != 0 {
		t.Fatalf("goipt %s %s: exit %d\n%s", applet, strings.Join(args, " "), code, errOut)
	}
	return out
}

type family struct {
	name, iptables, save, restore, legacySave string
	rules                                     string
}

var families = []family{
	{"ipv4", "iptables", "iptables-save", "iptables-restore", "iptables-legacy-save", "../cli/testdata/rich4.rules"},
	{"ipv6", "ip6tables", "ip6tables-save", "ip6tables-restore", "ip6tables-legacy-save", "../cli/testdata/rich6.rules"},
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// extraRules are rules beyond the rich rule sets that exercise words the
// JSON has to carry exactly: quotes, blanks, "!" values, negations.
var extraRules = map[string]string{
	"ipv4": `*filter
:odd - [0:0]
[7:700] -A odd -m comment --comment "say \"hi\" \\ there" -j ACCEPT
-A odd -m comment --comment "!" -j RETURN
-A odd ! -s 10.1.2.0/24 ! -d 10.3.0.0/16 ! -p tcp -j DROP
-A odd ! -f -m u32 --u32 "0x0>>0x16&0x3c@0x4>>0x10=0x50" -j ACCEPT
-A odd -p tcp -m tcp ! --dport 22 ! --tcp-flags FIN,SYN,RST,ACK SYN -j DROP
-A odd -m set --match-set blocked src,dst -j DROP
-A odd -m hashlimit --hashlimit-upto 10/sec --hashlimit-mode srcip --hashlimit-name hl -j ACCEPT
-A odd -m recent --set --name r1 --mask 255.255.255.255 --rsource
-A odd -m iprange --src-range 10.0.0.1-10.0.0.9 -j LOG --log-prefix "  spaced " --log-uid
-A odd -j MARK --set-xmark 0x10/0xff
COMMIT
`,
	"ipv6": `*filter
:odd - [0:0]
[7:700] -A odd -m comment --comment "say \"hi\" \\ there" -j ACCEPT
-A odd ! -s 2001:db8::/32 ! -p udp -j DROP
-A odd -p ipv6-icmp -m icmp6 --icmpv6-type 128 -m limit --limit 3/min -j ACCEPT
-A odd -m hl --hl-lt 5 -j DROP
-A odd -m frag --fragid 1:9 --fragres -j DROP
COMMIT
`,
}

// load restores the rich rule set and the extra rules (which need an
// ipset for --match-set; a rule that cannot load is left out).
func load(t *testing.T, f family) {
	t.Helper()
	must(t, readFile(t, f.rules), f.restore, "-c")
	if _, _, code := run(t, extraRules[f.name], f.restore, "-c", "--noflush"); code != 0 {
		// Without the ipset the set rule fails: load the others.
		var keep []string
		for _, l := range strings.Split(extraRules[f.name], "\n") {
			if !strings.Contains(l, "--match-set") {
				keep = append(keep, l)
			}
		}
		must(t, strings.Join(keep, "\n"), f.restore, "-c", "--noflush")
	}
}

func TestJSONRoundTrip(t *testing.T) {
	goipt(t)
	for _, f := range families {
		for _, counters := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/counters=%v", f.name, counters), func(t *testing.T) {
				netnstest.Run(t, func() {
					load(t, f)
					var c []string
					if counters {
						c = []string{"-c"}
					}
					before := must(t, "", f.save, "-c")
					doc := must(t, "", f.save, append(c, "--json")...)
					var parsed map[string]any
					if err := json.Unmarshal([]byte(doc), &parsed); err != nil {
						t.Fatalf("save --json is not JSON: %v\n%s", err, doc)
					}
					if parsed["family"] != f.name {
						t.Errorf("family %v, want %s", parsed["family"], f.name)
					}
					// Empty the tables, then restore the document.
					for _, tab := range tablesOf(before) {
						run(t, "", f.iptables, "-t", tab, "-F")
						run(t, "", f.iptables, "-t", tab, "-X")
					}
					must(t, doc, f.restore, append(c, "--json")...)
					after := must(t, "", f.save, "-c")
					want := before
					if !counters {
						// Rule counters are not in the document; policy
						// counters are, but restore sets them only with -c.
						want = zeroCounters(before)
						after = zeroCounters(after)
					}
					if testenv.StripComments(after) != testenv.StripComments(want) {
						t.Errorf("save after restore --json differs:\nbefore:\n%s\nafter:\n%s", want, after)
					}
					// The system's iptables-legacy reads the same tables.
					legacy, _, code := netnstest.Exec(t, f.legacySave, "-c")
					if code != 0 {
						t.Fatalf("%s: exit %d", f.legacySave, code)
					}
					if !counters {
						legacy = zeroCounters(legacy)
					}
					if testenv.StripComments(legacy) != testenv.StripComments(after) {
						t.Errorf("%s differs from goipt's save:\n%s\ngoipt:\n%s", f.legacySave, legacy, after)
					}
				})
			})
		}
	}
}

// tablesOf lists the tables of a save dump.
func tablesOf(save string) []string {
	var out []string
	for _, l := range strings.Split(save, "\n") {
		if strings.HasPrefix(l, "*") {
			out = append(out, l[1:])
		}
	}
	return out
}

// zeroCounters sets every [p:b] of a save dump to [0:0].
func zeroCounters(s string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if strings.HasPrefix(l, "[") {
			if i := strings.Index(l, "] "); i > 0 {
				l = l[i+2:]
			}
		}
		if strings.HasPrefix(l, ":") {
			if i := strings.LastIndex(l, " ["); i > 0 {
				l = l[:i] + " [0:0]\n"
			}
		}
		b.WriteString(l)
	}
	return b.String()
}

type doc struct {
	Family string `json:"family"`
	Tables []struct {
		Name   string `json:"name"`
		Chains []struct {
			Name           string            `json:"name"`
			Policy         string            `json:"policy"`
			PolicyCounters map[string]uint64 `json:"policy-counters"`
			References     *int              `json:"references"`
			Rules          []struct {
				Src      string            `json:"src"`
				Target   string            `json:"target"`
				Goto     bool              `json:"goto"`
				Counters map[string]uint64 `json:"counters"`
				Matches  []struct {
					Name   string         `json:"name"`
					Params map[string]any `json:"params"`
				} `json:"matches"`
			} `json:"rules"`
		} `json:"chains"`
	} `json:"tables"`
}

func decode(t *testing.T, s string) doc {
	t.Helper()
	var d doc
	if err := json.Unmarshal([]byte(s), &d); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	return d
}

func TestJSONList(t *testing.T) {
	goipt(t)
	f := families[0]
	netnstest.Run(t, func() {
		load(t, f)

		d := decode(t, must(t, "", "iptables", "-S", "--json"))
		if d.Family != "ipv4" || len(d.Tables) != 1 || d.Tables[0].Name != "filter" {
			t.Fatalf("-S --json: %+v", d)
		}
		var names []string
		for _, c := range d.Tables[0].Chains {
			names = append(names, c.Name)
			if c.PolicyCounters != nil {
				t.Errorf("-S without -v has policy counters on %s", c.Name)
			}
			for _, r := range c.Rules {
				if r.Counters != nil {
					t.Errorf("-S without -v has rule counters in %s", c.Name)
				}
			}
		}
		if got := strings.Join(names, " "); got != "INPUT FORWARD OUTPUT logdrop odd services" {
			t.Errorf("chains %q", got)
		}

		// One chain, one rule, counters with -v, flag placement.
		for _, args := range [][]string{
			{"--json", "-S", "INPUT", "2", "-v"},
			{"-S", "INPUT", "2", "-v", "--json"},
			{"-v", "--json", "-S", "INPUT", "2"},
			{"-t", "filter", "--json", "-vS", "INPUT", "2"},
		} {
			d := decode(t, must(t, "", "iptables", args...))
			ch := d.Tables[0].Chains
			if len(ch) != 1 || ch[0].Name != "INPUT" || ch[0].Policy != "DROP" || len(ch[0].Rules) != 1 {
				t.Fatalf("%v: %+v", args, d)
			}
			r := ch[0].Rules[0]
			if r.Target != "ACCEPT" || r.Counters["packets"] != 1234567 || r.Counters["bytes"] != 987654321 {
				t.Errorf("%v: rule %+v", args, r)
			}
			if ch[0].PolicyCounters["packets"] != 120 || ch[0].PolicyCounters["bytes"] != 45000 {
				t.Errorf("%v: policy counters %v", args, ch[0].PolicyCounters)
			}
		}

		// -L adds the references of user chains.
		d = decode(t, must(t, "", "iptables", "-L", "--json"))
		for _, c := range d.Tables[0].Chains {
			switch {
			case c.Policy != "" && c.References != nil:
				t.Errorf("-L --json: built-in %s has references", c.Name)
			case c.Name == "logdrop" && (c.References == nil || *c.References != 1):
				t.Errorf("-L --json: logdrop references %v", c.References)
			}
		}
		d = decode(t, must(t, "", "iptables", "-t", "nat", "-L", "POSTROUTING", "--json"))
		if d.Tables[0].Name != "nat" || len(d.Tables[0].Chains) != 1 || len(d.Tables[0].Chains[0].Rules) != 2 {
			t.Errorf("-t nat -L POSTROUTING --json: %+v", d)
		}

		// -L -Z --json lists the counters, then zeroes them.
		d = decode(t, must(t, "", "iptables", "-L", "INPUT", "-v", "-Z", "--json"))
		if d.Tables[0].Chains[0].Rules[1].Counters["packets"] != 1234567 {
			t.Errorf("-L -Z --json: %+v", d.Tables[0].Chains[0].Rules[1])
		}
		if out := must(t, "", "iptables", "-S", "INPUT", "2", "-v"); !strings.Contains(out, "-c 0 0") {
			t.Errorf("-Z with --json did not zero: %s", out)
		}

		// Errors are iptables'.
		if _, e, code := run(t, "", "iptables", "-L", "nochain", "--json"); code != 1 ||
			e != "iptables: No chain/target/match by that name.\n" {
			t.Errorf("-L nochain --json: exit %d, %q", code, e)
		}
		if _, e, code := run(t, "", "iptables", "-A", "INPUT", "-j", "ACCEPT", "--json"); code != 2 ||
			!strings.Contains(e, "--json works only with -L (--list) and -S (--list-rules)") {
			t.Errorf("-A --json: exit %d, %q", code, e)
		}
		if out := must(t, "", "iptables", "-S", "INPUT"); strings.Count(out, "\n") != 11 {
			t.Errorf("-A --json changed INPUT:\n%s", out)
		}
		// --json as an option's argument is that argument.
		must(t, "", "iptables", "-A", "odd", "-m", "comment", "--comment", "--json", "-j", "ACCEPT")
		if out := must(t, "", "iptables", "-S", "odd"); !strings.Contains(out, "--comment --json -j ACCEPT") {
			t.Errorf("--comment --json:\n%s", out)
		}
		d = decode(t, must(t, "", "ip6tables", "-S", "--json"))
		if d.Family != "ipv6" {
			t.Errorf("ip6tables family %q", d.Family)
		}
	})
}

func TestSaveJSONOptions(t *testing.T) {
	goipt(t)
	f := families[0]
	netnstest.Run(t, func() {
		load(t, f)
		d := decode(t, must(t, "", "iptables-save", "-t", "nat", "--json"))
		if len(d.Tables) != 1 || d.Tables[0].Name != "nat" {
			t.Fatalf("-t nat --json: %+v", d)
		}
		for _, c := range d.Tables[0].Chains {
			if c.PolicyCounters == nil {
				t.Errorf("save --json: %s has no policy counters", c.Name)
			}
			for _, r := range c.Rules {
				if r.Counters != nil {
					t.Errorf("save --json without -c has rule counters")
				}
			}
		}
		// -f FILE writes the document there.
		file := filepath.Join(t.TempDir(), "out.json")
		must(t, "", "iptables-save", "--json", "-f", file)
		if d := decode(t, readFile(t, file)); len(d.Tables) != 4 {
			t.Errorf("-f: %d tables", len(d.Tables))
		}
		// "--json" as the argument of -t is a table name.
		if _, e, code := run(t, "", "iptables-save", "-t", "--json"); code != 1 || !strings.Contains(e, "Cannot initialize") {
			t.Errorf("-t --json: exit %d %q", code, e)
		}
	})
}

func TestRestoreJSON(t *testing.T) {
	goipt(t)
	netnstest.Run(t, func() {
		must(t, "*filter\n:keep - [0:0]\n-A keep -j ACCEPT\nCOMMIT\n", "iptables-restore")
		in := `{"family": "ipv4", "tables": [{"name": "filter", "chains": [
			{"name": "INPUT", "policy": "DROP", "rules": [
				{"src": "!10.0.0.0/8", "protocol": "tcp",
				 "matches": [{"name": "tcp", "params": {"dport": "!22", "tcp-flags": ["SYN,ACK", "SYN"]}},
				             {"name": "comment", "params": {"comment": {"value": "!odd \"one\""}}}],
				 "target": "new", "goto": true},
				{"in_interface": "lo", "target": "ACCEPT"}]},
			{"name": "new", "rules": [{"target": "LOG", "target-params": {"log_prefix": "x y"}}]}]}]}`
		// Unknown fields are refused (in_interface is not a field).
		if _, e, code := run(t, in, "iptables-restore", "--json"); code != 1 || !strings.Contains(e, `unknown field "in_interface"`) {
			t.Fatalf("unknown field: exit %d %q", code, e)
		}
		in = strings.Replace(in, "in_interface", "in-interface", 1)
		// --test checks without committing.
		must(t, in, "iptables-restore", "--json", "--test")
		if out := must(t, "", "iptables", "-S"); !strings.Contains(out, "-N keep") {
			t.Fatalf("--test committed:\n%s", out)
		}
		// --noflush keeps the chains the document does not name.
		must(t, in, "iptables-restore", "--json", "--noflush")
		want := `-P INPUT DROP
-P FORWARD ACCEPT
-P OUTPUT ACCEPT
-N keep
-N new
-A INPUT ! -s 10.0.0.0/8 -p tcp -m tcp ! --dport 22 --tcp-flags SYN,ACK SYN -m comment --comment "!odd \"one\"" -g new
-A INPUT -i lo -j ACCEPT
-A keep -j ACCEPT
-A new -j LOG --log-prefix "x y"
`
		if out := must(t, "", "iptables", "-S"); out != want {
			t.Errorf("after --json --noflush:\n%s\nwant:\n%s", out, want)
		}
		// Without it, the table is the document's.
		must(t, in, "iptables-restore", "--json")
		if out := must(t, "", "iptables", "-S"); strings.Contains(out, "keep") {
			t.Errorf("restore --json did not flush:\n%s", out)
		}
		// A bad rule fails as in a text restore, and the note says where.
		bad := strings.Replace(in, `"target": "ACCEPT"`, `"target": "ACCEPT", "matches": [{"name": "tcp", "params": {"dport": "x"}}]`, 1)
		_, e, code := run(t, bad, "iptables-restore", "--json")
		if code != 2 || !strings.Contains(e, `(--json) line 5 is table "filter", chain "INPUT", rule 2`) {
			t.Errorf("bad rule: exit %d\n%s", code, e)
		}
		// Family and syntax.
		if _, e, code := run(t, in, "ip6tables-restore", "--json"); code != 1 || !strings.Contains(e, `for family "ipv4", not "ipv6"`) {
			t.Errorf("family: exit %d %q", code, e)
		}
		if _, _, code := run(t, "{", "iptables-restore", "--json"); code != 1 {
			t.Errorf("bad JSON: exit %d", code)
		}
		// -T restores one table of the document.
		two := `{"tables": [{"name": "filter", "chains": [{"name": "t1", "rules": []}]},
			{"name": "mangle", "chains": [{"name": "t2", "rules": []}]}]}`
		must(t, two, "iptables-restore", "--json", "-T", "mangle")
		if out := must(t, "", "iptables", "-t", "mangle", "-S"); !strings.Contains(out, "-N t2") {
			t.Errorf("-T mangle:\n%s", out)
		}
		if out := must(t, "", "iptables", "-S"); strings.Contains(out, "t1") {
			t.Errorf("-T mangle restored filter:\n%s", out)
		}
	})
}

func TestPlan(t *testing.T) {
	goipt(t)
	for _, f := range families {
		t.Run(f.name, func(t *testing.T) {
			netnstest.Run(t, func() {
				load(t, f)
				before := must(t, "", f.save, "-c")
				// The kernel's own tables: nothing would change.
				out, e, code := run(t, before, f.restore, "--plan")
				if code != 0 || strings.Contains(out, "\n+ ") || strings.Contains(out, "\n- ") {
					t.Errorf("plan of the same tables: exit %d\n%s%s", code, out, e)
				}
				if !strings.Contains(out, "*filter\n# no changes\n") {
					t.Errorf("plan output:\n%s", out)
				}
				// The same through JSON.
				doc := must(t, "", f.save, "--json")
				if out, e, code := run(t, doc, f.restore, "--plan", "--json"); code != 0 {
					t.Errorf("plan --json of the same tables: exit %d\n%s%s", code, out, e)
				}
				// A changed file.
				changed := strings.Replace(before, ":FORWARD DROP", ":FORWARD ACCEPT", 1)
				filterEnd := strings.Index(changed, "*filter")
				filterEnd += strings.Index(changed[filterEnd:], "COMMIT\n")
				changed = changed[:filterEnd] + ":web - [0:0]\n-A web -j ACCEPT\n" + changed[filterEnd:]
				var kept []string
				for _, l := range strings.Split(changed, "\n") {
					if !strings.Contains(l, "logdrop") {
						kept = append(kept, l)
					}
				}
				changed = strings.Join(kept, "\n")
				out, e, code = run(t, changed, f.restore, "--plan")
				if code != 10 {
					t.Errorf("plan of a change: exit %d, want 10\n%s", code, e)
				}
				for _, want := range []string{
					"+ -N web\n", "- -N logdrop\n", "- -P FORWARD DROP\n+ -P FORWARD ACCEPT\n",
					"+ -A web -j ACCEPT\n", "- -A logdrop -j DROP\n",
				} {
					if !strings.Contains(out, want) {
						t.Errorf("plan lacks %q:\n%s", want, out)
					}
				}
				if !strings.Contains(out, "*filter\n# 1 chain added, 1 chain removed, 1 policy changed, 1 rule added,") {
					t.Errorf("plan summary:\n%s", out)
				}
				// Nothing was committed.
				if after := must(t, "", f.save, "-c"); testenv.StripComments(after) != testenv.StripComments(before) {
					t.Errorf("--plan changed the tables:\n%s", after)
				}
				// --noflush: only what the file adds.
				out, _, code = run(t, "*filter\n:web - [0:0]\n-A INPUT -j web\nCOMMIT\n", f.restore, "--plan", "--noflush")
				if code != 10 || !strings.HasSuffix(out, "*filter\n# 1 chain added, 1 rule added\n+ -N web\n+ -A INPUT -j web\n") {
					t.Errorf("--plan --noflush: exit %d\n%s", code, out)
				}
				// A file restore would refuse: restore's error and status.
				_, e, code = run(t, "*filter\n-A INPUT -j nochain\nCOMMIT\n", f.restore, "--plan")
				if code != 2 || !strings.Contains(e, "Error occurred at line: 2") {
					t.Errorf("--plan of a bad file: exit %d\n%s", code, e)
				}
				_, e, code = run(t, "*filter\n-A INPUT -j ACCEPT\n", f.restore, "--plan")
				if code != 1 || !strings.Contains(e, "COMMIT expected at line 3") {
					t.Errorf("--plan without COMMIT: exit %d\n%s", code, e)
				}
			})
		})
	}
}

// TestPlanRuleOrder: a moved rule and a changed rule in a long chain.
func TestPlanRuleOrder(t *testing.T) {
	goipt(t)
	netnstest.Run(t, func() {
		var b strings.Builder
		b.WriteString("*filter\n:c - [0:0]\n")
		for i := 0; i < 300; i++ {
			fmt.Fprintf(&b, "-A c -s 10.0.%d.%d/32 -j ACCEPT\n", i/250, i%250)
		}
		b.WriteString("COMMIT\n")
		orig := b.String()
		must(t, orig, "iptables-restore")
		lines := strings.Split(orig, "\n")
		// Rule 10 moves to the end, rule 100 becomes a DROP.
		r10, r100 := lines[2+9], lines[2+99]
		mod := append([]string{}, lines[:2+9]...)
		mod = append(mod, lines[2+10:2+99]...)
		mod = append(mod, strings.Replace(r100, "ACCEPT", "DROP", 1))
		mod = append(mod, lines[2+100:len(lines)-2]...)
		mod = append(mod, r10, "COMMIT", "")
		out, e, code := run(t, strings.Join(mod, "\n"), "iptables-restore", "--plan")
		want := "*filter\n# 2 rules added, 2 rules removed\n" +
			"- " + r10 + "\n" + "- " + r100 + "\n" + "+ " + strings.Replace(r100, "ACCEPT", "DROP", 1) + "\n" + "+ " + r10 + "\n"
		if code != 10 || out != want {
			t.Errorf("exit %d\n%s\nwant:\n%s%s", code, out, want, e)
		}
	})
}
