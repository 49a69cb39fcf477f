# Receiver-side silly-window avoidance, seen from the sender: a slow reader (recv(100), 10 ms of work each)
# Run: python3 test/transport/probes/sws.py 16384  (about 8 s)
# and a sender whose socket has a timeout (so send() returns what fits, like our transports' send()).
import socket, threading, time, sys
BUF = int(sys.argv[1]) if len(sys.argv) > 1 else 16384
TOTAL = 100_000
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, BUF)
srv.bind(('127.0.0.1', 0)); srv.listen(1)
c = socket.socket(); c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, BUF); c.connect(srv.getsockname())
s, _ = srv.accept()
print('SO_SNDBUF', c.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF), 'SO_RCVBUF', s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF), flush=True)
def slow():
    got = 0
    while True:
        b = s.recv(100)
        if not b: break
        got += len(b); time.sleep(0.01)
threading.Thread(target=slow, daemon=True).start()
c.settimeout(60)
sent = 0; calls = []; t0 = time.monotonic()
data = b'y' * TOTAL
while sent < TOTAL:
    n = c.send(data[sent:]); calls.append((round(time.monotonic() - t0, 3), n)); sent += n
print('send() results (time s, bytes):', calls, flush=True)
c.close()
