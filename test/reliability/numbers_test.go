// SPDX-License-Identifier: GPL-2.0-or-later

package reliability

import (
	"testing"
	"time"

	"github.com/goipt/goipt/pkg/parse"
)

// TestParseWaitHugeNumbers: -w and -W take numbers the way glibc's sscanf
// reads them (%i and %u): too large a number saturates (strtol, strtoul)
// and is then cut to 32 bits, it does not wrap around or fail. The values
// are glibc's on x86_64.
func TestParseWaitHugeNumbers(t *testing.T) {
	for _, c := range []struct {
		in   string
		wait int
	}{
		{"99999999999999999999", -1},
		{"-99999999999999999999", 0},
		{"9223372036854775808", -1},
		{"-9223372036854775809", 0},
		{"4294967296", 0},
		{"2147483648", -2147483648},
		{"0777777777777777777777777", -1},
		{"0x1ffffffffffffffff", -1},
		{"0x", 0},
		{"5", 5},
	} {
		got, err := parse.ParseWaitTime(c.in, true)
		if err != nil || got != c.wait {
			t.Errorf("ParseWaitTime(%q) = %d, %v; want %d", c.in, got, err, c.wait)
		}
	}
	for _, c := range []struct {
		in  string
		ok  bool
		val time.Duration
	}{
		{"99999999999999999999", false, 0},  // 4294967295 > 999999
		{"-99999999999999999999", false, 0}, // the same
		{"18446744073709551616", false, 0},
		{"9223372036854775808", true, 0}, // 2^63 cut to 32 bits is 0
		{"-18446744073709551615", true, time.Microsecond},
		{"999999", true, 999999 * time.Microsecond},
	} {
		got, err := parse.ParseWaitInterval(c.in, true)
		if (err == nil) != c.ok || got != c.val {
			t.Errorf("ParseWaitInterval(%q) = %v, %v; want ok %v, %v", c.in, got, err, c.ok, c.val)
		}
	}
	if _, err := parse.ParseWaitInterval("99999999999999999999", true); err == nil ||
		err.Error() != "too long usec wait 4294967295 > 999999 usec" {
		t.Errorf("ParseWaitInterval(huge): %v, want iptables' message with 4294967295", err)
	}
}
