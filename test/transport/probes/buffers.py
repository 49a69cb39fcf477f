# Send buffer on loopback: SO_SNDBUF/SO_RCVBUF after connect, TCP_INFO's MSS, and how many send() calls
# a sendall loop of 200,000 bytes makes to a reader that keeps up (50 runs, blocking and with a timeout).
# Run: python3 test/transport/probes/buffers.py
import socket, threading, time
def pair():
    srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen(1)
    c = socket.create_connection(srv.getsockname()); s, _ = srv.accept(); srv.close(); return c, s
c, s = pair()
print('SO_SNDBUF', c.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF), 'SO_RCVBUF', s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))
info = c.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104); import struct
print('snd_mss', struct.unpack_from('I', info, 16)[0], 'advmss', struct.unpack_from('I', info, 84)[0], 'snd_cwnd', struct.unpack_from('I', info, 80)[0])
def reader(sock, out):
    n = 0; reads = []
    while True:
        b = sock.recv(65536)
        if not b: break
        reads.append(len(b))
    out.append(reads)
for mode in ['blocking', 'timeout']:
    counts = []
    for run in range(50):
        c, s = pair(); out = []
        t = threading.Thread(target=reader, args=(s, out)); t.start()
        if mode == 'timeout': c.settimeout(5)
        data = b'x' * 200_000; sent = 0; calls = 0
        while sent < len(data): sent += c.send(data[sent:]); calls += 1
        c.close(); t.join(); s.close(); counts.append(calls)
    print(mode, 'send calls for a 200,000-byte sendall loop, 50 runs:', sorted(counts)[0], 'min', sorted(counts)[-1], 'max', sum(counts)/50, 'mean')
print('reads of 200,000 bytes with recv(65536), last run:', out[0])
