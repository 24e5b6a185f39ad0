// SPDX-License-Identifier: GPL-2.0-or-later

package parse

import (
	"bytes"
	"io"
	"strings"
)

// The limits of iptables-restore's line reader and tokenizer.
const (
	RestoreLineMax = 10240 // fgets buffer: longer lines arrive in pieces
	maxArgc        = 255
	maxParam       = 1024
)

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

// SplitRestoreArgs splits a restore rule line into words as
// add_param_to_argv does: blanks separate words, double quotes group them
// (an empty "" is a word), and a backslash inside quotes escapes the next
// character.
func SplitRestoreArgs(line string, argv []string) ([]string, error) {
	if cap(argv)-len(argv) < 32 {
		argv = append(make([]string, 0, len(argv)+48), argv...)
	}
	// Plain words are substrings of line; a word with a quote, and all
	// after it, go the way of add_param_to_argv byte by byte.
	for i := 0; i < len(line); {
		c := line[i]
		if c == ' ' || c == '\t' || c == '\n' {
			i++
			continue
		}
		j := i
		for j < len(line) && line[j] != ' ' && line[j] != '\t' && line[j] != '\n' && line[j] != '"' {
			j++
		}
		if j < len(line) && line[j] == '"' {
			return splitQuoted(line[i:], argv)
		}
		if j-i >= maxParam {
			return nil, paramError("Parameter too long!")
		}
		if len(argv)+1 >= maxArgc {
			return nil, paramError("Parser cannot handle more arguments")
		}
		argv = append(argv, line[i:j])
		i = j
	}
	return argv, nil
}

func splitQuoted(line string, argv []string) ([]string, error) {
	quoteOpen, escaped := false, false
	var param []byte
	emit := func() error {
		if len(argv)+1 >= maxArgc {
			return paramError("Parser cannot handle more arguments")
		}
		argv = append(argv, string(param))
		param = param[:0]
		return nil
	}
	add := func(c byte) error {
		param = append(param, c)
		if len(param) >= maxParam {
			return paramError("Parameter too long!")
		}
		return nil
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		if quoteOpen {
			switch {
			case escaped:
				escaped = false
				if err := add(c); err != nil {
					return nil, err
				}
				continue
			case c == '\\':
				escaped = true
				continue
			case c == '"':
				quoteOpen = false
			default:
				if err := add(c); err != nil {
					return nil, err
				}
				continue
			}
		} else if c == '"' {
			quoteOpen = true
			continue
		}
		switch c {
		case '"':
		case ' ', '\t', '\n':
			if len(param) == 0 {
				continue
			}
		default:
			if err := add(c); err != nil {
				return nil, err
			}
			continue
		}
		if err := emit(); err != nil {
			return nil, err
		}
	}
	if len(param) > 0 {
		if err := emit(); err != nil {
			return nil, err
		}
	}
	return argv, nil
}

// ParseRestoreCounters is sscanf(s, "[%llu:%llu]") == 2.
func ParseRestoreCounters(s string) (pkts, bytes uint64, ok bool) {
	pkts, bytes, n := ScanCounters(s)
	return pkts, bytes, n == 2
}
