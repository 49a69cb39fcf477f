/**
 * How to connect to a running FTP server, as `sockstep ftp-server` prints
 * it: one line for curl, lftp and Python's ftplib each. The password is
 * never printed (it may be on the screen of a shared terminal).
 *
 * Browser-safe, though only the CLI uses it.
 */
import type { Endpoint } from '../../machines/socket-calls.ts';

/** A host as it goes into a URL: IPv6 in brackets (RFC 3986 section 3.2.2). */
function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export function connectHints(address: Endpoint, user: string, anonymousOnly: boolean): string[] {
  const host = address.host === '0.0.0.0' ? '127.0.0.1' : address.host === '::' ? '::1' : address.host;
  const port = address.port;
  const login = anonymousOnly ? '' : `-u ${user}:PASSWORD `;
  const py = anonymousOnly ? "f.login()" : `f.login('${user}', 'PASSWORD')`;
  return [
    `  curl:   curl ${login}ftp://${urlHost(host)}:${port}/              (a file: add its name; upload: curl -T FILE ...)`,
    `  lftp:   lftp -p ${port} ${anonymousOnly ? '' : `-u ${user} `}${host}`,
    `  Python: python3 -c "from ftplib import FTP; f = FTP(); f.connect('${host}', ${port}); ${py}; f.retrlines('LIST')"`,
  ];
}
