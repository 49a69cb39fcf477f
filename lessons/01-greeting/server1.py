"""Lesson 1 server: greet every client, one at a time.

Run:  python3 server1.py                 (listens on port 12345, all interfaces)
      python3 server1.py --port 0        (lets the system pick a free port)
Stop: Ctrl-C
"""
import argparse
import socket

GREETING = "You are connected"


def main():
    parser = argparse.ArgumentParser(description="Greet each client, then close its connection.")
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all)")
    parser.add_argument("--port", type=int, default=12345, help="port to listen on (0: any free port)")
    args = parser.parse_args()

    # The listening socket: its address is the one clients know.
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # Let a restarted server reuse the port at once instead of waiting for old connections to expire.
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.bind((args.host, args.port))
    listening.listen(5)  # up to 5 clients may wait while we serve another
    host, port = listening.getsockname()
    print(f"server1 listening on {host} port {port}", flush=True)

    try:
        while True:
            # accept() waits for a client and returns a NEW socket for that one conversation.
            conn, addr = listening.accept()
            print(f"client connected from {addr[0]} port {addr[1]}", flush=True)
            try:
                # send() may take only part of the bytes; sendall() repeats it until all are taken.
                conn.sendall(GREETING.encode("utf-8"))
            except OSError as error:
                # A client that vanished (reset the connection) is its own problem:
                # note it and carry on, so one bad client cannot stop the server.
                print(f"client {addr[0]} port {addr[1]} dropped: {error}", flush=True)
            finally:
                # Closing tells the client there is nothing more: its recv() returns b"".
                conn.close()
    except KeyboardInterrupt:
        print("server1 stopped", flush=True)
    finally:
        listening.close()


if __name__ == "__main__":
    main()
