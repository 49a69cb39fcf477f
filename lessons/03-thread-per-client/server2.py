"""Lesson 3 server: answer LIST and QUIT, a thread per client.

Run:  python3 server2.py                        (port 12345; lists lesson 2's sample folder)
      python3 server2.py --root ~/Documents     (lists that folder instead)
      python3 server2.py --port 0               (lets the system pick a free port)
Stop: Ctrl-C

The conversation is lesson 2's (server1a.py): handle() and everything it
calls are the same, except that they print through say(). main() changed:
it starts a thread for each client and goes straight back to accept().
"""
import argparse
import errno
import os
import socket
import threading

MAX_LINE = 4096  # the longest command line, its "\n" included
MAX_NAMES = 1000  # a listing names at most this many entries
MAX_THREADS = 1000  # at most this many conversations at once; more clients wait in the backlog
SAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "02-list-and-quit", "sample")
TOO_LONG = f"-ERR line longer than {MAX_LINE} bytes: closing the connection\n".encode("utf-8")
PRINTING = threading.Lock()


def say(text):
    """print() for many threads: print writes a line and its newline in two steps,
    so two threads printing at once can mix their lines ("...: LIST127.0.0.1 ...").
    Holding one lock while printing keeps each line whole."""
    with PRINTING:
        print(text, flush=True)


def escape_name(name):
    """A file name as one line of text: a newline in a name must not end the line."""
    out = []
    for ch in name:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8 (os.listdir's "surrogateescape")
            out.append(f"\\x{code - 0xDC00:02X}")
        elif code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04X}")
        else:
            out.append(ch)
    return "".join(out)


def listing(names):
    """The reply to LIST: a status line that says how many names follow, then the names."""
    shown = names[:MAX_NAMES]
    status = f"+OK {len(shown)} {'name' if len(shown) == 1 else 'names'}"
    if len(names) > len(shown):
        status += f" (the first {len(shown)} of {len(names)})"
    lines = [status] + [escape_name(name) for name in shown]
    return "".join(line + "\n" for line in lines).encode("utf-8")


def converse(conn, who, root):
    """Greet, then answer one command line after another until QUIT."""
    conn.sendall(b"+OK ready: send LIST or QUIT\n")
    pending = b""  # bytes received but not yet answered
    while True:
        # TCP delivers bytes, not lines: read until a whole line is here (or too much is).
        while b"\n" not in pending and len(pending) < MAX_LINE:
            chunk = conn.recv(1024)
            if not chunk:  # b"": the client went away without QUIT
                say(f"{who} left without QUIT")
                return
            pending += chunk
        end = pending.find(b"\n")
        if end == -1 or end + 1 > MAX_LINE:
            say(f"{who}: a line over the limit; closing")
            conn.sendall(TOO_LONG)
            return
        line, pending = pending[:end].removesuffix(b"\r"), pending[end + 1 :]
        try:
            command = line.decode("utf-8").upper()
        except UnicodeDecodeError:
            say(f"{who}: a line that is not UTF-8")
            conn.sendall(b"-ERR that line is not UTF-8 text: send LIST or QUIT\n")
            continue
        if command == "LIST":
            try:
                reply = listing(sorted(os.listdir(root)))
                say(f"{who}: LIST")
            except OSError as error:
                reply = f"-ERR cannot list the folder ({errno.errorcode.get(error.errno, 'EIO')})\n".encode("utf-8")
                say(f"{who}: LIST, but the folder cannot be read")
            conn.sendall(reply)
        elif command == "QUIT":
            say(f"{who}: QUIT")
            conn.sendall(b"+OK bye\n")
            return
        else:
            say(f"{who}: unknown command")
            conn.sendall(b"-ERR unknown command: send LIST or QUIT\n")


def handle(conn, addr, root):
    """One client's whole conversation. Whatever happens, its connection is closed at the end."""
    who = f"{addr[0]} port {addr[1]}"
    try:
        converse(conn, who, root)
    except OSError as error:
        # A client that vanished (reset the connection) ends its own conversation, not the server.
        say(f"{who} dropped: {error}")
    finally:
        conn.close()


def main():
    parser = argparse.ArgumentParser(description="Answer LIST and QUIT, a thread per client.")
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all)")
    parser.add_argument("--port", type=int, default=12345, help="port to listen on (0: any free port)")
    parser.add_argument("--backlog", type=int, default=5, help="how many clients may wait to be accepted (default: 5)")
    parser.add_argument("--root", default=SAMPLE, help="folder whose names LIST sends (default: lesson 2's sample folder)")
    args = parser.parse_args()

    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.bind((args.host, args.port))
    listening.listen(args.backlog)  # how many finished handshakes may wait for accept()
    host, port = listening.getsockname()
    print(f"server2 listening on {host} port {port}", flush=True)

    free = threading.BoundedSemaphore(MAX_THREADS)

    def run(conn, addr):
        try:
            handle(conn, addr, args.root)
        finally:
            free.release()  # this thread is done: one more client may be taken

    count = 0
    try:
        while True:
            free.acquire()  # waits only while MAX_THREADS conversations are going on
            conn, addr = listening.accept()
            count += 1
            say(f"client connected from {addr[0]} port {addr[1]}")
            # The conversation goes on in its own thread; this loop goes straight back to accept().
            threading.Thread(target=run, args=(conn, addr), name=f"thread{count}", daemon=True).start()
    except KeyboardInterrupt:
        print("server2 stopped", flush=True)
    finally:
        listening.close()


if __name__ == "__main__":
    main()
