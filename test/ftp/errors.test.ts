import { describe, expect, it } from 'vitest';
import { FTP_ERROR_REPLY, REPLY_CODES, ftpError, isNegative } from '../../machines/ftp/protocol/index.ts';
import type { FtpErrorCode } from '../../machines/ftp/protocol/index.ts';

describe('FtpProtocolError values', () => {
  it.each(Object.entries(FTP_ERROR_REPLY).map(([code, reply]) => ({ code, reply })))(
    '$code answers $reply: a negative reply of RFC 959 §4.2.2 / RFC 2428 §2, or null on the client side',
    ({ reply }) => {
      if (reply === null) return;
      expect(isNegative(reply)).toBe(true);
      expect(REPLY_CODES[reply]).toBeDefined();
    },
  );

  it('are plain data: the same after a JSON round trip, so they can go into a trace', () => {
    const error = ftpError('OCTET_OUT_OF_RANGE', 'h4 is 256');
    expect(JSON.parse(JSON.stringify(error))).toEqual({ code: 'OCTET_OUT_OF_RANGE', message: 'h4 is 256', reply: 501 });
  });

  it('take the reply of their code unless told otherwise', () => {
    const code: FtpErrorCode = 'UNKNOWN_NETWORK_PROTOCOL';
    expect(ftpError(code, 'x').reply).toBe(522);
    expect(ftpError(code, 'x', null).reply).toBeNull();
  });
});
