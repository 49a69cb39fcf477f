"""Lesson 4 server: send four messages, each with send() calls of its own, then close.

Run:  python3 server4.py                 (listens on port 12345, all interfaces)
      python3 server4.py --port 0        (lets the system pick a free port)
Stop: Ctrl-C

What it sends, one client at a time:
  "Hello, "                 two short sends, one after the other:
  "world!\\n"                a reader may get them in one recv()
  "0123456789" * 300 "\\n"   3,001 bytes: more than one recv(1024) returns
  "bye\\n"                   then close(): the reader's recv() returns b""
"""
import argparse
import socket

LONG_LINE = b"0123456789" * 300 + b"\n"
MESSAGES = [b"Hello, ", b"world!\n", LONG_LINE, b"bye\n"]


def send_message(conn, message):
    """Send every byte of one message: send() may take only part of it."""
    sent = 0
    while sent < len(message):
        n = conn.send(message[sent:])  # returns how many bytes it took
        print(f"send: {n} of {len(message) - sent} bytes", flush=True)
        sent += n


def main():
    parser = argparse.ArgumentParser(description="Send four messages to each client, then close.")
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all)")
    parser.add_argument("--port", type=int, default=12345, help="port to listen on (0: any free port)")
    args = parser.parse_args()

    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.bind((args.host, args.port))
    listening.listen(5)
    host, port = listening.getsockname()
    print(f"server4 listening on {host} port {port}", flush=True)

    try:
        while True:
            conn, addr = listening.accept()
            print(f"client connected from {addr[0]} port {addr[1]}", flush=True)
            try:
                for message in MESSAGES:
                    send_message(conn, message)
            except OSError as error:
                print(f"client dropped: {error}", flush=True)
            finally:
                conn.close()  # the end of the stream: the reader's recv() returns b""
    except KeyboardInterrupt:
        print("server4 stopped", flush=True)
    finally:
        listening.close()


if __name__ == "__main__":
    main()
