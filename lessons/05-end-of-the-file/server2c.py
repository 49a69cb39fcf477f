"""Lesson 5 server, honest version 2 (server2c): the size comes first.

Run:  python3 server2c.py                  (port 12345; sends files from files/ beside this script)
Stop: Ctrl-C

  client: RETR somefile.txt
  server: +OK 521                the file's size in bytes ("-ERR ..." if there is no such file)
  server: the file, line by line
  (the connection stays open: the client reads exactly 521 bytes, and knows it has them all)
"""
import argparse
import os
import socket

MAX_LINE = 4096  # the longest command line, its "\n" included
FILES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "files")
UNKNOWN = b"-ERR unknown command: send RETR <name>\n"
NOT_TEXT = b"-ERR that line is not UTF-8 text: send RETR <name>\n"
TOO_LONG = f"-ERR line longer than {MAX_LINE} bytes: closing the connection\n".encode("utf-8")


def read_line(conn, pending):
    """The next command line and the bytes after it; None at end of data. TCP may cut a line anywhere."""
    while b"\n" not in pending and len(pending) < MAX_LINE:
        chunk = conn.recv(1024)
        if not chunk:
            return None, b""
        pending += chunk
    end = pending.find(b"\n")
    if end == -1 or end + 1 > MAX_LINE:
        raise ValueError("too long")
    return pending[:end].removesuffix(b"\r"), pending[end + 1 :]


def error_line(name, error):
    """Why a file cannot be sent, as the status line the client reads instead of the file."""
    if isinstance(error, FileNotFoundError):
        return f"-ERR no such file: {name}\n".encode("utf-8")
    if isinstance(error, IsADirectoryError):
        return f"-ERR that is a folder, not a file: {name}\n".encode("utf-8")
    if isinstance(error, PermissionError) and not str(error):
        return f"-ERR not in this server's folder: {name}\n".encode("utf-8")
    return f"-ERR cannot read {name} ({type(error).__name__})\n".encode("utf-8")


def open_in(root, name):
    """Open a file of the folder, never one outside it (no "..", no path)."""
    if "/" in name or "\0" in name or name in (".", ".."):
        raise PermissionError()
    return open(os.path.join(root, name), "rb")
DESCRIPTION = "Send the size first, then the file: the client reads exactly that many bytes."


def converse(conn, who, root):
    """Answer RETR commands until the client closes the connection."""
    pending = b""
    while True:
        try:
            line, pending = read_line(conn, pending)
        except ValueError:
            conn.sendall(TOO_LONG)
            return
        if line is None:
            print(f"{who} closed the connection", flush=True)
            return
        try:
            command = line.decode("utf-8")
        except UnicodeDecodeError:
            conn.sendall(NOT_TEXT)
            continue
        if command[:5].upper() != "RETR " or len(command) == 5:
            conn.sendall(UNKNOWN)
            continue
        name = command[5:]
        print(f"{who}: RETR {name}", flush=True)
        try:
            f = open_in(root, name)
        except OSError as error:
            print(f"{who}: {error_line(name, error).decode().strip()}", flush=True)
            conn.sendall(error_line(name, error))  # a status line, never the file
            continue
        try:
            status = f"+OK {os.fstat(f.fileno()).st_size}\n".encode("utf-8")  # the size first
            conn.sendall(status)
            for line in f:  # the file, line by line
                conn.sendall(line)
        finally:
            f.close()
        print(f"{who}: sent {name}", flush=True)
        # The file is sent; the connection stays open: the client knew the size.


def main():
    parser = argparse.ArgumentParser(description=DESCRIPTION)
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all)")
    parser.add_argument("--port", type=int, default=12345, help="port to listen on (0: any free port)")
    parser.add_argument("--root", default=FILES, help="folder of the files it sends (default: files/ beside this script)")
    args = parser.parse_args()

    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.bind((args.host, args.port))
    listening.listen(5)
    host, port = listening.getsockname()
    print(f"server2c listening on {host} port {port}", flush=True)

    try:
        while True:
            conn, addr = listening.accept()
            who = f"{addr[0]} port {addr[1]}"
            print(f"client connected from {who}", flush=True)
            try:
                converse(conn, who, args.root)
            except OSError as error:
                print(f"{who} dropped: {error}", flush=True)
            finally:
                conn.close()
    except KeyboardInterrupt:
        print("server2c stopped", flush=True)
    finally:
        listening.close()


if __name__ == "__main__":
    main()
