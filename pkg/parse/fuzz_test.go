// SPDX-License-Identifier: GPL-2.0-or-later

package parse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// Fuzz targets for the command line grammar and the restore tokenizer.
// `go test` runs their seeds; `make fuzz` (go test -fuzz) searches further.
// Nothing here may panic or hang, and every rejection must be a clear
// *Error.

// fuzzExts stands in for libxtables with a few extensions that behave like
// the real ones: new-style matches and targets, an old-style option that
// takes a second word from argv (as --tcp-flags does), a final check
// (comment needs --comment), options shared by two extensions, and
// argument checks.
type fuzzExts struct {
	proto   uint16
	comment map[*Ext]bool
	loaded  int
}

var fuzzOptions = map[string][]Option{
	"tcp": {{Name: "source-port", HasArg: 1, ID: 1}, {Name: "sport", HasArg: 1, ID: 1},
		{Name: "destination-port", HasArg: 1, ID: 2}, {Name: "dport", HasArg: 1, ID: 2},
		{Name: "syn", HasArg: 0, ID: 3}, {Name: "tcp-flags", HasArg: 1, ID: 4}},
	"udp":       {{Name: "sport", HasArg: 1, ID: 1}, {Name: "dport", HasArg: 1, ID: 2}},
	"multiport": {{Name: "dports", HasArg: 1, ID: 0}, {Name: "sports", HasArg: 1, ID: 1}, {Name: "ports", HasArg: 1, ID: 2}},
	"comment":   {{Name: "comment", HasArg: 1, ID: 0}},
	"limit":     {{Name: "limit", HasArg: 1, ID: 0}, {Name: "limit-burst", HasArg: 1, ID: 1}},
	"mark":      {{Name: "mark", HasArg: 1, ID: 0}},
	"icmp":      {{Name: "icmp-type", HasArg: 1, ID: 0}},
	"LOG":       {{Name: "log-prefix", HasArg: 1, ID: 0}, {Name: "log-level", HasArg: 1, ID: 1}},
	"REJECT":    {{Name: "reject-with", HasArg: 1, ID: 0}},
	"MARK":      {{Name: "set-mark", HasArg: 1, ID: 0}, {Name: "mark", HasArg: 2, ID: 1}},
}

func (f *fuzzExts) load(name string, target bool) *Ext {
	opts, ok := fuzzOptions[name]
	if !ok || (strings.ToUpper(name) == name) != target {
		return nil
	}
	f.loaded++
	return &Ext{Name: name, Target: target, HasParse: true, Options: opts}
}

func (f *fuzzExts) LoadMatch(name string, tryLoad bool) (*Ext, error) {
	if len(name) >= 29 {
		return nil, errorf(2, "Invalid match name \"%s\" (28 chars max)", name)
	}
	m := f.load(name, false)
	if m == nil {
		if tryLoad {
			return nil, nil
		}
		return nil, errorf(2, "Couldn't load match `%s':No such file or directory\n", name)
	}
	if f.comment == nil {
		f.comment = map[*Ext]bool{}
	}
	if name == "comment" {
		f.comment[m] = false
	}
	return m, nil
}

func (f *fuzzExts) LoadTarget(name string) (*Ext, error) { return f.load(name, true), nil }

func (f *fuzzExts) IsTarget(name string) bool {
	switch name {
	case "ACCEPT", "DROP", "RETURN", "QUEUE", "LOG", "REJECT", "MARK":
		return true
	}
	return false
}

func (f *fuzzExts) ParseOption(e *Ext, id int, arg string, hasArg, invert bool, argv []string, optind int) (int, error) {
	var opt *Option
	for i := range e.Options {
		if e.Options[i].ID == id {
			opt = &e.Options[i]
		}
	}
	if opt == nil {
		return optind, fmt.Errorf("fuzzExts: %s has no option %d", e.Name, id)
	}
	if opt.HasArg == 1 && !hasArg {
		return optind, errorf(2, "%s: option \"--%s\" requires an argument", e.Name, opt.Name)
	}
	switch {
	case e.Name == "comment":
		if len(arg) > 255 {
			return optind, errorf(2, "comment: maximum length %d exceeded by %d", 255, len(arg))
		}
		f.comment[e] = true
	case opt.Name == "tcp-flags":
		// Old style: the second word is argv[optind].
		if optind >= len(argv) || strings.HasPrefix(argv[optind], "-") {
			return optind, errorf(2, "--tcp-flags requires two args.")
		}
		return optind + 1, nil
	case strings.HasSuffix(opt.Name, "port") || strings.HasSuffix(opt.Name, "ports"):
		for _, p := range strings.Split(arg, ",") {
			for _, q := range strings.SplitN(p, ":", 2) {
				if n, err := strconv.ParseUint(q, 10, 16); q != "" && (err != nil || n > 65535) {
					return optind, errorf(2, "invalid port/service `%s' specified", q)
				}
			}
		}
	case invert && e.Target:
		return optind, errorf(2, "%s: unexpected \"!\"", e.Name)
	}
	return optind, nil
}

func (f *fuzzExts) ParseProtocol(name string) (uint16, error) {
	switch name {
	case "all", "":
		return 0, nil
	case "tcp":
		return 6, nil
	case "udp":
		return 17, nil
	case "icmp":
		return 1, nil
	}
	if n, ok := strtoui(name, 0, 255); ok {
		return uint16(n), nil
	}
	return 0, errorf(2, "unknown protocol \"%s\" specified", name)
}

func (f *fuzzExts) ProtoName(p uint16, nolookup bool) (string, bool) {
	switch p {
	case 6:
		return "tcp", true
	case 17:
		return "udp", true
	case 1:
		return "icmp", true
	}
	return "", false
}

func (f *fuzzExts) SetProto(proto uint16, flags, invflags uint8) { f.proto = proto }

func (f *fuzzExts) FinalCheck() error {
	for _, done := range f.comment {
		if !done {
			return errorf(2, "comment: option \"--comment\" must be specified")
		}
	}
	return nil
}

func (f *fuzzExts) ParseAddresses(spec string) (addrs, masks []netip.Addr, err error) {
	prefixes, err := fakePrefixes(spec)
	for _, p := range prefixes {
		addrs = append(addrs, p.Masked().Addr())
		masks = append(masks, p.Addr()) // the fuzz targets only count them
	}
	return addrs, masks, err
}

// watchdog crashes the process, which the fuzzing engine reports with the
// input, when the input takes more than 10 seconds: a hang. Call the
// function it returns when done.
func watchdog(input string) func() {
	t := time.AfterFunc(10*time.Second, func() {
		panic(fmt.Sprintf("no result after 10s for %d bytes of input: %.200q", len(input), input))
	})
	return func() { t.Stop() }
}

// checkParseError fails unless err is a rejection iptables would print:
// a *Error with an exit status, and a message unless it is bare.
func checkParseError(t *testing.T, argv []string, err error) {
	t.Helper()
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("%q: error %v (%T) is not a *parse.Error", argv, err, err)
	}
	if pe.Status < 1 || pe.Status > 4 {
		t.Fatalf("%q: exit status %d", argv, pe.Status)
	}
	if pe.Form != Bare && strings.TrimSpace(pe.Msg) == "" {
		t.Fatalf("%q: error without a message", argv)
	}
}

// fuzzParse parses argv and checks what any parse must satisfy.
func fuzzParse(t *testing.T, argv []string, ipv6, restore bool) {
	t.Helper()
	cfg := func() Config {
		return Config{IPv6: ipv6, Restore: restore, Program: "iptables", Exts: &fuzzExts{}, Stderr: io.Discard}
	}
	cmd, addrs, err := Parse(argv, cfg())
	if err != nil {
		checkParseError(t, argv, err)
	} else {
		switch {
		case cmd.Help, cmd.Version, cmd.Ignored:
		case cmd.Command == CmdNone:
			t.Fatalf("%q: parsed without a command", argv)
		case len(cmd.Chain) >= maxNameLen:
			t.Fatalf("%q: chain name of %d bytes accepted", argv, len(cmd.Chain))
		case cmd.Command&cmdIDRAC != 0 && (len(addrs.Src) == 0 || len(addrs.Dst) == 0):
			t.Fatalf("%q: a rule with %d sources and %d destinations", argv, len(addrs.Src), len(addrs.Dst))
		case cmd.Chain != "" && !cmd.ChainSet && cmd.Command&(CmdList|CmdListRules|CmdFlush|CmdZero|CmdDeleteChain) != 0:
			t.Fatalf("%q: chain %q but ChainSet is false", argv, cmd.Chain)
		}
	}
	// The same words parse the same way again.
	cmd2, addrs2, err2 := Parse(argv, cfg())
	if fmt.Sprint(err) != fmt.Sprint(err2) || !sameCommand(cmd, cmd2) || !reflect.DeepEqual(addrs, addrs2) {
		t.Fatalf("%q: parsed differently twice: %v / %v", argv, err, err2)
	}
}

func sameCommand(a, b *Command) bool {
	if a == nil || b == nil {
		return a == b
	}
	x, y := *a, *b
	x.Matches, y.Matches, x.Target, y.Target = nil, nil, nil, nil
	return reflect.DeepEqual(x, y) && len(a.Matches) == len(b.Matches) && (a.Target == nil) == (b.Target == nil)
}

// FuzzParseArgv: a command line, its words separated by NUL bytes (argv
// cannot hold a NUL).
func FuzzParseArgv(f *testing.F) {
	for _, s := range []string{
		"-A INPUT -p tcp --dport 22 -j ACCEPT",
		"-A INPUT -p tcp --tcp-flags SYN,ACK SYN -j LOG --log-prefix x",
		"-A INPUT -p tcp --tcp-flags",
		"-I INPUT 3 -s 10.0.0.0/8,192.168.0.1 ! -d 1.2.3.4 -m comment --comment hi -j REJECT --reject-with x",
		"-A INPUT -m comment -j ACCEPT",
		"-A INPUT -m multiport --dports 1,2,3:4 -m multiport --sports 5 -j ACCEPT",
		"-A INPUT -m tcp --dport 1 -m tcp --sport 2 -m udp --dport 3",
		"-A INPUT -s  -j ACCEPT",
		"-A INPUT -s\x00\x00-j\x00ACCEPT",
		"-D INPUT 1:2", "-D INPUT 99999999999999999999", "-R INPUT", "-I INPUT 0",
		"-L -n -v -x --line-numbers", "-S INPUT 1", "-L -Z", "-Z INPUT 3 -L",
		"-N aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "-N -x", "-N ACCEPT", "-N a\tb", "-E a b", "-E a",
		"-P INPUT DROP", "-P INPUT", "-t nat -P INPUT DROP", "-t nat -A INPUT -j DROP",
		"-w 99999999999999999999 -L", "-w -W 100 -L", "-W 1000000 -w -L", "-w x -L",
		"-c 1 2 -A INPUT -j ACCEPT", "-A INPUT -c 1,2", "-A INPUT -c -99999999999999999999 1",
		"! -A INPUT", "-A INPUT ! ! -s 1.2.3.4", "-A INPUT !", "-A INPUT ! -j ACCEPT",
		"--ap INPUT --proto tcp --dp 1 --jump ACCEPT", "--list-r", "--li", "--foo", "-aL",
		"-4 -A INPUT -j ACCEPT", "-6 -A INPUT -j ACCEPT", "-V", "! -V", "-h", "-p tcp -h",
		"-A INPUT -i abcdefghijklmnopq -o a/b -j ACCEPT", "-A INPUT -i  -j ACCEPT",
		"-A INPUT -p 99999 -j ACCEPT", "-A INPUT ! -p all -j ACCEPT", "-A INPUT -f -j ACCEPT",
		"-A INPUT -j MARK --mark", "-A INPUT -j MARK --mark=1 --set-mark 2",
		"-A INPUT -- -j ACCEPT", "-A INPUT -j \xff\xfe", "-N \xc3\x28",
		"-A\x00", "-F\x00", "-X\x00", "-L\x00\x00-Z", "-Z\x00\x001", "-S\x00\x002",
	} {
		f.Add(s, false, false)
	}
	f.Add("-A INPUT -j ACCEPT", true, false)
	f.Add("-t filter -A INPUT -t nat -j ACCEPT", false, true)
	f.Add("-w -A INPUT", false, true)
	f.Fuzz(func(t *testing.T, words string, v6, restore bool) {
		defer watchdog(words)()
		argv := append([]string{"iptables"}, strings.Split(words, "\x00")...)
		if !strings.Contains(words, "\x00") {
			argv = append([]string{"iptables"}, strings.Fields(words)...)
		}
		fuzzParse(t, argv, v6, restore)
	})
}

// fgets is iptables-restore's reading loop, as simply as it can be said:
// pieces of at most RestoreLineMax-1 bytes ending at a newline, cut at the
// first NUL.
func fgets(data string) []string {
	var out []string
	for data != "" {
		n := min(len(data), RestoreLineMax-1)
		if i := strings.IndexByte(data[:n], '\n'); i >= 0 {
			n = i + 1
		}
		piece := data[:n]
		data = data[n:]
		if i := strings.IndexByte(piece, 0); i >= 0 {
			piece = piece[:i]
		}
		out = append(out, piece)
	}
	return out
}

// FuzzRestoreText: a restore file through the line reader (compared with
// fgets), the counters and word splitting of rule lines, and the command
// line grammar in restore mode.
func FuzzRestoreText(f *testing.F) {
	for _, s := range []string{
		"*filter\n:INPUT ACCEPT [0:0]\n:x - [0:0]\n[1:2] -A INPUT -j x\n-A x -m comment --comment \"a \\\"b\\\" c\" -j ACCEPT\nCOMMIT\n",
		"*filter\n-A INPUT -j ACCEPT\x00junk\nCOMMIT",
		"\x00\n\x00\x00\n",
		"*filter\n[1:2:3] -A INPUT\n[abc -A INPUT\n[:] -A INPUT\n[::2] -A INPUT\n[1:]x\n",
		"*filter\n-A INPUT \"unterminated\n\"\" \"\" x\n",
		"*nat\n*filter\nCOMMIT\nCOMMIT\n",
		"# comment\n\n\n*filter\r\nCOMMIT\r\n",
		strings.Repeat("x", RestoreLineMax+5) + "\n" + strings.Repeat("y", RestoreLineMax-2) + "\n",
		"*filter\n-A INPUT" + strings.Repeat(" -m comment --comment x", 90) + "\n",
		"*filter\n-A INPUT -m comment --comment \"" + strings.Repeat("z", 1100) + "\"\n",
		"*filter\n-4 -A INPUT -j ACCEPT\n-6 -A INPUT -j DROP\n-t nat -A INPUT\n",
	} {
		f.Add(s, false)
	}
	f.Add("*filter\n:INPUT ACCEPT [99999999999999999999:-1]\n[5:6] -A INPUT -j ACCEPT\n", true)
	f.Fuzz(func(t *testing.T, data string, counters bool) {
		defer watchdog(data)()
		want := fgets(data)
		checkLineReader(t, data, want)
		for n, line := range want {
			fuzzRestoreLine(t, line, n+1, counters)
		}
	})
}

// TestFuzzOracle checks the fuzz targets' own model of fgets on a few
// hand-counted inputs.
func TestFuzzOracle(t *testing.T) {
	long := strings.Repeat("x", RestoreLineMax)
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a\nb", []string{"a\n", "b"}},
		{"a\x00b\nc\n", []string{"a", "c\n"}},
		{long + "\n", []string{long[:RestoreLineMax-1], "x\n"}},
	} {
		if got := fgets(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("fgets(%.20q) = %q, want %q", c.in, got, c.want)
		}
	}
	if !bytes.Equal([]byte(fgets("\n")[0]), []byte("\n")) {
		t.Error("fgets(newline)")
	}
}

// checkLineReader compares the line reader, fed data all at once, a byte
// at a time and with its last bytes and the end together, with fgets.
func checkLineReader(t *testing.T, data string, want []string) {
	for _, r := range []io.Reader{strings.NewReader(data), iotest.OneByteReader(strings.NewReader(data)),
		iotest.DataErrReader(strings.NewReader(data))} {
		lr := NewLineReader(r)
		var got []string
		for {
			piece, err := lr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("line reader: %v", err)
			}
			if len(piece) > RestoreLineMax-1 || strings.IndexByte(piece, 0) >= 0 {
				t.Fatalf("line reader: a piece of %d bytes, NUL at %d", len(piece), strings.IndexByte(piece, 0))
			}
			got = append(got, piece)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("line reader: %d pieces, fgets %d:\n%q\n%q", len(got), len(want), got, want)
		}
	}
}

// fuzzRestoreLine checks the counters and word splitting of one line of a
// restore file, and parses a rule line.
func fuzzRestoreLine(t *testing.T, line string, lineno int, counters bool) {
	if line == "" || line[0] == '#' || line[0] == '*' || line[0] == ':' || line == "COMMIT\n" {
		for _, w := range strings.Fields(line) {
			if _, _, ok := ParseRestoreCounters(w); ok && w[0] != '[' {
				t.Fatalf("counters %q without a [", w)
			}
		}
		return
	}
	pcnt, bcnt, rest, has, err := RuleCounters(line, lineno)
	if err != nil {
		checkParseError(t, []string{line}, err)
		return
	}
	if !has && rest != line {
		t.Fatalf("%q: no counters, but the rest is %q", line, rest)
	}
	if len(rest) > len(line) {
		t.Fatalf("%q: the rest %q is longer than the line", line, rest)
	}
	argv := []string{"iptables-restore", "-t", "filter"}
	if counters && has {
		argv = append(argv, "--set-counters", pcnt, bcnt)
	}
	prefix := len(argv) // the counters may be longer than a word
	argv, err = SplitRestoreArgs(rest, argv)
	if err != nil {
		checkParseError(t, []string{rest}, err)
		return
	}
	if len(argv) >= maxArgc {
		t.Fatalf("%q: %d words", rest, len(argv))
	}
	for _, w := range argv[prefix:] {
		if len(w) >= maxParam {
			t.Fatalf("%q: a word of %d bytes", rest, len(w))
		}
	}
	fuzzParse(t, argv, false, true)
}
