"""Lesson 3 client: lesson 2's client (client1a.py), to run several at once.

Run three at once, each waiting a second before each command, as a person would:
     for i in 1 2 3; do python3 client2.py --pause 1 & done; wait
Then compare server2.py (a thread per client) with lesson 2's server1a.py.

     python3 client2.py LIST QUIT --port 12345    (the commands, in order)
"""
import argparse
import re
import socket
import sys
import time

MAX_LINE = 4096  # the longest reply line, its "\n" included
MAX_NAMES = 1000  # the most names a listing may announce


def read_line(sock, pending):
    """The next whole line, and the bytes after it. TCP may deliver a line in pieces, or two at once."""
    while b"\n" not in pending and len(pending) < MAX_LINE:
        chunk = sock.recv(1024)
        if not chunk:
            raise ConnectionError("The server closed the connection before it answered everything.")
        pending += chunk
    end = pending.find(b"\n")
    if end == -1 or end + 1 > MAX_LINE:
        raise ValueError(f"The server sent a line longer than {MAX_LINE} bytes; is this the right server?")
    line = pending[:end].removesuffix(b"\r").decode("utf-8", errors="replace")
    return line, pending[end + 1 :]


def read_reply(sock, pending, command):
    """One whole reply: its status line, and for LIST the names it announces."""
    status, pending = read_line(sock, pending)
    lines = [status]
    announced = re.match(r"\+OK ([0-9]+)( |$)", status)  # "+OK 3 names": three lines follow
    if command is not None and command.upper() == "LIST" and announced:
        count = int(announced.group(1))
        if count > MAX_NAMES:
            raise ValueError(f"The server announced more than {MAX_NAMES} names; is this the right server?")
        for _ in range(count):
            name, pending = read_line(sock, pending)
            lines.append(name)
    return lines, pending


def main():
    parser = argparse.ArgumentParser(description="Send commands to a LIST/QUIT server and print the replies.")
    parser.add_argument("commands", nargs="*", default=["LIST", "QUIT"], help="commands to send (default: LIST QUIT)")
    parser.add_argument("--host", default="127.0.0.1", help="server address (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=12345, help="server port (default: 12345)")
    parser.add_argument("--pause", type=float, default=0, help="seconds to wait before each command (default: 0)")
    parser.add_argument("--all-at-once", action="store_true", help="send every command at once, without waiting for replies")
    parser.add_argument("--crlf", action="store_true", help='end each command with "\\r\\n" instead of "\\n"')
    args = parser.parse_args()
    end = "\r\n" if args.crlf else "\n"

    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.connect((args.host, args.port))
    except ConnectionRefusedError:
        print(f"Nothing is listening on {args.host} port {args.port}: start the server first.", file=sys.stderr)
        sys.exit(1)

    pending = b""
    try:
        if args.all_at_once:
            print("\n".join(f"> {command}" for command in args.commands), flush=True)
            sock.sendall("".join(command + end for command in args.commands).encode("utf-8"))
            for command in [None] + args.commands:
                reply, pending = read_reply(sock, pending, command)
                print("\n".join(reply), flush=True)
        else:
            greeting, pending = read_reply(sock, pending, None)
            print("\n".join(greeting), flush=True)
            for command in args.commands:
                time.sleep(args.pause)
                print(f"> {command}", flush=True)
                sock.sendall((command + end).encode("utf-8"))
                reply, pending = read_reply(sock, pending, command)
                print("\n".join(reply), flush=True)
    except (OSError, ValueError) as error:
        print(error, file=sys.stderr)
        sys.exit(1)
    finally:
        sock.close()


if __name__ == "__main__":
    main()
