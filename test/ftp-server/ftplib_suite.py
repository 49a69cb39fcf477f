"""A functional suite of our own for `sockstep ftp-server`, through Python's ftplib (standard library
only), covering what pyftpdlib's own tests check: every malformed PORT/EPRT/REST, commands before
login, ABOR idle / during RETR / during STOR, REST then RETR/STOR/APPE, RNFR without RNTO, listings,
TYPE A, and the limits (max connections, timeouts) when the server was started with them.

    python3 ftplib_suite.py HOST PORT ROOT USER PASSWORD [limits]

Prints one line per test and 'N passed, N failed'; exit 1 on a failure.
"""
import ftplib
import io
import os
import socket
import sys
import time
import unittest

HOST, PORT, ROOT, USER, PASSWORD = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
MODE = sys.argv[6] if len(sys.argv) > 6 else 'functional'
V6 = ':' in HOST


def client(login=True):
    f = ftplib.FTP(timeout=10)
    f.connect(HOST, PORT)
    if login:
        f.login(USER, PASSWORD)
    return f


def code(call, *args):
    """The reply code of a command, whether it succeeds or raises."""
    try:
        return int(call(*args)[:3])
    except ftplib.Error as e:
        return int(str(e)[:3])


class Functional(unittest.TestCase):
    def setUp(self):
        self.f = client()

    def tearDown(self):
        try:
            self.f.quit()
        except Exception:
            self.f.close()

    def test_login_and_basics(self):
        self.assertEqual(self.f.pwd(), '/')
        self.assertTrue(self.f.sendcmd('SYST').startswith('215 UNIX'))
        self.assertEqual(code(self.f.sendcmd, 'NOOP'), 200)
        feat = self.f.sendcmd('FEAT')
        for feature in ('EPSV', 'MLST', 'REST STREAM', 'SIZE', 'UTF8'):
            self.assertIn(feature, feat)
        self.assertEqual(code(self.f.sendcmd, 'HELP'), 214)
        self.assertEqual(code(self.f.sendcmd, 'STAT'), 211)
        self.assertEqual(code(self.f.sendcmd, 'ALLO 10'), 202)
        self.assertEqual(code(self.f.sendcmd, 'ACCT x'), 502)
        self.assertEqual(code(self.f.sendcmd, 'SITE CHMOD 600 a'), 502)
        self.assertEqual(code(self.f.sendcmd, 'FOOO'), 500)
        self.assertEqual(code(self.f.sendcmd, 'TYPE E'), 504)
        self.assertEqual(code(self.f.sendcmd, 'MODE B'), 504)
        self.assertEqual(code(self.f.sendcmd, 'STRU R'), 504)
        self.assertEqual(code(self.f.sendcmd, 'OPTS UTF8 ON'), 200)

    def test_commands_before_login(self):
        g = client(login=False)
        for cmd in ('PWD', 'CWD /', 'LIST', 'RETR hello.txt', 'STOR x', 'PASV', 'EPSV', 'PORT 127,0,0,1,4,1', 'SIZE hello.txt', 'MKD x', 'DELE x', 'REST 1', 'TYPE I', 'MLST', 'RNFR x'):
            self.assertEqual(code(g.sendcmd, cmd), 530, cmd)
        self.assertEqual(code(g.sendcmd, 'PASS x'), 503)
        self.assertEqual(code(g.sendcmd, 'NOOP'), 200)
        g.close()

    def test_wrong_password(self):
        g = client(login=False)
        with self.assertRaises(ftplib.error_perm) as caught:
            g.login(USER, 'not it')
        self.assertTrue(str(caught.exception).startswith('530'))
        g.close()

    def test_malformed_port(self):
        if V6:
            self.assertEqual(code(self.f.sendcmd, 'PORT 127,0,0,1,4,1'), 522)
            return
        for arg in ('', '127,0,0,1,4', '127,0,0,1,4,1,1', '127,0,0,256,4,1', '127,0,0,1,256,1', '127,0,0,1,-1,1', 'a,b,c,d,e,f', '127.0.0.1.4.1', '127,0,0,1,0,0'):
            self.assertIn(code(self.f.sendcmd, 'PORT ' + arg), (501,), arg)
        # An FTP bounce: another host, or a port below 1024.
        self.assertEqual(code(self.f.sendcmd, 'PORT 10,0,0,1,4,1'), 504)
        self.assertEqual(code(self.f.sendcmd, 'PORT 127,0,0,1,0,21'), 504)

    def test_malformed_eprt(self):
        fam, addr = ('2', '::1') if V6 else ('1', '127.0.0.1')
        for arg in ('', '|', '||||', f'|{fam}|{addr}|', f'|{fam}|{addr}|0|', f'|{fam}|{addr}|65536|', f'|{fam}|{addr}|abc|', '|1|1.2.3|5000|', '|2|:::|5000|', f'{fam}|{addr}|5000|'):
            self.assertIn(code(self.f.sendcmd, 'EPRT ' + arg), (501, 522), arg)
        self.assertEqual(code(self.f.sendcmd, 'EPRT |3|1.2.3.4|5000|'), 522)
        other = '|2|::2|5000|' if V6 else '|1|10.0.0.1|5000|'
        self.assertEqual(code(self.f.sendcmd, 'EPRT ' + other), 504)

    def test_malformed_rest(self):
        for arg in ('', '-1', 'abc', '1.5', '9223372036854775808'):
            self.assertEqual(code(self.f.sendcmd, 'REST ' + arg), 501, arg)
        self.assertEqual(code(self.f.sendcmd, 'REST 0'), 350)

    def test_retr_list_nlst_mlsd(self):
        buf = io.BytesIO()
        self.f.retrbinary('RETR hello.txt', buf.write)
        self.assertEqual(buf.getvalue(), b'hello\nworld\n')
        self.assertTrue({'hello.txt', 'sub', 'ten.bin'} <= set(self.f.nlst()))
        lines = []
        self.f.retrlines('LIST sub', lines.append)
        self.assertEqual(len(lines), 1)
        self.assertTrue(lines[0].startswith('-rw-') and lines[0].endswith(' inner.txt'))
        facts = dict(self.f.mlsd())
        self.assertEqual(facts['sub']['type'], 'dir')
        self.assertEqual(facts['ten.bin']['size'], '10')
        self.assertEqual(self.f.size('ten.bin'), 10)
        self.assertEqual(code(self.f.sendcmd, 'MDTM hello.txt'), 213)
        self.assertIn('type=file', self.f.sendcmd('MLST hello.txt'))

    def test_type_a(self):
        lines = []
        self.f.retrlines('RETR hello.txt', lines.append)
        self.assertEqual(lines, ['hello', 'world'])
        self.f.storlines('STOR lines.txt', io.BytesIO(b'one\ntwo\n'))
        with open(os.path.join(ROOT, 'lines.txt'), 'rb') as fh:
            self.assertEqual(fh.read(), b'one\ntwo\n')

    def test_active_mode(self):
        self.f.set_pasv(False)
        buf = io.BytesIO()
        self.f.retrbinary('RETR ten.bin', buf.write)
        self.assertEqual(buf.getvalue(), b'0123456789')
        self.f.storbinary('STOR active.bin', io.BytesIO(b'x' * 100000))
        self.assertEqual(os.path.getsize(os.path.join(ROOT, 'active.bin')), 100000)

    def test_rest_then_retr_stor_appe(self):
        buf = io.BytesIO()
        self.f.retrbinary('RETR ten.bin', buf.write, rest=4)
        self.assertEqual(buf.getvalue(), b'456789')
        self.f.storbinary('STOR rest.bin', io.BytesIO(b'abcdefghij'))
        self.f.storbinary('STOR rest.bin', io.BytesIO(b'XY'), rest=3)
        with open(os.path.join(ROOT, 'rest.bin'), 'rb') as fh:
            self.assertEqual(fh.read(), b'abcXYfghij')
        self.f.storbinary('APPE rest.bin', io.BytesIO(b'!'))
        with open(os.path.join(ROOT, 'rest.bin'), 'rb') as fh:
            self.assertEqual(fh.read(), b'abcXYfghij!')
        self.f.sendcmd('REST 3')
        self.f.sendcmd('TYPE I')
        with self.assertRaises(ftplib.error_perm):
            self.f.storbinary('APPE rest.bin', io.BytesIO(b'?'))

    def test_stou(self):
        # RFC 1123 section 4.1.2.9: the 150 names the file made ("150 FILE: pppp").
        self.f.voidcmd('TYPE I')
        conn, _ = self.f.ntransfercmd('STOU made')
        conn.sendall(b'unique')
        conn.close()
        self.assertEqual(self.f.voidresp()[:3], '226')
        made = [n for n in os.listdir(ROOT) if n.startswith('made.')]
        self.assertEqual(len(made), 1)
        with open(os.path.join(ROOT, made[0]), 'rb') as fh:
            self.assertEqual(fh.read(), b'unique')

    def test_rename_delete_mkdir(self):
        self.assertEqual(code(self.f.sendcmd, 'RNTO x'), 503)
        self.f.sendcmd('RNFR ten.bin')
        self.assertEqual(code(self.f.sendcmd, 'NOOP'), 200)
        self.assertEqual(code(self.f.sendcmd, 'RNTO x'), 503)  # RNFR without RNTO next: forgotten
        self.assertEqual(code(self.f.sendcmd, 'RNFR missing'), 550)
        self.f.storbinary('STOR tmp.txt', io.BytesIO(b'1'))
        self.f.rename('tmp.txt', 'renamed.txt')
        self.assertTrue(os.path.exists(os.path.join(ROOT, 'renamed.txt')))
        self.f.delete('renamed.txt')
        self.assertEqual(self.f.mkd('new dir'), '/new dir')
        self.f.cwd('new dir')
        self.assertEqual(self.f.pwd(), '/new dir')
        self.f.sendcmd('CDUP')
        self.f.rmd('new dir')
        self.assertEqual(code(self.f.delete, 'sub'), 550)
        self.assertEqual(code(self.f.cwd, '../../..'), 250)
        self.assertEqual(self.f.pwd(), '/')

    def test_abor_idle(self):
        self.assertEqual(code(self.f.sendcmd, 'ABOR'), 225)
        self.f.sendcmd('EPSV')
        self.assertEqual(code(self.f.sendcmd, 'ABOR'), 225)
        self.assertEqual(code(self.f.sendcmd, 'PASV'), 425 if V6 else 227)
        self.assertEqual(code(self.f.sendcmd, 'NOOP'), 200)

    def assert_aborted(self, conn):
        # RFC 959 section 4.1.3: 426 for the transfer, then 226 for the ABOR (226 alone if it had ended).
        reply = self.f.abort()
        conn.close()
        self.assertIn(reply[:3], ('426', '226'))
        if reply[:3] == '426':
            self.assertEqual(self.f.getresp()[:3], '226')
        self.assertEqual(code(self.f.sendcmd, 'NOOP'), 200)

    def test_abor_during_retr(self):
        with open(os.path.join(ROOT, 'big.bin'), 'wb') as fh:
            fh.write(os.urandom(32 * 1024 * 1024))
        self.f.voidcmd('TYPE I')
        conn = self.f.transfercmd('RETR big.bin')
        conn.recv(1024)
        self.assert_aborted(conn)

    def test_abor_during_stor(self):
        with open(os.path.join(ROOT, 'keep.txt'), 'wb') as fh:
            fh.write(b'old content')
        self.f.voidcmd('TYPE I')
        conn = self.f.transfercmd('STOR keep.txt')
        conn.sendall(b'new' * 1000)
        self.assert_aborted(conn)
        with open(os.path.join(ROOT, 'keep.txt'), 'rb') as fh:
            self.assertEqual(fh.read(), b'old content')

    def test_symlink_out_of_root_is_refused(self):
        link = os.path.join(ROOT, 'escape')
        if not os.path.lexists(link):
            os.symlink('/etc', link)
        self.assertEqual(code(self.f.cwd, 'escape'), 550)
        self.assertEqual(code(self.f.sendcmd, 'SIZE escape/passwd'), 550)
        with self.assertRaises(ftplib.error_perm):
            self.f.retrbinary('RETR escape/passwd', lambda b: None)

    def test_pipelined_commands(self):
        s = self.f.sock
        s.sendall(b'NOOP\r\nPWD\r\nNOOP\r\n')
        self.assertEqual(self.f.getresp()[:3], '200')
        self.assertEqual(self.f.getresp()[:3], '257')
        self.assertEqual(self.f.getresp()[:3], '200')


class Limits(unittest.TestCase):
    """Run against a server started with --max-clients 2 --idle-timeout 1.5 --data-timeout 0.5 --max-login-failures 2 --login-delay 50."""

    def test_max_connections(self):
        a, b = client(False), client(False)
        c = ftplib.FTP(timeout=10)
        with self.assertRaises(ftplib.error_temp) as caught:
            c.connect(HOST, PORT)
        self.assertTrue(str(caught.exception).startswith('421'))
        a.close()
        b.close()

    def test_idle_timeout(self):
        f = client()
        time.sleep(2.5)
        with self.assertRaises((ftplib.error_temp, EOFError, ConnectionError)) as caught:
            f.sendcmd('NOOP')
        if isinstance(caught.exception, ftplib.error_temp):
            self.assertTrue(str(caught.exception).startswith('421'))
        f.close()

    def test_data_timeout(self):
        f = client()
        f.sendcmd('EPSV')
        time.sleep(1.0)
        # The passive port was given up: the transfer cannot start.
        self.assertEqual(code(f.sendcmd, 'RETR hello.txt'), 425)
        f.close()

    def test_failed_logins(self):
        f = client(False)
        for expected in ('530', '421'):
            try:
                f.login(USER, 'nope')
            except ftplib.Error as e:
                self.assertTrue(str(e).startswith(expected))
        f.close()


if __name__ == '__main__':
    suite = unittest.TestLoader().loadTestsFromTestCase(Limits if MODE == 'limits' else Functional)
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors)
    print(f'{result.testsRun - failed} passed, {failed} failed')
    sys.exit(0 if failed == 0 else 1)
