"""Lesson 4's mistake, on purpose: one recv() taken for the whole message.

Run: python3 client4_once.py                 (127.0.0.1, port 12345)

It often works on your own machine, where everything has arrived by the
time recv() runs, and breaks on a real network: recv() returns whatever
has arrived, at most 1024 bytes, and nothing says that is all of it.
Compare client4.py, which reads until end of data.
"""
import argparse
import socket
import sys

SHOWN = 40  # characters shown


def main():
    parser = argparse.ArgumentParser(description="Read once, and (wrongly) take it for everything.")
    parser.add_argument("--host", default="127.0.0.1", help="server address (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=12345, help="server port (default: 12345)")
    args = parser.parse_args()

    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.connect((args.host, args.port))
    except ConnectionRefusedError:
        print(f"Nothing is listening on {args.host} port {args.port}: start the server first.", file=sys.stderr)
        sys.exit(1)

    data = sock.recv(1024)  # WRONG: at most 1024 bytes of whatever has arrived
    text = data.decode("utf-8", errors="replace")
    shown = text[:SHOWN] + "…" if len(text) > SHOWN else text
    print(f"got {len(data)} bytes: {shown!r}", flush=True)
    sock.close()  # with bytes still unread: the server may see a reset


if __name__ == "__main__":
    main()
