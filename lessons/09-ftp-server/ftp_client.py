"""Lesson 9's client: the scripted FTP client the page runs against the server, in Python.

It does what its script says, in order, and prints every reply: log in, ask PWD, list the
folder, fetch a file, store one, quit. A transfer is a join: it is over when the data
connection has ended AND the final reply (226) has come, whichever is first.

    python3 ftp_client.py --port 2121          # against: sockstep ftp-server --root DIR --user student:secret --write

Standard library only.
"""
import argparse
import re
import socket

SCRIPT = [
    ('command', 'USER student'),
    ('command', 'PASS secret'),
    ('command', 'PWD'),
    ('command', 'TYPE I'),
    ('passive', 'PASV'),
    ('download', 'LIST'),
    ('passive', 'PASV'),
    ('download', 'RETR hello.txt'),
    ('passive', 'PASV'),
    ('upload', 'STOR upload.txt'),
    ('command', 'QUIT'),
]
UPLOAD = b'uploaded from the client\n'


class Replies:
    """Reads replies off the control connection: a reply may come in pieces, or several in one recv."""

    def __init__(self, control):
        self.control = control
        self.buffer = b''

    def next(self):
        """The next complete reply, as (code, text); multi-line replies end at 'code ' (RFC 959 section 4.2)."""
        while True:
            match = re.search(rb'^(\d{3}) [^\n]*\n', self.buffer, re.M)
            first = re.match(rb'(\d{3})-', self.buffer)
            if match and (not first or first.group(1) == match.group(1)):
                end = match.end()
                reply, self.buffer = self.buffer[:end], self.buffer[end:]
                return int(match.group(1)), reply.decode('utf-8', 'replace').strip()
            chunk = self.control.recv(4096)
            if not chunk:
                raise ConnectionError('the server closed the control connection')
            self.buffer += chunk

    def final(self):
        """Replies until a final one (not 1yz: '150' says the transfer begins, another reply follows)."""
        while True:
            code, text = self.next()
            print(text)
            if code >= 200:
                return code, text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=2121)
    args = parser.parse_args()

    control = socket.create_connection((args.host, args.port))
    replies = Replies(control)
    replies.final()  # 220
    data = None
    for kind, line in SCRIPT:
        control.sendall(line.encode() + b'\r\n')
        if kind == 'command':
            replies.final()
        elif kind == 'passive':
            code, text = replies.final()
            h1, h2, h3, h4, p1, p2 = map(int, re.search(r'(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)', text).groups())
            data = socket.create_connection((args.host, p1 * 256 + p2))
        else:  # a transfer: 'download' or 'upload'
            received = b''
            if kind == 'download':
                while True:
                    piece = data.recv(65536)
                    if not piece:
                        break
                    received += piece
            else:
                data.sendall(UPLOAD)
            data.close()
            replies.final()  # 150, then 226 once the data connection has ended
            print(received.decode('utf-8', 'replace'), end='')
    control.close()


if __name__ == '__main__':
    main()
