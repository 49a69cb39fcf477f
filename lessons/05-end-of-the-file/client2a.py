"""Lesson 5 client (the course's client2a): RETR a file and save it as afile.txt.

Run: python3 client2a.py                  (127.0.0.1, port 12345: somefile.txt into ./afile.txt)
     python3 client2a.py --name other.txt --save-as copy.txt

As the course does, it takes 2 seconds without data as the end of the file:
the server (server2a.py) never says where the file ends. A server that
stalls for longer than that looks exactly like a server that is done, and
afile.txt is saved short, without a word. Compare client2b.py and
client2c.py.
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


QUIET = 2  # seconds without data that the course takes as the end of the file


def main():
    args = arguments("RETR a file; 2 seconds without data is its end (the course's way).")
    sock = connect(args.host, args.port)
    sock.settimeout(QUIET)  # every recv() below gives up after 2 s without data
    print(f"> RETR {args.name}", flush=True)
    try:
        sock.sendall(f"RETR {args.name}\n".encode("utf-8"))
        status, data = read_status(sock)
    except socket.timeout:
        print(f"The server did not answer RETR within {QUIET} s.", file=sys.stderr)
        sys.exit(1)
    except OSError as error:
        print(error, file=sys.stderr)
        sys.exit(1)
    check_status(status, args.save_as)

    written = 0
    f = open(args.save_as, "wb")  # only after +OK: an error line is never saved
    try:
        while True:
            if data:
                f.write(data)
                written += len(data)
            try:
                data = sock.recv(CHUNK)
            except socket.timeout:  # 2 s without data: the course takes that as the end of the file
                print(f"no data for {QUIET} s: taking that as the end of the file", flush=True)
                break
            if not data:  # the server closed: that is an end too
                break
    except OSError as error:
        f.close(); os.remove(args.save_as)  # half a file is no file
        print(f"{error}; {args.save_as} was not written", file=sys.stderr)
        sys.exit(1)
    f.close()  # saved
    sock.close()
    print(f"saved {args.save_as}: {written:,} bytes", flush=True)


if __name__ == "__main__":
    main()
