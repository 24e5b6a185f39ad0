// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"encoding/json"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/iptc"
	"github.com/goipt/goipt/pkg/parse"
)

func TestTakeFlags(t *testing.T) {
	for _, c := range []struct {
		g     *flagGrammar
		in    string
		out   string
		found bool
	}{
		{&iptablesFlags, "iptables --json -L", "iptables -L", true},
		{&iptablesFlags, "iptables -L --json", "iptables -L", true},
		{&iptablesFlags, "iptables -L INPUT 2 --json -v", "iptables -L INPUT 2 -v", true},
		{&iptablesFlags, "iptables -t nat --json -nvL", "iptables -t nat -nvL", true},
		{&iptablesFlags, "iptables -tnat --json -S", "iptables -tnat -S", true},
		{&iptablesFlags, "iptables -w --json -S", "iptables -w -S", true},
		{&iptablesFlags, "iptables -t --json -S", "iptables -t --json -S", false},
		{&iptablesFlags, "iptables -A X -m comment --comment --json", "iptables -A X -m comment --comment --json", false},
		{&iptablesFlags, "iptables -A X -c 1 --json", "iptables -A X -c 1 --json", false},
		{&iptablesFlags, "iptables -A X -c 1 2 --json", "iptables -A X -c 1 2", true},
		{&iptablesFlags, "iptables -A X --set-counters 1 --json", "iptables -A X --set-counters 1 --json", false},
		{&iptablesFlags, "iptables -A X -p tcp --tcp-flags SYN --json", "iptables -A X -p tcp --tcp-flags SYN", true},
		{&iptablesFlags, "iptables -A X ! --json", "iptables -A X !", true},
		{&iptablesFlags, "iptables -A X --comment=a --json", "iptables -A X --comment=a", true},
		{&iptablesFlags, "iptables -S -- --json", "iptables -S -- --json", false},
		{&saveFlags, "iptables-save -c --json -t nat", "iptables-save -c -t nat", true},
		{&saveFlags, "iptables-save -t --json", "iptables-save -t --json", false},
		{&saveFlags, "iptables-save -f --json", "iptables-save -f --json", false},
		{&restoreFlags, "iptables-restore -n --plan --json file", "iptables-restore -n file", true},
		{&restoreFlags, "iptables-restore -T --json --plan", "iptables-restore -T --json", true},
		{&restoreFlags, "iptables-restore -M --plan", "iptables-restore -M --plan", false},
	} {
		out, found := c.g.takeFlags(strings.Fields(c.in), "--json", "--plan")
		if got := strings.Join(out, " "); got != c.out || (len(found) > 0) != c.found {
			t.Errorf("%q: %q %v, want %q %v", c.in, got, found, c.out, c.found)
		}
	}
}

func TestRestoreQuote(t *testing.T) {
	for _, w := range []string{"plain", "", "two words", `say "hi"`, `back\slash`, "!", "tab\there", `"`, `\`} {
		q, err := restoreQuote(w)
		if err != nil {
			t.Fatal(err)
		}
		got, err := parse.SplitRestoreArgs("-A X --comment "+q+" -j ACCEPT", nil)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"-A", "X", "--comment", w, "-j", "ACCEPT"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q quoted %s reads back %q", w, q, got)
		}
	}
	if _, err := restoreQuote("two\nlines"); err == nil {
		t.Error("a line break was quoted")
	}
}

func TestRuleWords(t *testing.T) {
	var e iptc.EasyRule
	doc := `{"src": "!10.0.0.0/8", "in-interface": "+", "out-interface": "!+", "protocol": "!tcp",
		"fragment": false,
		"matches": [{"name": "tcp", "params": {"dport": "!22", "tcp-flags": ["SYN,ACK", "SYN"], "syn": ""}},
		            {"name": "comment", "params": {"comment": {"value": "!x"}}}],
		"target": "web", "goto": true}`
	if err := jsonUnmarshal(doc, &e); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(e.Rule().Words(), " ")
	want := "! -s 10.0.0.0/8 ! -o + ! -p tcp ! -f -m tcp ! --dport 22 --tcp-flags SYN,ACK SYN --syn -m comment --comment !x -g web"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestRestoreText(t *testing.T) {
	doc, err := ReadJSONDoc(strings.NewReader(`{"family": "ipv4", "tables": [{"name": "filter", "chains": [
		{"name": "INPUT", "policy": "DROP", "policy-counters": {"packets": 1, "bytes": 2},
		 "rules": [{"target": "ACCEPT", "counters": {"packets": 3, "bytes": 4}}]},
		{"name": "x", "rules": [{"matches": [{"name": "comment", "params": {"comment": "a b"}}]}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	text, lines, err := restoreText(ext.IPv4, doc)
	if err != nil {
		t.Fatal(err)
	}
	want := "*filter\n:INPUT DROP [1:2]\n:x - [0:0]\n[3:4] -A INPUT -j ACCEPT\n-A x -m comment --comment \"a b\"\nCOMMIT\n"
	if text != want {
		t.Errorf("got\n%s\nwant\n%s", text, want)
	}
	if lines[4] != `table "filter", chain "x", rule 1` {
		t.Errorf("line 5 is %q", lines[4])
	}
	if _, _, err := restoreText(ext.IPv6, doc); err == nil {
		t.Error("ipv4 document restored as ipv6")
	}
	for _, bad := range []string{
		`{"tables": [{"name": "a b", "chains": []}]}`,
		`{"tables": [{"name": "filter", "chains": [{"name": ""}]}]}`,
		`{"tables": [], "extra": 1}`,
		`{"tables": []} {}`,
	} {
		doc, err := ReadJSONDoc(strings.NewReader(bad))
		if err == nil {
			_, _, err = restoreText(ext.IPv4, doc)
		}
		if err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// apply replays an edit script on a, which must give b.
func apply(a []string, es []edit) []string {
	var out []string
	i := 0
	for _, e := range es {
		if e.add {
			for len(out) < e.at {
				out = append(out, a[i])
				i++
			}
			out = append(out, e.line)
			continue
		}
		for i < e.at {
			out = append(out, a[i])
			i++
		}
		if a[i] != e.line {
			panic("removal of a line that is not there")
		}
		i++
	}
	return append(out, a[i:]...)
}

func TestDiffLines(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"", ""}, {"a b c", "a b c"}, {"", "a b"}, {"a b", ""},
		{"a b c d", "a c d e"}, {"a b c a b b a", "c b a b a c"}, {"x a b", "a b x"},
	} {
		a, b := strings.Fields(c.a), strings.Fields(c.b)
		es := diffLines(a, b)
		if got := apply(a, es); strings.Join(got, " ") != c.b {
			t.Errorf("%q -> %q: script %v gives %q", c.a, c.b, es, got)
		}
	}
	// Minimal: one line moved is one removal and one addition.
	a := strings.Fields("1 2 3 4 5 6 7 8 9")
	b := strings.Fields("1 2 4 5 6 7 8 9 3")
	if es := diffLines(a, b); len(es) != 2 {
		t.Errorf("moved line: %v", es)
	}
	// Random lists, checked by replay.
	rng := rand.New(rand.NewSource(1))
	for n := 0; n < 200; n++ {
		var a, b []string
		for i := 0; i < rng.Intn(30); i++ {
			a = append(a, string(rune('a'+rng.Intn(5))))
		}
		for i := 0; i < rng.Intn(30); i++ {
			b = append(b, string(rune('a'+rng.Intn(5))))
		}
		if got := apply(a, diffLines(a, b)); strings.Join(got, "") != strings.Join(b, "") {
			t.Fatalf("%v -> %v: got %v", a, b, got)
		}
	}
	// Beyond maxEdits: everything removed, then added.
	var big1, big2 []string
	for i := 0; i < maxEdits; i++ {
		big1 = append(big1, "a"+string(rune(i)))
		big2 = append(big2, "b"+string(rune(i)))
	}
	if es := diffLines(big1, big2); len(es) != 2*maxEdits || es[0].add || !es[maxEdits].add {
		t.Errorf("fallback script of %d edits", len(es))
	}
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
