// SPDX-License-Identifier: GPL-2.0-or-later

package parse

import (
	"bytes"
	"io"
	"strings"
)

// RestoreLineMax is iptables-restore's fgets buffer: longer lines arrive
// in pieces.
const RestoreLineMax = 10240

// LineReader reads a restore file as iptables-restore's fgets loop does:
// pieces of at most RestoreLineMax-1 bytes, each ending at a newline.
type LineReader struct {
	r        io.Reader
	buf      []byte
	pos, end int
	err      error // from r, returned once the buffer is empty
}

// NewLineReader wraps r.
func NewLineReader(r io.Reader) *LineReader {
	return &LineReader{r: r, buf: make([]byte, 64<<10)}
}

// Next returns the next piece, newline included, or io.EOF. Bytes after a
// NUL do not exist for the C string functions that read the piece, so they
// are cut off.
func (l *LineReader) Next() (string, error) {
	const max = RestoreLineMax - 1
	for {
		avail := l.buf[l.pos:l.end]
		window := avail[:min(len(avail), max)]
		n := bytes.IndexByte(window, '\n') + 1
		if n == 0 && (len(window) == max || (l.err != nil && len(window) > 0)) {
			n = len(window)
		}
		if n > 0 {
			piece := window[:n]
			l.pos += n
			if i := bytes.IndexByte(piece, 0); i >= 0 {
				piece = piece[:i]
			}
			return string(piece), nil
		}
		if l.err != nil {
			return "", l.err
		}
		// More input: keep what is left at the start of the buffer.
		copy(l.buf, avail)
		l.pos, l.end = 0, len(avail)
		for l.err == nil && l.end < len(l.buf) {
			m, err := l.r.Read(l.buf[l.end:])
			l.end += m
			if err != nil {
				l.err = err
			}
			if m > 0 {
				break
			}
		}
	}
}

// RuleCounters splits a leading "[pkts:bytes]" off a restore rule line, as
// tokenize_rule_counters does. ok is false when there is none.
//
// tokenize_rule_counters cuts the counters out of iptables-restore's line
// buffer with strtok(buffer+1, ":") and strtok(NULL, "]"), which skip
// leading delimiters and write a NUL at the delimiter that ends each token.
// The rule starts after the first ']' of the line and, as a C string, ends
// at the first of those NULs after it: "[5] -A X --sport 1:2" is the rule
// " -A X --sport 1".
func RuleCounters(line string, lineno int) (pcnt, bcnt, rest string, ok bool, err error) {
	if !strings.HasPrefix(line, "[") {
		return "", "", line, false, nil
	}
	end := strings.IndexByte(line, ']')
	if end < 0 {
		return "", "", "", false, paramError("Bad line %d: need ]", lineno)
	}
	start := 1
	for start < len(line) && line[start] == ':' {
		start++
	}
	if start == len(line) {
		return "", "", "", false, paramError("Bad line %d: need :", lineno)
	}
	colon := strings.IndexByte(line[start:], ':')
	if colon < 0 {
		// pcnt is the rest of the line; strtok(NULL, "]") finds nothing
		return "", "", "", false, paramError("Bad line %d: need ]", lineno)
	}
	colon += start
	pcnt = line[start:colon]
	b := colon + 1
	for b < len(line) && line[b] == ']' {
		b++
	}
	if b == len(line) {
		return "", "", "", false, paramError("Bad line %d: need ]", lineno)
	}
	closing := strings.IndexByte(line[b:], ']')
	if closing < 0 {
		closing = len(line)
	} else {
		closing += b
	}
	bcnt = line[b:closing]
	stop := len(line)
	for _, nul := range []int{colon, closing} {
		if nul > end && nul < stop {
			stop = nul
		}
	}
	return pcnt, bcnt, line[end+1 : stop], true, nil
}

// ParseRestoreCounters is sscanf(s, "[%llu:%llu]") == 2.
func ParseRestoreCounters(s string) (pkts, bytes uint64, ok bool) {
	pkts, bytes, n := ScanCounters(s)
	return pkts, bytes, n == 2
}
