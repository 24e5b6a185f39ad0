// SPDX-License-Identifier: GPL-2.0-or-later

package parse

import "testing"

// TestScanfNumbers compares the sscanf emulations with glibc's own results
// (x86_64), large, negative and malformed numbers included: iptables reads
// -w with %i, -W with %u and counters with %llu.
func TestScanfNumbers(t *testing.T) {
	for _, c := range []struct {
		in    string
		i     int
		iok   bool
		u     uint64
		uok   bool
		ull   uint64
		ullok bool
	}{
		{"0", 0, true, 0, true, 0, true},
		{"5", 5, true, 5, true, 5, true},
		{" 5", 5, true, 5, true, 5, true},
		{"+5", 5, true, 5, true, 5, true},
		{"-5", -5, true, 4294967291, true, 18446744073709551611, true},
		{"5abc", 5, true, 5, true, 5, true},
		{"abc", 0, false, 0, false, 0, false},
		{"", 0, false, 0, false, 0, false},
		{"+", 0, false, 0, false, 0, false},
		{"-", 0, false, 0, false, 0, false},
		{"0x", 0, true, 0, true, 0, true},
		{"0x1f", 31, true, 0, true, 0, true},
		{"0X1F", 31, true, 0, true, 0, true},
		{"-0x", 0, true, 0, true, 0, true},
		{"0xg", 0, true, 0, true, 0, true},
		{"010", 8, true, 10, true, 10, true},
		{"08", 0, true, 8, true, 8, true},
		{"09", 0, true, 9, true, 9, true},
		{"0777777777777777777777777", -1, true, 4294967295, true, 18446744073709551615, true},
		{"2147483647", 2147483647, true, 2147483647, true, 2147483647, true},
		{"2147483648", -2147483648, true, 2147483648, true, 2147483648, true},
		{"4294967295", -1, true, 4294967295, true, 4294967295, true},
		{"4294967296", 0, true, 0, true, 4294967296, true},
		{"9223372036854775807", -1, true, 4294967295, true, 9223372036854775807, true},
		{"9223372036854775808", -1, true, 0, true, 9223372036854775808, true},
		{"99999999999999999999", -1, true, 4294967295, true, 18446744073709551615, true},
		{"-1", -1, true, 4294967295, true, 18446744073709551615, true},
		{"-2147483648", -2147483648, true, 2147483648, true, 18446744071562067968, true},
		{"-2147483649", 2147483647, true, 2147483647, true, 18446744071562067967, true},
		{"-9223372036854775808", 0, true, 0, true, 9223372036854775808, true},
		{"-9223372036854775809", 0, true, 4294967295, true, 9223372036854775807, true},
		{"-99999999999999999999", 0, true, 4294967295, true, 18446744073709551615, true},
		{"18446744073709551615", -1, true, 4294967295, true, 18446744073709551615, true},
		{"18446744073709551616", -1, true, 4294967295, true, 18446744073709551615, true},
		{"-18446744073709551615", 0, true, 1, true, 1, true},
		{"-18446744073709551616", 0, true, 4294967295, true, 18446744073709551615, true},
		{"0xffffffffffffffff", -1, true, 0, true, 0, true},
		{"0x1ffffffffffffffff", -1, true, 0, true, 0, true},
	} {
		if i, ok := scanInt(c.in); i != c.i || ok != c.iok {
			t.Errorf("%%i %q: %d %v, want %d %v", c.in, i, ok, c.i, c.iok)
		}
		if u, ok := scanUint(c.in); u != c.u || ok != c.uok {
			t.Errorf("%%u %q: %d %v, want %d %v", c.in, u, ok, c.u, c.uok)
		}
		if q, ok := scanULL(c.in); q != c.ull || ok != c.ullok {
			t.Errorf("%%llu %q: %d %v, want %d %v", c.in, q, ok, c.ull, c.ullok)
		}
	}
}

// TestScanCounters: sscanf(s, "[%llu:%llu]") reads as many numbers as it
// can, and says how many.
func TestScanCounters(t *testing.T) {
	for _, c := range []struct {
		in          string
		pkts, bytes uint64
		n           int
	}{
		{"[1:2]", 1, 2, 2},
		{"[ 1: 2]", 1, 2, 2},
		{"[1:2", 1, 2, 2},
		{"[-1:+2]x", 18446744073709551615, 2, 2},
		{"[1:x]", 1, 0, 1},
		{"[1]", 1, 0, 1},
		{"[1", 1, 0, 1},
		{"[x:2]", 0, 0, 0},
		{"[:2]", 0, 0, 0},
		{"1:2", 0, 0, 0},
		{"", 0, 0, 0},
	} {
		if p, b, n := ScanCounters(c.in); p != c.pkts || b != c.bytes || n != c.n {
			t.Errorf("ScanCounters(%q) = %d, %d, %d; want %d, %d, %d", c.in, p, b, n, c.pkts, c.bytes, c.n)
		}
	}
}

// TestStrtoui: xtables_strtoui, C's strtoul with base 0 over the whole
// string, without a minus sign.
func TestStrtoui(t *testing.T) {
	for _, c := range []struct {
		in string
		v  uint64
		ok bool
	}{
		{"1", 1, true}, {" 1", 1, true}, {"+1", 1, true}, {"0x10", 16, true}, {"010", 8, true},
		{"0", 0, false}, {"08", 0, false}, {"0x", 0, false}, {"1a", 0, false}, {"", 0, false},
		{"-1", 0, false}, {" -0", 0, false}, {"-18446744073709551615", 0, false}, {"+-1", 0, false},
		{"2147483647", 2147483647, true}, {"2147483648", 2147483648, false},
		{"18446744073709551616", 0, false},
	} {
		v, ok := strtoui(c.in, 1, 1<<31-1)
		if ok != c.ok || (ok && v != c.v) {
			t.Errorf("strtoui(%q) = %d, %v; want %d, %v", c.in, v, ok, c.v, c.ok)
		}
	}
}
