// SPDX-License-Identifier: GPL-2.0-or-later

package ext

// Family is a netfilter protocol family.
type Family uint8

const (
	IPv4 Family = 2  // NFPROTO_IPV4
	IPv6 Family = 10 // NFPROTO_IPV6
)

func (f Family) String() string {
	if f == IPv6 {
		return "ipv6"
	}
	return "ipv4"
}

// Option is one option of an extension, as getopt_long sees it.
type Option struct {
	Name       string
	HasArg     int // 0 none, 1 required, 2 optional
	ID         int // the extension's own id (getopt val without offset)
	Invertible bool
}

// IfaceMask is iptables' iface_to_mask: the mask the kernel compares an
// interface name with ("eth0" with its NUL, "eth+" without the '+').
func IfaceMask(name string) (mask [16]byte) {
	n := len(name)
	switch {
	case n == 0:
	case name[n-1] == '+':
		for i := 0; i < n-1; i++ {
			mask[i] = 0xff
		}
	default:
		for i := 0; i <= n && i < len(mask); i++ {
			mask[i] = 0xff
		}
	}
	return mask
}
