// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"bytes"
	"strings"
	"testing"
)

func TestMultiCallDispatch(t *testing.T) {
	t.Setenv(BackendEnv, "legacy") // the plain names' backend (TestPlainVariant)
	for _, tc := range []struct {
		args []string
		out  string
	}{
		{[]string{"/usr/sbin/iptables", "-V"}, "iptables v1.8.11 (legacy)\n"},
		{[]string{"ip6tables", "--version"}, "ip6tables v1.8.11 (legacy)\n"},
		{[]string{"/x/iptables-save", "-V"}, "iptables-save v1.8.11 (legacy)\n"},
		{[]string{"ip6tables-restore", "-V"}, "ip6tables-restore v1.8.11 (legacy)\n"},
		{[]string{"goipt", "iptables", "-V"}, "iptables v1.8.11 (legacy)\n"},
		{[]string{"goipt", "ip6tables-save", "-V"}, "ip6tables-save v1.8.11 (legacy)\n"},
		{[]string{"/sbin/xtables-legacy-multi", "restore6", "-V"}, "ip6tables-restore v1.8.11 (legacy)\n"},
		{[]string{"goipt", "-V"}, "iptables v1.8.11 (legacy)\n"},
		{[]string{"goipt", "version"}, "goipt 1.8.11"},
		{[]string{"goipt", "--version"}, "goipt 1.8.11"},
		{[]string{"iptables-nft", "-V"}, "iptables v1.8.11 (nf_tables)\n"},
		{[]string{"/usr/sbin/ip6tables-nft", "-V"}, "ip6tables v1.8.11 (nf_tables)\n"},
		{[]string{"goipt", "iptables-nft-save", "-V"}, "iptables-nft-save v1.8.11 (nf_tables)\n"},
		{[]string{"xtables-nft-multi", "iptables", "-V"}, "iptables v1.8.11 (nf_tables)\n"},
		{[]string{"xtables-nft-multi", "main6", "-V"}, "ip6tables v1.8.11 (nf_tables)\n"},
		{[]string{"xtables-nft-multi", "save4", "-V"}, "save4 v1.8.11 (nf_tables)\n"},
		{[]string{"xtables-legacy-multi", "iptables", "-V"}, "iptables v1.8.11 (legacy)\n"},
		{[]string{"iptables-legacy", "-V"}, "iptables v1.8.11 (legacy)\n"},
		{[]string{"goipt", "ip6tables-legacy-save", "-V"}, "ip6tables-save v1.8.11 (legacy)\n"},
	} {
		var out, errb bytes.Buffer
		if rc := Main(tc.args, &out, &errb); rc != 0 {
			t.Errorf("%q: exit %d: %s", tc.args, rc, errb.String())
			continue
		}
		if !strings.HasPrefix(out.String(), tc.out) {
			t.Errorf("%q: %q, want %q", tc.args, out.String(), tc.out)
		}
	}
}

func TestCobraHelpListsApplets(t *testing.T) {
	var out, errb bytes.Buffer
	if rc := Main([]string{"goipt", "--help"}, &out, &errb); rc != 0 {
		t.Fatalf("exit %d: %s", rc, errb.String())
	}
	for _, a := range AppletNames {
		if !strings.Contains(out.String(), a) {
			t.Errorf("help does not list %s:\n%s", a, out.String())
		}
	}
}

func TestReportParameterProblem(t *testing.T) {
	t.Setenv(BackendEnv, "legacy")
	var out, errb bytes.Buffer
	rc := Main([]string{"iptables", "--bogus"}, &out, &errb)
	want := "iptables v1.8.11 (legacy): unknown option \"--bogus\"\nTry `iptables -h' or 'iptables --help' for more information.\n"
	if rc != 2 || errb.String() != want {
		t.Errorf("exit %d, stderr %q; want 2, %q", rc, errb.String(), want)
	}
}

// TestNoSubcommand: xtables-legacy-multi without a subcommand, as its name
// or first argument, lists them on stderr and exits 1, as iptables'
// subcmd_main does; the list is xtables-legacy-multi.c's, in its order.
func TestNoSubcommand(t *testing.T) {
	want := "ERROR: No valid subcommand given.\nValid subcommands:\n" +
		" * iptables\n * main4\n * iptables-save\n * save4\n * iptables-restore\n * restore4\n" +
		" * iptables-legacy\n * iptables-legacy-save\n * iptables-legacy-restore\n * iptables-xml\n * xml\n" +
		" * ip6tables\n * main6\n * ip6tables-save\n * save6\n * ip6tables-restore\n * restore6\n" +
		" * ip6tables-legacy\n * ip6tables-legacy-save\n * ip6tables-legacy-restore\n"
	for _, args := range [][]string{
		{"xtables-legacy-multi"},
		{"/usr/sbin/xtables-legacy-multi", "foo", "-L"},
		{"xtables-legacy-multi", "-h"},
	} {
		var out, errb bytes.Buffer
		rc := Main(args, &out, &errb)
		if rc != 1 || out.Len() != 0 || errb.String() != want {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 1, nothing, the list", args, rc, out.String(), errb.String())
		}
	}
}

// TestNoSubcommandNFT: xtables-nft-multi lists the subcommands of
// iptables-nft 1.8.9's that goipt has, in its order.
func TestNoSubcommandNFT(t *testing.T) {
	want := "ERROR: No valid subcommand given.\nValid subcommands:\n" +
		" * iptables-xml\n * xml\n * iptables\n * iptables-nft\n * main4\n * save4\n * restore4\n" +
		" * iptables-save\n * iptables-restore\n * iptables-nft-save\n * iptables-nft-restore\n" +
		" * ip6tables\n * ip6tables-nft\n * main6\n * save6\n * restore6\n" +
		" * ip6tables-save\n * ip6tables-restore\n * ip6tables-nft-save\n * ip6tables-nft-restore\n"
	for _, args := range [][]string{{"xtables-nft-multi"}, {"/x/xtables-nft-multi", "ebtables", "-L"}, {"xtables-nft-multi", "iptables-legacy"}} {
		var out, errb bytes.Buffer
		if rc := Main(args, &out, &errb); rc != 1 || out.Len() != 0 || errb.String() != want {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, rc, out.String(), errb.String())
		}
	}
}

// TestRestoreNFTNotYet: iptables-nft-restore says it is not there yet,
// exit status 1, and reads nothing.
func TestRestoreNFTNotYet(t *testing.T) {
	var out, errb bytes.Buffer
	rc := Main([]string{"iptables-nft-restore"}, &out, &errb)
	if rc != 1 || out.Len() != 0 || !strings.Contains(errb.String(), "not implemented yet") {
		t.Errorf("exit %d, stdout %q, stderr %q", rc, out.String(), errb.String())
	}
}
