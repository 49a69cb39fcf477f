# Run: python3 test/transport/probes/reset_py.py  (Linux: the bytes that arrived, then ConnectionResetError)
# Probe: a peer sends 400,000 bytes then resets (SO_LINGER 0 + close); the reader starts late.
import socket, struct, time, sys
srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen(1)
c = socket.create_connection(srv.getsockname())
s, _ = srv.accept()
c.setblocking(False)
sent = 0
try:
    while sent < 400_000: sent += c.send(b'A' * (400_000 - sent))
except BlockingIOError: pass
time.sleep(0.05)
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0)); c.close()
time.sleep(0.3)
got = 0
try:
    while True:
        b = s.recv(65536)
        if not b: print('sent', sent, 'got', got, 'then end of data'); break
        got += len(b)
except ConnectionResetError as e: print('sent', sent, 'got', got, 'then', repr(e))
