"""Lesson 4 client: read until end of data, then join the pieces.

Run: python3 client4.py                    (127.0.0.1, port 12345)
     python3 client4.py --port 12345 --host 10.0.0.7

TCP carries bytes, not messages: one recv() may return part of a send, or
the end of one send and the start of the next. So the client keeps every
piece until recv() returns b"" (the server closed: end of data), and only
then joins them: the joined bytes are what the server sent, in order.
"""
import argparse
import socket
import sys

RECV_MAX = 1024  # at most this many bytes per recv()
MAX_STREAM = 1024 * 1024  # refuse to keep more than this from a server that never stops
SHOWN = 40  # characters of a line shown


def line_report(data):
    """One printed line per line received: its start and its size."""
    lines = data.decode("utf-8", errors="replace").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out = []
    for i, line in enumerate(lines, 1):
        shown = line[:SHOWN] + "…" if len(line) > SHOWN else line
        out.append(f"line {i}: {shown!r} ({len(line.encode('utf-8')):,} bytes)")
    return out


def main():
    parser = argparse.ArgumentParser(description="Read a stream until end of data and reassemble it.")
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

    chunks = []
    received = 0
    try:
        while True:
            chunk = sock.recv(RECV_MAX)  # whatever has arrived, at most RECV_MAX bytes
            if not chunk:  # b"": the server closed its side, end of data
                break
            print(f"recv: {len(chunk)} bytes", flush=True)
            chunks.append(chunk)
            received += len(chunk)
            if received > MAX_STREAM:
                print(f"The server sent more than {MAX_STREAM} bytes; is this the right server?", file=sys.stderr)
                sys.exit(1)
    except OSError as error:
        print(f"The connection failed: {error}", file=sys.stderr)
        sys.exit(1)
    finally:
        sock.close()

    data = b"".join(chunks)  # reassembled: the stream as the server sent it
    print(f"{len(chunks)} recv calls, {len(data):,} bytes in all", flush=True)
    for line in line_report(data):
        print(line, flush=True)


if __name__ == "__main__":
    main()
