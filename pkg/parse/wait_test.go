// SPDX-License-Identifier: GPL-2.0-or-later

package parse

import (
	"testing"
	"time"
)

func TestParseWaitTime(t *testing.T) {
	for in, want := range map[string]int{"5": 5, " 7": 7, "0x10": 16, "010": 8, "3s": 3, "-1": -1, "0": 0, "+2": 2, "0x": 0} {
		got, err := ParseWaitTime(in, true)
		if err != nil || got != want {
			t.Errorf("ParseWaitTime(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	if got, err := ParseWaitTime("", false); err != nil || got != -1 {
		t.Errorf("no argument: %d, %v; want -1 (forever)", got, err)
	}
	for _, in := range []string{"x", "s5", "-", ""} {
		_, err := ParseWaitTime(in, true)
		if e, ok := err.(*Error); !ok || e.Msg != "wait seconds not numeric" || e.Status != 2 {
			t.Errorf("ParseWaitTime(%q): %v", in, err)
		}
	}
}

func TestParseWaitInterval(t *testing.T) {
	if d, err := ParseWaitInterval("100", true); err != nil || d != 100*time.Microsecond {
		t.Errorf("100: %v, %v", d, err)
	}
	cases := map[string]string{
		"1000000": "too long usec wait 1000000 > 999999 usec",
		"-1":      "too long usec wait 4294967295 > 999999 usec",
		"abc":     "wait interval not numeric",
		"":        "wait interval not numeric", // --wait-interval=
	}
	for in, want := range cases {
		_, err := ParseWaitInterval(in, true)
		if e, ok := err.(*Error); !ok || e.Msg != want || e.Status != 2 {
			t.Errorf("ParseWaitInterval(%q): %v, want %q", in, err, want)
		}
	}
	if _, err := ParseWaitInterval("", false); err == nil || err.Error() != "wait interval value required" {
		t.Errorf("no argument: %v", err)
	}
}
