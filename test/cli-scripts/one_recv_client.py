"""A client with lesson 4's mistake: one recv() taken for the whole greeting.

Run: python3 one_recv_client.py --port N

It prints what it got and exits 0 only if that was the whole greeting
("You are connected"), 1 otherwise: on loopback it passes, against a
server that sends in pieces it fails, as it would on a real network.
"""
import argparse
import socket
import sys

parser = argparse.ArgumentParser()
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", type=int, required=True)
args = parser.parse_args()

sock = socket.create_connection((args.host, args.port))
data = sock.recv(1024)  # WRONG: whatever has arrived, maybe part of it
sock.close()
print(repr(data), flush=True)
sys.exit(0 if data == b"You are connected" else 1)
