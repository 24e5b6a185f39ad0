// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"

	"github.com/goipt/goipt/pkg/nft/expr"
)

// Conn is a NETLINK_NETFILTER socket, in the network namespace of the
// thread that opened it.
type Conn struct {
	fd     int
	portid uint32
	seq    uint32
	sndbuf int // what SO_SNDBUFFORCE was raised to, 0 if not
	rcvbuf int

	rbuf []byte // receive buffer
	sbuf []byte // messages to send
	req  expr.Writer
}

// batchPage is iptables-nft's BATCH_PAGE_SIZE: its send buffer grows by
// one such page per page of batch (mnl_set_sndbuffer).
const batchPage = 2 << 20

// recvSize bounds one read; the kernel fills at most 32 KiB a dump skb.
const recvSize = 128 << 10

// Open opens a connection in the calling thread's network namespace
// (lock the thread first if it is not the process's).
func Open() (*Conn, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_NETFILTER)
	if err != nil {
		return nil, os.NewSyscallError("socket", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		unix.Close(fd)
		return nil, os.NewSyscallError("bind", err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		unix.Close(fd)
		return nil, os.NewSyscallError("getsockname", err)
	}
	return &Conn{fd: fd, portid: sa.(*unix.SockaddrNetlink).Pid, rbuf: make([]byte, recvSize)}, nil
}

// Close closes the socket.
func (c *Conn) Close() error { return unix.Close(c.fd) }

// Restart reopens the socket, as iptables-nft does after a dump fails
// with EINTR (nft_restart).
func (c *Conn) Restart() error {
	n, err := Open()
	if err != nil {
		return err
	}
	unix.Close(c.fd)
	c.fd, c.portid, c.sndbuf, c.rcvbuf = n.fd, n.portid, 0, 0
	return nil
}

func (c *Conn) nextSeq() uint32 {
	c.seq++
	return c.seq
}

// send sends the messages of the request records in c.req.
func (c *Conn) sendReq() error {
	var err error
	if c.sbuf, err = encodeStream(c.req.B, c.sbuf[:0]); err != nil {
		return err
	}
	return c.send(c.sbuf)
}

func (c *Conn) send(b []byte) error {
	if err := unix.Sendto(c.fd, b, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return os.NewSyscallError("sendto", err)
	}
	return nil
}

func (c *Conn) recv(flags int) ([]byte, error) {
	for {
		n, _, err := unix.Recvfrom(c.fd, c.rbuf, flags)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		return c.rbuf[:n], nil
	}
}

// talk sends the request in c.req and hands every object of the answer
// to fn until the dump ends (NLMSG_DONE), an error arrives, or fn returns
// done.
func (c *Conn) talk(fn func(kind uint16, h expr.ObjectHeader, r *expr.Reader) (done bool, err error)) error {
	if err := c.sendReq(); err != nil {
		return err
	}
	interrupted := false
	for {
		msgs, err := c.recv(0)
		if err != nil {
			return os.NewSyscallError("recvfrom", err)
		}
		// A fresh stream a read: what fn keeps may alias it.
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
			if tag != expr.TagObject {
				return fmt.Errorf("nft: record %d where an object starts", tag)
			}
			h := expr.ParseHeader(v)
			if h.Flags&flagDumpInt != 0 {
				interrupted = true
			}
			switch kind {
			case kindDone:
				skipObject(&r)
				if interrupted {
					return ErrDumpInterrupted
				}
				return nil
			case kindError:
				_, _, ev, _ := r.Next()
				skipObject(&r)
				switch errno := unix.Errno(expr.U32(ev)); errno {
				case 0: // the ack that ends a request with NLM_F_ACK
					return nil
				case unix.EINTR:
					return ErrDumpInterrupted
				default:
					return errno
				}
			}
			done, err := fn(kind, h, &r)
			if err != nil || done {
				return err
			}
		}
	}
}

// skipObject reads r up to and past the current object's TagEnd.
func skipObject(r *expr.Reader) {
	for {
		tag, _, _, ok := r.Next()
		if !ok || tag == expr.TagEnd {
			return
		}
	}
}

// GenID returns the ruleset's generation (NFT_MSG_GETGEN).
func (c *Conn) GenID() (uint32, error) {
	c.req.B = c.req.B[:0]
	c.req.Object(kindGen, expr.ObjectHeader{Type: msgGetGen, Seq: c.nextSeq()})
	c.req.End()
	var id uint32
	err := c.talk(func(kind uint16, _ expr.ObjectHeader, r *expr.Reader) (bool, error) {
		if kind != kindGen {
			skipObject(r)
			return false, nil
		}
		for r.Peek() == expr.TagAttr {
			_, aid, v, _ := r.Next()
			if aid == 0 { // NFTNL_GEN_ID
				id = expr.U32(v)
			}
		}
		skipObject(r)
		return true, nil
	})
	return id, err
}
