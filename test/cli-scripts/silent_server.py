"""A server that greets, then neither sends nor closes: what --timeout is for.

Run: python3 silent_server.py      (prints its port, then serves one client and waits 60 s)
"""
import socket
import time

listening = socket.socket()
listening.bind(("127.0.0.1", 0))
listening.listen(5)
print(listening.getsockname()[1], flush=True)
conn, _ = listening.accept()
conn.sendall(b"You are connected")
time.sleep(60)
