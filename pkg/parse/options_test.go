// SPDX-License-Identifier: GPL-2.0-or-later

package parse

import (
	"sort"
	"strings"
	"testing"
)

// TestGetoptTables: the getopt tables made from CoreOptions are
// iptables' own (IPT_OPTSTRING and the options of xshared.c).
func TestGetoptTables(t *testing.T) {
	specs := func(optstring string) []string {
		var out []string
		for i := 0; i < len(optstring); i++ {
			spec := optstring[i : i+1]
			for i+1 < len(optstring) && optstring[i+1] == ':' {
				spec += ":"
				i++
			}
			out = append(out, spec)
		}
		sort.Strings(out)
		return out
	}
	const ipt = "A:C:D:E:F::I:L::M:N:P:R:S::VX::Z::c:d:i:j:o:p:s:t:vW::46fg:h::m:nw::x"
	if got, want := strings.Join(specs(optstring), " "), strings.Join(specs(ipt), " "); got != want {
		t.Errorf("optstring %q\nhas  %s\nwant %s", optstring, got, want)
	}
	want := []LongOpt{
		{"append", 1, 'A'}, {"delete", 1, 'D'}, {"check", 1, 'C'},
		{"insert", 1, 'I'}, {"replace", 1, 'R'}, {"list", 2, 'L'},
		{"list-rules", 2, 'S'}, {"flush", 2, 'F'}, {"zero", 2, 'Z'},
		{"new-chain", 1, 'N'}, {"delete-chain", 2, 'X'}, {"rename-chain", 1, 'E'},
		{"policy", 1, 'P'}, {"source", 1, 's'}, {"destination", 1, 'd'},
		{"src", 1, 's'}, {"dst", 1, 'd'}, {"protocol", 1, 'p'},
		{"in-interface", 1, 'i'}, {"jump", 1, 'j'}, {"table", 1, 't'},
		{"match", 1, 'm'}, {"numeric", 0, 'n'}, {"out-interface", 1, 'o'},
		{"verbose", 0, 'v'}, {"wait", 2, 'w'}, {"wait-interval", 2, 'W'},
		{"exact", 0, 'x'}, {"fragments", 0, 'f'}, {"version", 0, 'V'},
		{"help", 2, 'h'}, {"line-numbers", 0, '0'}, {"modprobe", 1, 'M'},
		{"set-counters", 1, 'c'}, {"goto", 1, 'g'}, {"ipv4", 0, '4'},
		{"ipv6", 0, '6'},
	}
	byName := map[string]LongOpt{}
	for _, o := range coreOpts {
		byName[o.Name] = o
	}
	for _, w := range want {
		if byName[w.Name] != w {
			t.Errorf("--%s: %+v, want %+v", w.Name, byName[w.Name], w)
		}
	}
	if len(coreOpts) != len(want) {
		t.Errorf("%d long options, want %d", len(coreOpts), len(want))
	}
}

// TestOptionNames: iptables' messages name the options with Opt* bits
// by their main long names (ip46t_option_name).
func TestOptionNames(t *testing.T) {
	want := []string{"--numeric", "--source", "--destination", "--protocol", "--jump", "--verbose",
		"--exact", "--in-interface", "--out-interface", "--line-numbers", "--set-counters", "--fragments"}
	for bit, name := range want {
		if got := optionName(1 << bit); got != name {
			t.Errorf("option bit %d: %s, want %s", bit, got, name)
		}
	}
	if got := optionName(1 << numberOfOpt); got != "unknown option" {
		t.Errorf("no such option: %s", got)
	}
}

func TestCoreOptionsHelp(t *testing.T) {
	var four, six *CoreOption
	opts := CoreOptions()
	for i := range opts {
		switch opts[i].Short {
		case '4':
			four = &opts[i]
		case '6':
			six = &opts[i]
		case 'f':
			if opts[i].Help(true) != "" || opts[i].Help(false) == "" {
				t.Errorf("-f's help: %q for IPv4, %q for IPv6", opts[i].Help(false), opts[i].Help(true))
			}
		}
	}
	if !strings.Contains(four.Help(false), "\tNothing (") || !strings.Contains(four.Help(true), "\tError (") ||
		!strings.Contains(six.Help(true), "\tNothing (") || !strings.Contains(six.Help(false), "\tError (") {
		t.Errorf("-4 and -6: %q %q %q %q", four.Help(false), four.Help(true), six.Help(false), six.Help(true))
	}
	opts[0].Long[0] = "changed"
	if coreOptions[0].Long[0] == "changed" {
		t.Errorf("CoreOptions hands out the table itself")
	}
}
