// SPDX-License-Identifier: GPL-2.0-or-later

package parse

import (
	"strconv"
	"strings"
)

// strtoui is xtables_strtoui(s, NULL, &v, min, max): C's strtoul with base
// 0 over the whole string, which xtables_strtoul refuses to read with a
// minus sign.
func strtoui(s string, min, max uint64) (uint64, bool) {
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	t = strings.TrimPrefix(t, "+")
	if t == "" || t[0] == '-' {
		return 0, false
	}
	base := 10
	switch {
	case len(t) > 2 && (t[:2] == "0x" || t[:2] == "0X"):
		base, t = 16, t[2:]
	case len(t) > 1 && t[0] == '0':
		base, t = 8, t[1:]
	}
	v, err := strconv.ParseUint(t, base, 64)
	if err != nil {
		return 0, false
	}
	return v, v >= min && v <= max
}

// scanPrefix splits s as sscanf's integer conversions read it: the sign
// after leading white space, the decimal digits, and the rest.
func scanPrefix(s string) (neg bool, digits string, rest string) {
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	if strings.HasPrefix(t, "+") {
		t = t[1:]
	} else if strings.HasPrefix(t, "-") {
		neg, t = true, t[1:]
	}
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	return neg, t[:i], t[i:]
}

// scanULL is sscanf(s, "%llu"): strtoull, which gives ULLONG_MAX for a
// number too large, whatever its sign, and negates a smaller one.
func scanULL(s string) (uint64, bool) {
	v, _, ok := scanULLRest(s)
	return v, ok
}

// scanULLRest is scanULL that also returns what follows the number.
func scanULLRest(s string) (v uint64, rest string, ok bool) {
	neg, d, rest := scanPrefix(s)
	if d == "" {
		return 0, rest, false
	}
	v, overflow := accumulate(d, 10)
	if overflow {
		return ^uint64(0), rest, true
	}
	if neg {
		v = -v
	}
	return v, rest, true
}

// ScanCounters is sscanf(s, "[%llu:%llu]", &pkts, &bytes), as
// iptables-restore reads a chain's counters and iptables-xml any
// counters: n is sscanf's result, how many of the two numbers were read
// (0 to 2); the others are 0.
func ScanCounters(s string) (pkts, bytes uint64, n int) {
	if !strings.HasPrefix(s, "[") {
		return 0, 0, 0
	}
	pkts, rest, ok := scanULLRest(s[1:])
	if !ok {
		return 0, 0, 0
	}
	if !strings.HasPrefix(rest, ":") {
		return pkts, 0, 1
	}
	if bytes, ok = scanULL(rest[1:]); !ok {
		return pkts, 0, 1
	}
	return pkts, bytes, 2
}

// accumulate is the value of digits d in base, and whether it overflows
// 64 bits.
func accumulate(d string, base uint64) (v uint64, overflow bool) {
	for i := 0; i < len(d); i++ {
		x := uint64(digitValue(d[i]))
		if v > (^uint64(0)-x)/base {
			return ^uint64(0), true
		}
		v = v*base + x
	}
	return v, false
}

func digitValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return 99
}

// scanUint is sscanf(s, "%u").
func scanUint(s string) (uint64, bool) {
	v, ok := scanULL(s)
	return v & 0xffffffff, ok
}

// scanInt is sscanf(s, "%i") into an int: decimal, 0x hex or 0 octal, as
// strtol reads it (a number too large becomes LONG_MAX, or LONG_MIN when
// negative), then cut to 32 bits as C's conversion to int does. "0x"
// without a hex digit after it is 0.
func scanInt(s string) (int, bool) {
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if strings.HasPrefix(t, "+") {
		t = t[1:]
	} else if strings.HasPrefix(t, "-") {
		neg, t = true, t[1:]
	}
	base, digits := uint64(10), "0123456789"
	if len(t) > 1 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') {
		base, digits, t = 16, "0123456789abcdefABCDEF", t[2:]
		if t == "" || strings.IndexByte(digits, t[0]) < 0 {
			return 0, true
		}
	} else if len(t) > 0 && t[0] == '0' {
		base, digits = 8, "01234567"
	}
	i := 0
	for i < len(t) && strings.IndexByte(digits, t[i]) >= 0 {
		i++
	}
	if i == 0 {
		return 0, false
	}
	mag, overflow := accumulate(t[:i], base)
	var v int64
	switch {
	case !neg && (overflow || mag > 1<<63-1):
		v = 1<<63 - 1
	case neg && (overflow || mag > 1<<63):
		v = -1 << 63
	case neg:
		v = -int64(mag)
	default:
		v = int64(mag)
	}
	return int(int32(v)), true
}
