// SPDX-License-Identifier: GPL-2.0-or-later

package ipt

import "syscall"

const enoent = syscall.ENOENT
