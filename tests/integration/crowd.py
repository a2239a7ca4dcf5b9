#!/usr/bin/env python3
"""crowd.py - connections that never handshake: open COUNT plain TCP connections to
127.0.0.1:PORT, spread over source addresses 127.0.0.2 .. 127.0.0.(1+ADDRESSES), hold them
SECONDS (reopening any the node closes), then close them all. Prints "opened N closed_by_node M".
usage: crowd.py PORT COUNT ADDRESSES SECONDS"""
import socket
import sys
import time

port, count, addresses, seconds = (int(a) for a in sys.argv[1:5])


def dial(i):
    s = socket.socket()
    s.setblocking(False)
    s.bind(("127.0.0.%d" % (2 + i % addresses), 0))
    try:
        s.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    return s


socks = [dial(i) for i in range(count)]
opened, closed = count, 0
end = time.time() + seconds
while time.time() < end:
    time.sleep(0.2)
    for i, s in enumerate(socks):
        try:
            if s.recv(4096, socket.MSG_DONTWAIT) == b"":
                raise ConnectionResetError
        except BlockingIOError:
            continue
        except OSError:
            pass
        s.close()  # closed by the node (or refused): come back at once
        closed += 1
        socks[i] = dial(i)
        opened += 1
for s in socks:
    s.close()
print("opened %d closed_by_node %d" % (opened, closed))
