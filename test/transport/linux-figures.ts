/**
 * Figures of Linux's TCP on loopback that real TCP cannot be made to show
 * from Node (Node completes every handshake and hides the kernel's
 * buffers), recorded so the simulated network can be checked against them.
 * Each was measured on this project's machine (Linux 6.18.44, Python
 * 3.11.7, 2 CPUs) by the script named, run as `python3 test/transport/probes/<name>.py`.
 */
export const LINUX = {
  /**
   * syn_schedule.py: a client whose SYNs a full accept queue drops; its
   * TCP_INFO `retransmits` counter, polled every 20 ms, went up at these
   * times after connect() (s): 1.05, 2.06, 3.09, 4.12, 5.13, 7.15, 11.3,
   * 19.5, 35.6, 68.9, and connect failed ETIMEDOUT at 134.4 s. The kernel's
   * nominal schedule (RTO 1 s, four more linear tries, then doubling; 10
   * retries in all) puts them at 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s and the
   * end at 131 s; timer slack adds about 3 %.
   */
  synRetriesAtS: { measured: [1.05, 2.06, 3.09, 4.12, 5.13, 7.15, 11.3, 19.5, 35.6, 68.9], nominal: [1, 2, 3, 4, 5, 7, 11, 19, 35, 67] },
  synGiveUpMs: { measured: 134_400, nominal: 131_000 },
  /** syn_schedule.py: listen(0), three clients: the first ESTABLISHED, the others SYN_SENT. So backlog N lets N + 1 wait. */
  establishedWithBacklog0: 1,
  /**
   * buffers.py: 50 runs of a sendall loop of send() of 200,000 bytes to a
   * reader thread doing recv(65536), blocking and with settimeout(5): one
   * send() call every time (SO_SNDBUF after connect: 3,939,840).
   */
  sendCallsFor200000: 1,
  /**
   * sws.py 16384: SO_SNDBUF and SO_RCVBUF set to 16 KiB (Linux doubles
   * them: 32,768), a reader doing recv(100) then 10 ms of work, a sender
   * with settimeout(60) sending 100,000 bytes: send() returned 32768,
   * 24576, 16384, 16384, 9888 (5 calls; the blocked sender woken in steps
   * of 16 KiB, never for 100 bytes).
   */
  slowReaderSends: [32_768, 24_576, 16_384, 16_384, 9_888],
} as const;
