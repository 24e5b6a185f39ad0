// SPDX-License-Identifier: GPL-2.0-or-later

package parse

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func parseLine(t *testing.T, line string) (*Command, *fakeExts, error) {
	t.Helper()
	f := &fakeExts{}
	cmd, _, err := Parse(append([]string{"iptables"}, strings.Fields(line)...), Config{Exts: f})
	return cmd, f, err
}

func TestParseCommands(t *testing.T) {
	for _, tc := range []struct {
		line    string
		command int
		chain   string
		rulenum int
	}{
		{"-A INPUT -j ACCEPT", CmdAppend, "INPUT", 0},
		{"--append=INPUT -j ACCEPT", CmdAppend, "INPUT", 0},
		{"--app INPUT -j ACCEPT", CmdAppend, "INPUT", 0},
		{"-I INPUT -j ACCEPT", CmdInsert, "INPUT", 1},
		{"-I INPUT 0x10 -j ACCEPT", CmdInsert, "INPUT", 16},
		{"-D INPUT 3", CmdDeleteNum, "INPUT", 3},
		{"-R INPUT 2 -j DROP", CmdReplace, "INPUT", 2},
		{"-L", CmdList, "", 0},
		{"-LINPUT", CmdList, "INPUT", 0},
		{"-L INPUT 4", CmdList, "INPUT", 4},
		{"-L -Z", CmdList | CmdZero, "", 0},
		{"-S INPUT", CmdListRules, "INPUT", 0},
		{"-Z INPUT 2", CmdZeroNum, "INPUT", 2},
		{"-F", CmdFlush, "", 0},
		{"-X foo", CmdDeleteChain, "foo", 0},
		{"-N foo", CmdNewChain, "foo", 0},
		{"-E foo bar", CmdRenameChain, "foo", 0},
		{"-P INPUT DROP", CmdSetPolicy, "INPUT", 0},
	} {
		cmd, _, err := parseLine(t, tc.line)
		if err != nil {
			t.Errorf("%q: %v", tc.line, err)
			continue
		}
		if cmd.Command != tc.command || cmd.Chain != tc.chain || cmd.RuleNum != tc.rulenum {
			t.Errorf("%q: command %#x chain %q rule %d, want %#x %q %d", tc.line,
				cmd.Command, cmd.Chain, cmd.RuleNum, tc.command, tc.chain, tc.rulenum)
		}
	}
}

// TestImplicitProtocolMatch: -p tcp makes --dport load the tcp match, in
// iptables' order of calls.
func TestImplicitProtocolMatch(t *testing.T) {
	cmd, f, err := parseLine(t, "-A INPUT -p tcp ! --dport 22 -m comment --comment x -j LOG --log-prefix p")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"proto 6", "match tcp", "tcp !--dport=22", "match comment", "comment --comment=x",
		"target LOG", "LOG --log-prefix=p", "final"}
	if strings.Join(f.calls, "|") != strings.Join(want, "|") {
		t.Errorf("calls\n got %q\nwant %q", f.calls, want)
	}
	if len(cmd.Matches) != 2 || cmd.Target == nil || cmd.Target.Name != "LOG" || cmd.Proto != 6 {
		t.Errorf("matches %v target %v proto %d", cmd.Matches, cmd.Target, cmd.Proto)
	}
}

// TestNewestExtensionOwnsSharedOption: two matches with the same option
// name: the one loaded last gets it, as xtables_merge_options orders them.
func TestNewestExtensionOwnsSharedOption(t *testing.T) {
	_, f, err := parseLine(t, "-A INPUT -m tcp -m udp --dport 1")
	if err != nil {
		t.Fatal(err)
	}
	if got := f.calls[2]; got != "udp --dport=1" {
		t.Errorf("--dport went to %q, want udp", got)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ line, msg string }{
		{"--foo", `unknown option "--foo"`},
		{"-A", `option "-A" requires an argument`},
		{"-aL", `unknown option "-a"`},
		{"-A INPUT --dport 1", `unknown option "--dport"`},
		{"-A INPUT -p tcp --dport", `option "--dport" requires an argument`},
		{"-A INPUT -L", "Cannot use -L with -A"},
		{"-A INPUT ! ! -s 1.2.3.4", "multiple consecutive ! not allowed"},
		{"-A INPUT -s 1.2.3.4 -s 5.6.7.8", "multiple --source options not allowed"},
		{"-A INPUT ! -j ACCEPT", "cannot have ! before --jump"},
		{"-A INPUT !", "nothing appropriate following !"},
		{"-L -n -x -A INPUT", "Cannot use -A with -L"},
		{"-A INPUT -n", "Illegal option `--numeric' with this command"},
		{"-A INPUT -o eth0", "Can't use --out-interface with INPUT"},
		{"-N ACCEPT", "chain name may not clash with target name"},
		{"-N -x", "chain name not allowed to start with `-'"},
		{"-R INPUT -j DROP", "-R requires a rule number"},
		{"-I INPUT 0", "Invalid rule number `0'"},
		{"-D INPUT 1:2", "Rule ranges are not supported"},
		{"-A INPUT -m nosuch", "Couldn't load match `nosuch':No such file or directory\n"},
		{"-A INPUT -p tcp --dport bad", "tcp: bad value"},
		{"-A INPUT -s 1.2.3.4,5.6.7.8 ! -d 1.1.1.1", "! not allowed with multiple source or destination IP addresses"},
		{"", "no command specified"},
		{"-t nat -A INPUT -j DROP", "\nThe \"nat\" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n"},
	} {
		_, _, err := parseLine(t, tc.line)
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("%q: error %v, want %q", tc.line, err, tc.msg)
			continue
		}
		if pe.Msg != tc.msg || pe.Status != 2 {
			t.Errorf("%q: %d %q, want 2 %q", tc.line, pe.Status, pe.Msg, tc.msg)
		}
	}
}

func TestBareErrors(t *testing.T) {
	_, _, err := parseLine(t, "-A INPUT stray")
	var pe *Error
	if !errors.As(err, &pe) || pe.Form != Bare || pe.Msg != "Bad argument `stray'" {
		t.Errorf("got %#v", err)
	}
	_, _, err = parseLine(t, "-6 -L")
	if !errors.As(err, &pe) || pe.Form != Bare || pe.Msg != "" {
		t.Errorf("-6 in iptables: got %#v", err)
	}
}

func TestRestoreTokenizer(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []string
	}{
		{`-A INPUT -j ACCEPT`, []string{"-A", "INPUT", "-j", "ACCEPT"}},
		{"-A  INPUT\t-m comment --comment \"a b\"\n", []string{"-A", "INPUT", "-m", "comment", "--comment", "a b"}},
		{`--comment ""`, []string{"--comment", ""}},
		{`--comment "a \"q\" \\ b"`, []string{"--comment", `a "q" \ b`}},
		{`x"y z"w`, []string{"xy z", "w"}}, // a closing quote ends the word
	} {
		got, err := SplitRestoreArgs(tc.line, nil)
		if err != nil || strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%q: %q %v, want %q", tc.line, got, err, tc.want)
		}
	}
	if _, err := SplitRestoreArgs(strings.Repeat("x", 1024), nil); err == nil || err.Error() != "Parameter too long!" {
		t.Errorf("long parameter: %v", err)
	}
	if _, err := SplitRestoreArgs(strings.Repeat("x ", 300), nil); err == nil || err.Error() != "Parser cannot handle more arguments" {
		t.Errorf("many arguments: %v", err)
	}
}

func TestRuleCounters(t *testing.T) {
	for _, tc := range []struct {
		line, p, b, rest, err string
		ok                    bool
	}{
		{"-A INPUT", "", "", "-A INPUT", "", false},
		{"[1:2] -A INPUT", "1", "2", " -A INPUT", "", true},
		{"[1:2 -A INPUT", "", "", "", "Bad line 7: need ]", false},
		{"[12] -A INPUT", "", "", "", "Bad line 7: need ]", false},
		{"[:::]", "", "", "", "Bad line 7: need ]", false},
	} {
		p, b, rest, ok, err := RuleCounters(tc.line, 7)
		es := ""
		if err != nil {
			es = err.Error()
		}
		if p != tc.p || b != tc.b || rest != tc.rest || ok != tc.ok || es != tc.err {
			t.Errorf("%q: %q %q %q %v %q", tc.line, p, b, rest, ok, es)
		}
	}
}

func TestLineReaderPieces(t *testing.T) {
	long := strings.Repeat("a", RestoreLineMax+5) + "\nCOMMIT\n"
	r := NewLineReader(strings.NewReader(long))
	var lens []int
	for {
		s, err := r.Next()
		if err != nil {
			break
		}
		lens = append(lens, len(s))
	}
	want := []int{RestoreLineMax - 1, 7, 7}
	if len(lens) != 3 || lens[0] != want[0] || lens[1] != want[1] || lens[2] != want[2] {
		t.Errorf("pieces %v, want %v", lens, want)
	}
}

// TestReusedCommand: lines parsed into the same Command and Addrs
// (Config.Command, Config.Addrs, as a restore does) come out as they do
// into new ones, nothing of the line before left.
func TestReusedCommand(t *testing.T) {
	lines := []string{
		"-A INPUT -p tcp ! --dport 22 -m comment --comment x -s 10.0.0.1 -j LOG --log-prefix p",
		"-A FORWARD -j ACCEPT",
		"-I OUTPUT 2 -i eth0 -m comment --comment y -d 192.0.2.1 -g other",
		"-A INPUT -m comment --comment a -m comment --comment b -j DROP",
	}
	var cmd Command
	var addrs Addrs
	for _, line := range lines {
		argv := append([]string{"iptables"}, strings.Fields(line)...)
		want, wantAddrs, werr := Parse(argv, Config{Exts: &fakeExts{}})
		got, gotAddrs, gerr := Parse(argv, Config{Exts: &fakeExts{}, Command: &cmd, Addrs: &addrs})
		if got != &cmd || gotAddrs != &addrs {
			t.Fatalf("%s: not parsed into the Command and Addrs given", line)
		}
		if fmt.Sprint(werr) != fmt.Sprint(gerr) {
			t.Errorf("%s: error %v, want %v", line, gerr, werr)
		}
		if g, w := describeParsed(got, gotAddrs), describeParsed(want, wantAddrs); g != w {
			t.Errorf("%s:\n got %s\nwant %s", line, g, w)
		}
	}
}

// describeParsed prints a parse result with its extensions by name.
func describeParsed(c *Command, a *Addrs) string {
	flat := *c
	var names []string
	for _, m := range c.Matches {
		names = append(names, fmt.Sprintf("%+v", *m))
	}
	if c.Target != nil {
		names = append(names, "target "+fmt.Sprintf("%+v", *c.Target))
	}
	flat.Matches, flat.Target = nil, nil
	return fmt.Sprintf("%+v %q %+v", flat, names, *a)
}

// TestExactIndexAsScan: looking a long option up in the exact-name index
// finds what glibc's scan finds, for every name and prefix of a table with
// names shared by several options (as merged extension tables have).
func TestExactIndexAsScan(t *testing.T) {
	table := append(append([]LongOpt{}, coreOpts...),
		LongOpt{"dport", 1, 300}, LongOpt{"dports", 1, 301}, LongOpt{"dport", 1, 500},
		LongOpt{"comment", 1, 302}, LongOpt{"set", 0, 303}, LongOpt{"set-mark", 1, 304})
	lookup := func(word string, exact map[string]int) string {
		var warned []string
		g := &getopt{argv: []string{"iptables", "--" + word, "x"}, optind: 1, exact: exact,
			warn: func(f string, a ...any) { warned = append(warned, fmt.Sprintf(f, a...)) }}
		c := g.next(table)
		return fmt.Sprintf("%d %q %v %d %d %q", c, g.optarg, g.hasArg, g.optind, g.optopt, warned)
	}
	exact := exactIndex(table)
	for _, o := range table {
		for n := 1; n <= len(o.Name); n++ {
			for _, word := range []string{o.Name[:n], o.Name[:n] + "=v"} {
				if got, want := lookup(word, exact), lookup(word, nil); got != want {
					t.Errorf("--%s: indexed %s, scanned %s", word, got, want)
				}
			}
		}
	}
	if got := lookup("dport", exact); !strings.HasPrefix(got, "300 ") {
		t.Errorf("--dport: %s, want the first dport (300)", got)
	}
}
