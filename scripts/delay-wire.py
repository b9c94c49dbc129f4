#!/usr/bin/env python3
"""A network cable with a round trip: two TAP devices, every Ethernet frame that enters one leaves the other
DELAY_MS later, in order, both directions. The reach rig (src/bench/reach-rig.ts) uses it in place of a veth pair,
because this kernel has no netem. Standard library only.

usage: delay-wire.py DELAY_MS TAP0 TAP1
Prints "ready" once both devices exist (the caller then moves them into namespaces and configures them); runs
until killed or stdin closes. The devices vanish with the process.
"""
import collections
import fcntl
import os
import select
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000
# Frames held at once per direction; beyond it the wire drops (a full queue, like a router's). At 100 Mbit/s and
# 500 ms this is ~4 000 full frames.
QUEUE_LIMIT = 8192
MAX_FRAME = 65536


def open_tap(name: str) -> int:
    """Create TAP device NAME and return its file descriptor."""
    fd = os.open('/dev/net/tun', os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack('16sH', name.encode(), IFF_TAP | IFF_NO_PI))
    return fd


def main() -> int:
    """Copy frames between the two devices with the delay until killed."""
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    delay = float(sys.argv[1]) / 1000.0
    fds = [open_tap(sys.argv[2]), open_tap(sys.argv[3])]
    # queues[i]: frames read from fds[i], to be written to the other device, as (due time, frame)
    queues = [collections.deque(), collections.deque()]
    print('ready', flush=True)
    stdin = sys.stdin.fileno()
    while True:
        now = time.monotonic()
        for i, q in enumerate(queues):
            out = fds[1 - i]
            while q and q[0][0] <= now:
                _, frame = q.popleft()
                try:
                    os.write(out, frame)
                except OSError:
                    pass  # the device is down (not yet configured, or being removed): the frame is lost
        due = [q[0][0] for q in queues if q]
        timeout = max(0.0, min(due) - time.monotonic()) if due else None
        ready, _, _ = select.select([fds[0], fds[1], stdin], [], [], timeout)
        if stdin in ready and not os.read(stdin, 4096):
            return 0
        now = time.monotonic()
        for i, fd in enumerate(fds):
            if fd not in ready:
                continue
            while True:
                try:
                    frame = os.read(fd, MAX_FRAME)
                except BlockingIOError:
                    break
                except OSError:
                    break
                if len(queues[i]) < QUEUE_LIMIT:
                    queues[i].append((now + delay, frame))


if __name__ == '__main__':
    sys.exit(main())
