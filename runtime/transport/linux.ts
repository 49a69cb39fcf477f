/**
 * Figures of the Linux TCP stack that both transports follow, each with how
 * it was found. Measured on this project's machine (Linux 6.18, Python
 * 3.11) with the scripts in test/transport/probes/; where a figure is
 * Linux's documented default, the document is named.
 *
 * Browser-safe: no `node:` import.
 */

/**
 * When connect() resends an unanswered SYN, in ms after the first one:
 * Linux's initial retransmission timeout (TCP_TIMEOUT_INIT, 1 s) repeated
 * for `tcp_syn_linear_timeouts` (4) more tries, then doubling, for
 * `tcp_syn_retries` (6) + 4 = 10 retries in all (ip-sysctl.rst:
 * "With an initial RTO of 1 and tcp_syn_linear_timeouts = 4 we would expect
 * SYN RTOs to be: 1, 1, 1, 1, 1, 2, 4, ..."). Measured here by
 * test/transport/probes/syn_schedule.py (TCP_INFO of a client whose SYNs a
 * full accept queue drops): retransmits at 1.05, 2.06, 3.09, 4.12, 5.13,
 * 7.15, 11.3, 19.5, 35.6 and 68.9 s.
 */
export const SYN_RETRY_AT_MS: readonly number[] = [1000, 2000, 3000, 4000, 5000, 7000, 11_000, 19_000, 35_000, 67_000];

/**
 * How long connect() waits, by default, on both transports: until the last
 * SYN retry's timeout (64 s after the retry at 67 s) runs out, 131 s after
 * the first SYN. Linux's kernel timers add some slack: the probe above
 * failed with ETIMEDOUT after 134.4 s. The real transport sets this limit
 * itself, so it gives up at 131 s as the simulated one does.
 */
export const DEFAULT_CONNECT_TIMEOUT_MS = 131_000;

/**
 * A listener lets `backlog + 1` finished connections wait for accept()
 * (the kernel's check is `queued > backlog`). Measured by syn_schedule.py:
 * with listen(0) the first client is ESTABLISHED and the second stays in
 * SYN_SENT.
 */
export const ACCEPT_QUEUE_EXTRA = 1;
