// SPDX-License-Identifier: GPL-2.0-or-later

package iptables

import "syscall"

const enoent = syscall.ENOENT
