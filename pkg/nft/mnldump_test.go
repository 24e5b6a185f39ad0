// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import (
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
)

// A message as libmnl's mnl_nlmsg_fprintf prints it (iptables-nft -vvv):
// its type and its bytes after the netlink header, rebuilt line by line.
type printedMsg struct {
	typ     uint16
	payload []byte
}

var (
	ansi     = regexp.MustCompile("\x1b\\[[0-9;]*m")
	typeLine = regexp.MustCompile(`^\| (\d{5}) \| [-RMAE]{4} \|`)
	attrLine = regexp.MustCompile(`^\|(\d{5})\|([-NB]{2})\|(\d{5})\|`)
	dataLine = regexp.MustCompile(`^\| ([0-9a-f]{2}) ([0-9a-f]{2}) ([0-9a-f]{2}) ([0-9a-f]{2})  \|`)
)

// parsePrinted reads the messages of iptables-nft -vvv's output.
func parsePrinted(out string) []printedMsg {
	var msgs []printedMsg
	var cur *printedMsg
	for _, line := range strings.Split(ansi.ReplaceAllString(out, ""), "\n") {
		if m := typeLine.FindStringSubmatch(line); m != nil {
			t, _ := strconv.Atoi(m[1])
			msgs = append(msgs, printedMsg{typ: uint16(t)})
			cur = &msgs[len(msgs)-1]
			continue
		}
		if cur == nil {
			continue
		}
		if m := attrLine.FindStringSubmatch(line); m != nil {
			l, _ := strconv.Atoi(m[1])
			t, _ := strconv.Atoi(m[3])
			if strings.Contains(m[2], "N") {
				t |= 0x8000
			}
			if strings.Contains(m[2], "B") {
				t |= 0x4000
			}
			cur.payload = ne.AppendUint16(cur.payload, uint16(l))
			cur.payload = ne.AppendUint16(cur.payload, uint16(t))
			continue
		}
		if m := dataLine.FindStringSubmatch(line); m != nil {
			b, _ := hex.DecodeString(m[1] + m[2] + m[3] + m[4])
			cur.payload = append(cur.payload, b...)
		}
	}
	return msgs
}
