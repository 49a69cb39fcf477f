"""Lesson 1 client: connect, read until the server closes, print the greeting.

Run: python3 client1.py                          (127.0.0.1, port 12345)
     python3 client1.py --host 10.0.0.7 --port 12345
"""
import argparse
import socket
import sys


def main():
    parser = argparse.ArgumentParser(description="Read a greeting from a server.")
    parser.add_argument("--host", default="127.0.0.1", help="server address (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=12345, help="server port (default: 12345)")
    args = parser.parse_args()

    # An address with a colon is IPv6 (such as ::1); anything else, IPv4 or a host name.
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.connect((args.host, args.port))
    except ConnectionRefusedError:
        print(f"Nothing is listening on {args.host} port {args.port}: start the server first.", file=sys.stderr)
        sys.exit(1)
    except socket.gaierror:
        print(f"The host {args.host} could not be found: check the name, or use an address such as 127.0.0.1.", file=sys.stderr)
        sys.exit(1)

    # TCP is a stream: one recv() may return part of the greeting, so keep reading.
    chunks = []
    while True:
        chunk = sock.recv(1024)
        if not chunk:  # b"" means the server closed the connection: end of data
            break
        chunks.append(chunk)
    sock.close()

    # errors="replace": a byte that is not UTF-8 shows as \ufffd instead of stopping the program.
    message = b"".join(chunks).decode("utf-8", errors="replace")
    print(message)


if __name__ == "__main__":
    main()
