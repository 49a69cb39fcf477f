"""A test peer for the tap: a client or a server that runs a list of steps
and prints what it sent and received, so a test can compare both ends.

  peer.py server --port 0 --steps recv:all,send:5000,close
  peer.py client --port 2121 --steps send:100000,shutdown,recv:all,close

Steps (comma-separated):
  send:N        send N bytes (seeded pseudo-random), prints "sent N SHA256"
  recv:N        read exactly N bytes, prints "received N SHA256"
  recv:all      read until end of data, prints "received N SHA256" then "eof"
  shutdown      shutdown(SHUT_WR): FIN, and go on reading
  close         close()
  reset         close with SO_LINGER 0: the peer gets a reset
  expect-reset  read until the connection is reset; prints "reset" (or "eof" if it ends cleanly)
  sleep:MS      wait
Standard library only.
"""
import argparse
import hashlib
import random
import socket
import struct
import sys
import time


def say(*words):
    print(*words, flush=True)


def recv_exactly(conn, n):
    chunks = []
    got = 0
    while got < n:
        chunk = conn.recv(min(65536, n - got))
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def run_steps(conn, steps, rng):
    for step in steps:
        name, _, arg = step.partition(":")
        try:
            if name == "send":
                data = rng.randbytes(int(arg))
                conn.sendall(data)
                say("sent", len(data), hashlib.sha256(data).hexdigest())
            elif name == "recv" and arg == "all":
                chunks = []
                try:
                    while True:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        chunks.append(chunk)
                finally:
                    # Said even when a reset cuts the reading short: what came before it.
                    data = b"".join(chunks)
                    say("received", len(data), hashlib.sha256(data).hexdigest())
                say("eof")
            elif name == "recv":
                data = recv_exactly(conn, int(arg))
                say("received", len(data), hashlib.sha256(data).hexdigest())
            elif name == "shutdown":
                conn.shutdown(socket.SHUT_WR)
            elif name == "close":
                conn.close()
            elif name == "reset":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                conn.close()
            elif name == "expect-reset":
                while True:
                    if not conn.recv(65536):
                        say("eof")
                        break
            elif name == "sleep":
                time.sleep(int(arg) / 1000)
            else:
                raise SystemExit(f"unknown step {step}")
        except (ConnectionResetError, BrokenPipeError) as error:
            say("reset", type(error).__name__)
            return


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["server", "client"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--steps", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=1, help="server: connections to serve, one after the other")
    args = parser.parse_args()
    steps = args.steps.split(",")
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    if args.role == "server":
        listening = socket.socket(family, socket.SOCK_STREAM)
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind((args.host, args.port))
        listening.listen(5)
        say("listening", listening.getsockname()[1])
        for n in range(args.count):
            conn, _ = listening.accept()
            say("accepted")
            run_steps(conn, steps, random.Random(args.seed + n))
            conn.close()
        listening.close()
    else:
        conn = socket.create_connection((args.host, args.port))
        say("connected")
        run_steps(conn, steps, random.Random(args.seed))
        conn.close()
    say("done")


if __name__ == "__main__":
    sys.exit(main())
