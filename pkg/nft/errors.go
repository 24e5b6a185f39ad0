// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
)

// ErrGenChanged is the kernel's ERESTART for a batch: the ruleset changed
// since the generation the batch was built at. iptables-nft rebuilds its
// cache and the batch, then sends it again (nft_action); the caller does
// the same.
var ErrGenChanged = errors.New("nft: ruleset generation changed (ERESTART)")

// ErrDumpInterrupted is a dump the kernel marked NLM_F_DUMP_INTR (the
// ruleset changed under it) or ended with EINTR: read it again.
var ErrDumpInterrupted = errors.New("nft: dump interrupted (EINTR)")

// OpError is the kernel's error for one operation of a batch.
type OpError struct {
	Op    Op
	Errno syscall.Errno
}

// Error is the message iptables-nft prints for it (mnl_append_error),
// without the leading newline or space.
func (e *OpError) Error() string {
	var what string
	switch e.Op.Type {
	case OpTableAdd, OpTableFlush:
		what = "table "
	case OpRuleAppend, OpRuleInsert, OpRuleReplace, OpRuleDelete, OpRuleFlush:
		what = "rule in chain "
	default:
		what = "chain "
	}
	if e.Op.Line > 0 {
		return fmt.Sprintf("line %d: %s failed (%s): %s%s", e.Op.Line, e.Op.Type, strerror(e.Errno), what, e.Op.Object)
	}
	return fmt.Sprintf("%s failed (%s): %s%s", e.Op.Type, strerror(e.Errno), what, e.Op.Object)
}

func (e *OpError) Unwrap() error { return e.Errno }

// BatchError is a batch the kernel refused: the errors of its operations
// in order.
type BatchError struct {
	Errors []*OpError
}

// Error is iptables-nft's report: errors of lines joined by newlines;
// without line numbers only the first, as iptables-nft shows.
func (e *BatchError) Error() string {
	var b strings.Builder
	for i, oe := range e.Errors {
		if i > 0 && oe.Op.Line == 0 {
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(oe.Error())
	}
	return b.String()
}

func (e *BatchError) Unwrap() error {
	if len(e.Errors) == 0 {
		return nil
	}
	return e.Errors[0]
}
