// SPDX-License-Identifier: GPL-2.0-or-later

package parse

import "strings"

// Word is one word of a line split as iptables-restore splits a rule line
// (add_param_to_argv). Quoted tells that the word ended with a closing
// double quote, so that a quoted "!" or "--x" is a value and not an
// inversion or an option name; a word cut short by the end of the line
// inside a quote is not Quoted, as iptables-xml has it.
type Word struct {
	Text   string
	Quoted bool
}

// The limits of add_param_to_argv: a word of maxParam bytes or more, or
// more than maxArgc-2 words on a line (counting those already given), is
// a parameter problem.
const (
	maxArgc  = 255
	maxParam = 1024
)

// SplitWords splits line into words as iptables-restore does, without its
// limits: blanks (space, tab, newline) separate words; a double quote
// opens a quoted part in which a backslash takes the next character
// literally, and the closing quote ends the word (`a"b c"d` is "ab c" and
// "d"); an empty "" is a word. It undoes Quote.
func SplitWords(line string) []Word {
	var words []Word
	s := wordScanner{line: line}
	for w, ok := s.next(); ok; w, ok = s.next() {
		words = append(words, w)
	}
	return words
}

// SplitRestoreWords is SplitWords with iptables-restore's limits, appending
// to words (which counts towards the limit on words): iptables-xml's
// tokenizer.
func SplitRestoreWords(line string, words []Word) ([]Word, error) {
	return splitLimited(line, words, func(w Word) Word { return w })
}

// SplitRestoreArgs is SplitRestoreWords for the argv of a rule line:
// iptables-restore's tokenizer.
func SplitRestoreArgs(line string, argv []string) ([]string, error) {
	if cap(argv)-len(argv) < 32 {
		argv = append(make([]string, 0, len(argv)+48), argv...)
	}
	return splitLimited(line, argv, func(w Word) string { return w.Text })
}

func splitLimited[T any](line string, out []T, conv func(Word) T) ([]T, error) {
	s := wordScanner{line: line}
	for w, ok := s.next(); ok; w, ok = s.next() {
		if len(w.Text) >= maxParam {
			return nil, paramError("Parameter too long!")
		}
		if len(out)+1 >= maxArgc {
			return nil, paramError("Parser cannot handle more arguments")
		}
		out = append(out, conv(w))
	}
	return out, nil
}

// wordScanner walks the words of a line. add_param_to_argv's state is
// back to its start after every word, so each word is read on its own:
// a plain word is a substring of the line, one with a quote is built
// byte by byte.
type wordScanner struct {
	line string
	pos  int
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' }

// next returns the next word, ok false when there is none.
func (s *wordScanner) next() (w Word, ok bool) {
	for s.pos < len(s.line) && isBlank(s.line[s.pos]) {
		s.pos++
	}
	start := s.pos
	for s.pos < len(s.line) && !isBlank(s.line[s.pos]) && s.line[s.pos] != '"' {
		s.pos++
	}
	if s.pos < len(s.line) && s.line[s.pos] == '"' {
		return s.quoted(start)
	}
	return Word{Text: s.line[start:s.pos]}, s.pos > start
}

// quoted reads on from the opening quote at s.pos of the word that starts
// at start, up to the closing quote or the end of the line.
func (s *wordScanner) quoted(start int) (Word, bool) {
	text := []byte(s.line[start:s.pos])
	escaped := false
	for s.pos++; s.pos < len(s.line); s.pos++ {
		c := s.line[s.pos]
		switch {
		case escaped:
			escaped = false
		case c == '\\':
			escaped = true
			continue
		case c == '"':
			s.pos++
			return Word{Text: string(text), Quoted: true}, true
		}
		text = append(text, c)
	}
	return Word{Text: string(text)}, len(text) > 0
}

// Quote writes s as xtables_save_string does: bare when it is made only of
// letters, digits, '-' and '_', otherwise in double quotes, with double
// quotes, single quotes and backslashes escaped by a backslash.
func Quote(s string) string {
	plain := s != ""
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c == '_' || c == '-' || (c >= '0' && c <= '9') ||
			(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
	}
	if plain {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' || c == '\'' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}
