// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"os"

	"golang.org/x/sys/unix"

	"github.com/goipt/goipt/pkg/nft/expr"
)

// Commit sends batch b and collects the kernel's errors, as
// mnl_batch_talk does. It returns ErrGenChanged when the ruleset moved
// past b's generation, or a *BatchError. b is spent either way.
func (c *Conn) Commit(b *Batch) error {
	var err error
	if c.sbuf, err = b.Messages(c.sbuf[:0]); err != nil {
		return err
	}
	c.setBuffers(len(c.sbuf), int(b.seq))
	if err := c.send(c.sbuf); err != nil {
		return err
	}
	return c.batchErrors(b)
}

// setBuffers raises the socket's buffers as iptables-nft does: the send
// buffer to the batch's 2 MiB pages, the receive buffer to a page per
// message (room for an error each).
func (c *Conn) setBuffers(batchLen, msgs int) {
	if n := (batchLen + batchPage - 1) / batchPage * batchPage; n > c.sndbuf {
		if unix.SetsockoptInt(c.fd, unix.SOL_SOCKET, unix.SO_SNDBUFFORCE, n) == nil {
			c.sndbuf = n
		}
	}
	if n := os.Getpagesize() * msgs; n > c.rcvbuf {
		if unix.SetsockoptInt(c.fd, unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, n) == nil {
			c.rcvbuf = n
		}
	}
}

// batchErrors reads the errors the kernel queued while it processed the
// batch (sendmsg returns after that): no wait.
func (c *Conn) batchErrors(b *Batch) error {
	var errs []*OpError
	for {
		msgs, err := c.recv(unix.MSG_DONTWAIT)
		if err == unix.EAGAIN {
			break
		}
		if err != nil {
			return os.NewSyscallError("recvfrom", err)
		}
		stream, err := decodeMessages(msgs, nil)
		if err != nil {
			return err
		}
		r := expr.Reader{B: stream}
		for {
			tag, kind, v, ok := r.Next()
			if !ok {
				break
			}
			if tag != expr.TagObject || kind != kindError {
				skipObject(&r)
				continue
			}
			h := expr.ParseHeader(v)
			_, _, ev, _ := r.Next()
			skipObject(&r)
			errno := unix.Errno(expr.U32(ev))
			switch {
			case errno == 0:
			case errno == unix.ERESTART:
				return ErrGenChanged
			case h.Seq >= 2 && int(h.Seq-2) < len(b.ops):
				errs = append(errs, &OpError{Op: b.ops[h.Seq-2], Errno: errno})
			default:
				errs = append(errs, &OpError{Op: Op{Seq: h.Seq}, Errno: errno})
			}
		}
	}
	if len(errs) > 0 {
		return &BatchError{Errors: errs}
	}
	return nil
}
