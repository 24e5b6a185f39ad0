// SPDX-License-Identifier: GPL-2.0-or-later

package parse

import "time"

// WaitIntervalWarning is what iptables 1.8.11 prints for --wait-interval
// (-W), which it still reads but ignores.
const WaitIntervalWarning = "Ignoring deprecated --wait-interval option."

// ParseWaitTime is parse_wait_time: the argument of -w (--wait), the
// seconds to wait for the xtables lock, read with sscanf's %i (decimal,
// 0x hex or 0 octal; anything after the number is ignored). Without an
// argument (hasArg false) it is -1, wait forever; an empty argument
// (--wait=) is not a number.
func ParseWaitTime(arg string, hasArg bool) (int, error) {
	if !hasArg {
		return -1, nil
	}
	w, ok := scanInt(arg)
	if !ok {
		return 0, paramError("wait seconds not numeric")
	}
	return w, nil
}

// ParseWaitInterval is parse_wait_interval: the argument of -W
// (--wait-interval), microseconds read with sscanf's %u, at most 999999.
// It has no default: without an argument it is an error. iptables then
// prints WaitIntervalWarning and ignores the value, which is returned for
// callers that want to poll at that interval.
func ParseWaitInterval(arg string, hasArg bool) (time.Duration, error) {
	if !hasArg {
		return 0, paramError("wait interval value required")
	}
	usec, ok := scanUint(arg)
	if !ok {
		return 0, paramError("wait interval not numeric")
	}
	if usec > 999999 {
		return 0, paramError("too long usec wait %d > 999999 usec", usec)
	}
	return time.Duration(usec) * time.Microsecond, nil
}
