"""Lesson 5 client, honest version 2 (client2c): the size comes first.

Run: python3 client2c.py                  (127.0.0.1, port 12345: somefile.txt into ./afile.txt)

server2c.py answers "+OK 521": the file's size in bytes. The client reads
exactly that many, so it knows when it has the whole file, on a connection
that stays open, and knows it has NOT when the connection ends too soon.
"""
import argparse
import os
import socket
import sys

CHUNK = 1024 * 1024  # at most this many bytes per recv(): whatever has arrived, up to a megabyte
MAX_LINE = 4096  # the longest status line, its "\n" included


def read_status(sock):
    """The server's status line, and the bytes after it (the file's first bytes may come with it)."""
    head = b""
    while b"\n" not in head:
        piece = sock.recv(CHUNK)
        if not piece:
            raise ConnectionError("The server closed the connection without answering RETR.")
        head += piece
        if len(head) >= MAX_LINE and b"\n" not in head:
            raise ConnectionError(f"The server's first line is longer than {MAX_LINE} bytes; is it the right server?")
    end = head.find(b"\n")
    return head[:end].removesuffix(b"\r").decode("utf-8", errors="replace"), head[end + 1 :]


def connect(host, port):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.connect((host, port))
    except ConnectionRefusedError:
        print(f"Nothing is listening on {host} port {port}: start the server first.", file=sys.stderr)
        sys.exit(1)
    return sock


def arguments(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--host", default="127.0.0.1", help="server address (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=12345, help="server port (default: 12345)")
    parser.add_argument("--name", default="somefile.txt", help="the file to ask for (default: somefile.txt)")
    parser.add_argument("--save-as", default="afile.txt", help="where to save it (default: afile.txt, in the current folder)")
    return parser.parse_args()


def check_status(status, save_as):
    """Only "+OK" means a file follows: an error line is never saved as content."""
    if status.startswith("-ERR"):
        print(f'The server answered "{status}", so {save_as} was not written.', file=sys.stderr)
        sys.exit(1)
    if not status.startswith("+OK"):
        print(f"The server's first line is not this lesson's protocol: \"{status}\"; is it the right server?", file=sys.stderr)
        sys.exit(1)


def main():
    args = arguments("RETR a file; the size comes first.")
    sock = connect(args.host, args.port)
    print(f"> RETR {args.name}", flush=True)
    try:
        sock.sendall(f"RETR {args.name}\n".encode("utf-8"))
        status, data = read_status(sock)
    except OSError as error:
        print(error, file=sys.stderr)
        sys.exit(1)
    check_status(status, args.save_as)
    fields = status.split()
    if len(fields) != 2 or not fields[1].isdigit():
        print(f'The status line "{status}" gives no size; is it the right server?', file=sys.stderr)
        sys.exit(1)
    size = int(fields[1])

    written = 0
    f = open(args.save_as, "wb")  # only after +OK: an error line is never saved
    try:
        data = data[:size]
        while True:
            if data:
                f.write(data)
                written += len(data)
            if written >= size:  # every byte announced: the file is whole
                break
            data = sock.recv(min(CHUNK, size - written))  # never past the file's end
            if not data:
                raise ConnectionError(f"The server closed the connection after {written} of the {size} bytes it announced")
    except OSError as error:
        f.close(); os.remove(args.save_as)  # half a file is no file
        print(f"{error}; {args.save_as} was not written", file=sys.stderr)
        sys.exit(1)
    f.close()  # saved
    sock.close()
    print(f"saved {args.save_as}: {written:,} bytes", flush=True)


if __name__ == "__main__":
    main()
