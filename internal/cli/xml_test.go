// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/goipt/goipt/internal/testenv"
)

// The iptables-xml tests compare goipt's converter with iptables-xml of
// iptables 1.8.11 (the reference build) and of the system's 1.8.9, on the
// conformance kit's dumps and on inputs made to hit its corner cases.

func xmlRefs() []struct{ name, bin string } {
	ref1811, _ := testenv.Ref1811()
	return []struct{ name, bin string }{{"1.8.11", ref1811}, {"1.8.9", testenv.Legacy}}
}

func xmlDumps() string {
	kit, _ := testenv.Conformance()
	return filepath.Join(kit, "shell", "ipt-save", "dumps")
}

// xmlVersionRE hides the version in xtables_error's messages.
var xmlVersionRE = regexp.MustCompile(`iptables-xml v[0-9][^:]*:`)

type xmlResult struct {
	stdout, stderr string
	code           int
}

func runRefXML(t *testing.T, bin, dir, input string, args []string) xmlResult {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"iptables-xml"}, args...)...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(input)
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", bin, err)
	}
	return xmlResult{so.String(), xmlVersionRE.ReplaceAllString(se.String(), "iptables-xml vX:"), code}
}

func runGoXML(t *testing.T, dir, input string, args []string) xmlResult {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	var so, se bytes.Buffer
	code := xmlRun(append([]string{"iptables-xml"}, args...), strings.NewReader(input), &so, &se)
	return xmlResult{so.String(), xmlVersionRE.ReplaceAllString(se.String(), "iptables-xml vX:"), code}
}

type xmlCase struct {
	name  string
	input string
	args  []string
}

// xmlInputs are iptables-save files, odd ones most of them, by name.
func xmlInputs() map[string]string {
	long := strings.Repeat("x", 12000)
	many := "-A X" + strings.Repeat(" -p tcp", 130) + "\n"
	return map[string]string{
		"empty":    "",
		"comments": "# Generated -- by --- x -\n#-\n#\n# a-b-c--d\n",
		"counters": "*filter\n:INPUT ACCEPT [5:6]\n:FOO -\n:BAR - [7\n:BAZ - x\n:NEG - [-1:18446744073709551615]\n" +
			":BIG - [99999999999999999999999:1]\n:SP - [ 3: +4]\nCOMMIT\n*nat\n:X -\nCOMMIT\n",
		"rules": "*filter\n:INPUT DROP [0:0]\n:FWD - [0:0]\n:LOG_DROP - [0:0]\n" +
			"-A INPUT -i lo -j ACCEPT\n" +
			"[1:2] -A INPUT ! -s 10.0.0.0/8 -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT\n" +
			"-A INPUT -m comment --comment \"hello world\" -j LOG_DROP\n" +
			"-A INPUT -m comment --comment \"-j LOG_DROP\" -g FWD\n" +
			"-A INPUT -p udp ! --dport 53 -j REJECT --reject-with icmp-port-unreachable\n" +
			"-A INPUT -m set ! --match-set foo src -j DROP\n" +
			"-A INPUT -s 1.2.3.4 ! 5 -j DROP\n" +
			"-A FWD -j\n-A FWD -m\n-A FWD -m tcp -m udp -j ACCEPT\n" +
			"-A FWD ! -m x -j -m\n-A FWD --foo \"\" -j X\n" +
			"-A LOG_DROP -j LOG --log-prefix \"<drop> & \\\"q\\\" é\"\n" +
			"-A LOG_DROP -j DROP\nCOMMIT\n",
		"combine": "*filter\n:A - [0:0]\n:B - [0:0]\n" +
			"-A A -s 1.1.1.1 -j B\n-A A -s 1.1.1.1 -j LOG\n-A A -s 1.1.1.1 -j ACCEPT\n-A A -s 1.1.1.1 -j DROP\n" +
			"-A A -s 1.1.1.1 -g B\n-A A -s 1.1.1.1 -j B\n-A A -j B\n-A A -j B\n-A A -s 2.2.2.2\n-A A -s 2.2.2.2\n" +
			"-A B -s 1.1.1.1 -j B\nCOMMIT\n*nat\n:A - [0:0]\n-A A -s 1.1.1.1 -j C\nCOMMIT\n",
		"chainless":    "*filter\n-A INPUT -j ACCEPT\n-A INPUT -j DROP\nCOMMIT\n*nat\n:X - [0:0]\n-A X -j ACCEPT\nCOMMIT\n",
		"no-chain":     "*filter\n:INPUT ACCEPT [0:0]\n-I INPUT 1 -j ACCEPT\nCOMMIT\n",
		"a-last":       "*filter\n-A\nCOMMIT\n",
		"commit-first": "COMMIT\n",
		"rule-first":   "-A INPUT -j ACCEPT\n",
		"no-commit":    "*filter\n:INPUT ACCEPT [0:0]\n",
		"commit-eof":   "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT",
		"commit-sp":    "*filter\nCOMMIT \n",
		"nested":       "*filter\n:A - [1:1]\n-A A -j A\n*nat\n:B - [2:2]\nCOMMIT\n",
		"dup-chain":    "*filter\n:A - [1:1]\n:A ACCEPT [2:2]\n-A A -j ACCEPT\nCOMMIT\n",
		"table-bad":    "*\n",
		"table-sp":     "* \tfilter extra\n:\tA  - [0:0] more\nCOMMIT\n",
		"chain-bad":    "*filter\n:\n",
		"policy-bad":   "*filter\n:A\n",
		"long-names": "*" + strings.Repeat("t", 40) + "\n:" + strings.Repeat("c", 40) + " - [0:0]\n" +
			"-A " + strings.Repeat("c", 40) + " -j " + strings.Repeat("c", 40) + "\n" +
			"-A " + strings.Repeat("c", 40) + " -j ACCEPT\nCOMMIT\n",
		"cnt-need-close":  "*filter\n[1:2 -A INPUT\nCOMMIT\n",
		"cnt-need-colon":  "*filter\n[:::] -A INPUT\nCOMMIT\n",
		"cnt-need-close2": "*filter\n[1:]]] -A INPUT\nCOMMIT\n",
		"cnt-odd":         "*filter\n:INPUT ACCEPT [0:0]\n[5] -A INPUT:x] -j DROP\n[::1:2] -A INPUT -j DROP\n[<&>:\"] -A INPUT\nCOMMIT\n",
		"quotes": "*filter\n:A - [0:0]\n-A A -m comment --comment \"abc\"def -j ACCEPT\n" +
			"-A A -m comment --comment \"a\\\\b\\\"c\" -j ACCEPT\n-A A -m comment --comment \"last\"\n" +
			"-A A \"-j\" ACCEPT\n-A A -j \"A\" x\n-A\t\tA   -j   ACCEPT  \nCOMMIT\n",
		"long-line":     "*filter\n:A - [0:0]\n-A A -m comment --comment " + long + "\nCOMMIT\n",
		"long-param":    "*filter\n:A - [0:0]\n-A A -m comment --comment " + strings.Repeat("y", 1023) + " -j ACCEPT\nCOMMIT\n",
		"long-param-ok": "*filter\n:A - [0:0]\n-A A -m comment --comment " + strings.Repeat("y", 1022) + " -j ACCEPT\nCOMMIT\n",
		"many-args":     "*filter\n:X - [0:0]\n" + many + "COMMIT\n",
		"args-254":      "*filter\n:X - [0:0]\n-A X" + strings.Repeat(" -p", 252) + "\nCOMMIT\n",
		"nul":           "*filter\n:A - [0:0]\n-A A -j ACCEPT\x00 -j DROP\n\x00\nCOMMIT\n",
		"crlf":          "*filter\r\n:A - [0:0]\r\n-A A -j ACCEPT\r\nCOMMIT\r\n",
		"bytes":         "# \xff\xfe\x7f\n*filter\n:A\xc3\xa9 - [0:0]\n-A A\xc3\xa9 -m comment --comment \x01\xff -j ACCEPT\nCOMMIT\n",
		"dashes":        "*filter\n:A - [0:0]\n-A A - -- --- x -j ACCEPT\n-A A ! ! -x\n-A A !\nCOMMIT\n",
	}
}

func xmlCases(t *testing.T) []xmlCase {
	var cases []xmlCase
	dumps, _ := filepath.Glob(filepath.Join(xmlDumps(), "*"))
	for _, d := range dumps {
		b, err := os.ReadFile(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{nil, {"-c"}, {"-v"}, {"--combine", "--verbose"}} {
			cases = append(cases, xmlCase{filepath.Base(d) + " " + strings.Join(args, " "), string(b), args})
		}
	}
	for name, in := range xmlInputs() {
		for _, args := range [][]string{nil, {"-c"}, {"-v"}} {
			cases = append(cases, xmlCase{name + " " + strings.Join(args, " "), in, args})
		}
	}
	small := "*filter\n:A - [0:0]\n-A A -j ACCEPT\nCOMMIT\n"
	for _, args := range [][]string{
		{"-h"}, {"--help"}, {"-x"}, {"-cx", "-v"}, {"--foo=bar"}, {"--comb"}, {"--combine=1"}, {"--=x"},
		{"--", "in.txt"}, {"in.txt"}, {"in.txt", "-v"}, {"-"}, {"missing.txt"}, {"in.txt", "in.txt"},
		{"-x", "-h", "-y"}, {"--h"}, {"--v", "--he"},
	} {
		cases = append(cases, xmlCase{"args " + strings.Join(args, " "), small, args})
	}
	return cases
}

func TestXMLAgainstReference(t *testing.T) {
	cases := xmlCases(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "in.txt"), []byte("*nat\n:P ACCEPT [1:2]\n-A P -j DNAT --to-destination 1.2.3.4\nCOMMIT\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, ref := range xmlRefs() {
		bin, err := exec.LookPath(ref.bin)
		if err != nil {
			t.Logf("no iptables %s at %s: not compared", ref.name, ref.bin)
			continue
		}
		ran++
		for _, c := range cases {
			want := runRefXML(t, bin, dir, c.input, c.args)
			got := runGoXML(t, dir, c.input, c.args)
			if got != want {
				t.Errorf("iptables %s, %s:\nexit %d, want %d\nstderr:\n%s\nwant:\n%s\nstdout diff:\n%s",
					ref.name, c.name, got.code, want.code, got.stderr, want.stderr, firstDiff(got.stdout, want.stdout))
			}
		}
	}
	if ran == 0 {
		t.Skip("no iptables-xml to compare with")
	}
}

// firstDiff shows where two outputs part.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b || i >= len(g) || i >= len(w) {
			return strings.Join([]string{"line " + strconv.Itoa(i+1) + ":", "got:  " + a, "want: " + b}, "\n")
		}
	}
	return "(same)"
}

// TestXMLFedora is the conformance kit's 0006iptables-xml case in Go.
func TestXMLFedora(t *testing.T) {
	in, err := os.ReadFile(filepath.Join(xmlDumps(), "fedora27-iptables"))
	if err != nil {
		t.Skip("no conformance kit:", err)
	}
	want, err := os.ReadFile(filepath.Join(xmlDumps(), "fedora27-iptables.xml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{nil, {"-c"}} {
		var so, se bytes.Buffer
		if code := xmlRun(append([]string{"iptables-xml"}, args...), bytes.NewReader(in), &so, &se); code != 0 {
			t.Fatalf("exit %d: %s", code, se.String())
		}
		if so.String() != string(want) {
			t.Errorf("iptables-xml %v: %s", args, firstDiff(so.String(), string(want)))
		}
	}
}
