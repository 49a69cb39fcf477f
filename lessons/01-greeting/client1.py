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

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.connect((args.host, args.port))
    except ConnectionRefusedError:
        print(f"Nothing is listening on {args.host} port {args.port}: start the server first.", file=sys.stderr)
        sys.exit(1)

    # TCP is a stream: one recv() may return part of the greeting, so keep reading.
    chunks = []
    while True:
        chunk = sock.recv(1024)
        if not chunk:  # b"" means the server closed the connection: end of data
            break
        chunks.append(chunk)
    sock.close()

    message = b"".join(chunks).decode("utf-8")
    print(message)


if __name__ == "__main__":
    main()
