/**
 * Lesson 9: an FTP server. A listener that starts a session per control
 * connection, a session that answers commands and runs each transfer as a
 * join of two connections, and a data channel per transfer. The run: a
 * scripted client logs in, asks PWD, lists the folder, fetches a file and
 * stores one, then quits, on the simulated network. Browser-safe.
 */
import { accountsOf, policyOf } from '../../machines/ftp/server/config.ts';
import { ftpDataMachine } from '../../machines/ftp/server/data-channel.ts';
import { ftpServerMachine } from '../../machines/ftp/server/listener.ts';
import { ftpClientMachine, type ScriptStep } from '../../machines/ftp/server/scripted-client.ts';
import { ftpSessionMachine } from '../../machines/ftp/server/session.ts';
import { defineLesson } from '../lesson-types.ts';

/** A fixed "now" for listings, so the page shows the same dates on every run: 29 November 2026, 13:00 UTC. */
export const LESSON_NOW = Date.UTC(2026, 10, 29, 13, 0);

/** The served folder. */
export const FTP_FILES = {
  'hello.txt': 'Hello from the FTP server!\n',
  'notes/': '',
  'notes/todo.txt': 'write an FTP client\n',
};

/** What the client does, as a person would type it into an FTP client. */
export const FTP_SCRIPT: ScriptStep[] = [
  { kind: 'command', line: 'USER student' },
  { kind: 'command', line: 'PASS secret' },
  { kind: 'command', line: 'PWD' },
  { kind: 'command', line: 'TYPE I' },
  { kind: 'passive', line: 'PASV' },
  { kind: 'download', line: 'LIST' },
  { kind: 'passive', line: 'PASV' },
  { kind: 'download', line: 'RETR hello.txt' },
  { kind: 'passive', line: 'PASV' },
  { kind: 'upload', line: 'STOR upload.txt', bytes: new TextEncoder().encode('uploaded from the client\n') },
  { kind: 'command', line: 'QUIT' },
];

export default defineLesson({
  id: '09-ftp-server',
  machines: [
    { machine: ftpServerMachine, role: 'server' },
    { machine: ftpSessionMachine, role: 'session' },
    { machine: ftpDataMachine, role: 'session' },
    {
      machine: ftpClientMachine,
      role: 'client',
      script: 'ftp_client.py',
      lines: {
        'ftpClient.connecting': 'control = socket.create_connection(',
        'ftpClient.greeting': 'chunk = self.control.recv(4096)',
        'ftpClient.sendingCommand': "control.sendall(line.encode()",
        'ftpClient.sendingPassive': "control.sendall(line.encode()",
        'ftpClient.sendingTransfer': "control.sendall(line.encode()",
        'ftpClient.awaitingReply': 'chunk = self.control.recv(4096)',
        'ftpClient.awaitingPassive': 'chunk = self.control.recv(4096)',
        'ftpClient.connectingData': 'data = socket.create_connection(',
        'ftpClient.transfer.data.downloading': 'piece = data.recv(65536)',
        'ftpClient.transfer.data.uploading': 'data.sendall(UPLOAD)',
        'ftpClient.transfer.data.closingData': 'data.close()',
        'ftpClient.transfer.control.reading': 'chunk = self.control.recv(4096)',
        'ftpClient.closing': 'control.close()',
      },
    },
  ],
  scenarios: [
    {
      id: 'session',
      title: 'login, list, fetch, store',
      files: FTP_FILES,
      servers: [
        {
          actor: 'ftp-server',
          machine: ftpServerMachine,
          input: ({ host, port }) => ({
            host,
            port,
            stopAfter: 1,
            now: () => LESSON_NOW,
            policy: policyOf({ accounts: accountsOf([{ user: 'student', password: 'secret' }]), write: true }),
          }),
        },
      ],
      // The script is a function: a machine's input is recorded, and the password must not be.
      clients: [{ actor: 'client', machine: ftpClientMachine, input: ({ host, port }) => ({ host, port, script: () => FTP_SCRIPT }) }],
    },
  ],
});
