// SPDX-License-Identifier: GPL-2.0-or-later

package parse

import (
	"reflect"
	"strings"
	"testing"
)

// addParamToArgv is iptables' add_param_to_argv, transliterated byte for
// byte (with argvattr, as iptables-xml keeps it) and without its limits:
// the oracle of the word splitter.
func addParamToArgv(line string) []Word {
	var out []Word
	var param []byte
	quoteOpen, escaped, quoted := false, false, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		if quoteOpen {
			if escaped {
				param = append(param, c)
				escaped = false
				continue
			} else if c == '\\' {
				escaped = true
				continue
			} else if c == '"' {
				quoteOpen = false
			} else {
				param = append(param, c)
				continue
			}
		} else if c == '"' {
			quoteOpen, quoted = true, true
			continue
		}
		switch c {
		case '"':
		case ' ', '\t', '\n':
			if len(param) == 0 {
				continue
			}
		default:
			param = append(param, c)
			continue
		}
		out = append(out, Word{string(param), quoted})
		param, quoted = param[:0], false
	}
	if len(param) > 0 {
		out = append(out, Word{string(param), false})
	}
	return out
}

var wordSeeds = []string{
	"", " ", "-A INPUT -j ACCEPT", "-A  INPUT\t-m comment --comment \"a b\"\n",
	`--comment ""`, `--comment "a \"q\" \\ b"`, `x"y z"w`, `"`, `""`, `"a`, `a"`, `a"b`,
	`"\`, `"\"`, `\"a b\"`, "\"a\nb\" c", ` --comment "a \"b\" \\ c" ! --x "" "!" --y 'q'` + "\t--z",
	"\"\"\"\"", "a\"\"b", "\r\v\f x",
}

func TestSplitWordsAsC(t *testing.T) {
	for _, line := range wordSeeds {
		if got, want := SplitWords(line), addParamToArgv(line); !reflect.DeepEqual(got, want) {
			t.Errorf("SplitWords(%q) = %+v, want %+v", line, got, want)
		}
	}
}

func FuzzSplitWords(f *testing.F) {
	for _, s := range wordSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if got, want := SplitWords(line), addParamToArgv(line); !reflect.DeepEqual(got, want) {
			t.Fatalf("SplitWords(%q) = %+v, want %+v", line, got, want)
		}
		if argv, err := SplitRestoreArgs(line, nil); err == nil {
			words := SplitWords(line)
			if len(argv) != len(words) {
				t.Fatalf("SplitRestoreArgs(%q): %d words, SplitWords %d", line, len(argv), len(words))
			}
		}
	})
}

func TestSplitRestoreWordsLimits(t *testing.T) {
	if _, err := SplitRestoreWords(`"`+strings.Repeat("x", 1023)+`"`, nil); err != nil {
		t.Errorf("1023 bytes: %v", err)
	}
	if _, err := SplitRestoreWords(`"`+strings.Repeat("x", 1024)+`"`, nil); err == nil || err.Error() != "Parameter too long!" {
		t.Errorf("1024 bytes: %v", err)
	}
	words, err := SplitRestoreWords(strings.Repeat("x ", 254), nil)
	if err != nil || len(words) != 254 {
		t.Errorf("254 words: %d, %v", len(words), err)
	}
	if _, err := SplitRestoreWords("x", words); err == nil || err.Error() != "Parser cannot handle more arguments" {
		t.Errorf("255 words: %v", err)
	}
}

func TestQuoteRoundTrip(t *testing.T) {
	for _, s := range []string{"plain", "a b", `q"u'o\te`, "", "10.0.0.1", "!", "--x", "a\tb\nc"} {
		if w := SplitWords(Quote(s)); len(w) != 1 || w[0].Text != s {
			t.Errorf("Quote(%q) = %q splits to %#v", s, Quote(s), w)
		}
	}
	if Quote("abc_-09") != "abc_-09" || Quote("a.b") != `"a.b"` || Quote("it's") != `"it\'s"` {
		t.Errorf("Quote: %s %s %s", Quote("abc_-09"), Quote("a.b"), Quote("it's"))
	}
}
