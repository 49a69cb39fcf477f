# Measures this kernel's SYN retransmission schedule and its backlog, on loopback only:
# a listener with listen(0) whose accept queue is full drops SYNs, so the later clients retry.
# Prints each change of the last client's TCP_INFO retransmit counter, in seconds after its connect().
# Takes about 135 s.  Run: python3 test/transport/probes/syn_schedule.py
import socket, struct, time, select, errno
srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen(0)
port = srv.getsockname()[1]
fill = []
for i in range(3):
    c = socket.socket(); c.setblocking(False)
    c.connect_ex(('127.0.0.1', port)); fill.append(c)
t0 = time.monotonic()
time.sleep(0.3)
states = []
for c in fill:
    info = c.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    states.append(info[0])
print('backlog 0: states of 3 clients after 0.3 s (1=ESTABLISHED, 2=SYN_SENT):', states, flush=True)
probe = fill[-1]
last = None
while True:
    info = probe.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    state, retrans, rto = info[0], info[2], struct.unpack_from('I', info, 8)[0]
    if (state, retrans) != last:
        print(f'{time.monotonic()-t0:8.3f} s state={state} retransmits={retrans} rto_us={rto}', flush=True)
        last = (state, retrans)
    err = probe.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    if err:
        print(f'{time.monotonic()-t0:8.3f} s connect failed: {errno.errorcode[err]}', flush=True); break
    if state == 1:
        print('connected'); break
    time.sleep(0.02)
