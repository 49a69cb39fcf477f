/**
 * A program for killed-writer.test.ts: replaces `afile.txt` in the folder
 * given, through the run's file table as a live run would, writing 64 KiB
 * at a time forever. It says "writing N" after every megabyte, so that the
 * test knows it is well into the file when it kills it with SIGKILL.
 *
 *   npx tsx test/files/killed-writer.ts FOLDER
 */
import { FileTable } from '../../runtime/files/file-table.ts';
import { RealFolder } from '../../runtime/files/real-folder.ts';
import { Trace } from '../../runtime/trace/trace.ts';

const folder = await RealFolder.open(process.argv[2]!);
const table = new FileTable(folder, new Trace({ transport: 'tcp', clock: () => performance.now(), retain: 10 }));
const site = { actor: 'writer' };
const { file } = await table.openFile({ path: 'afile.txt', mode: 'replace' }, site);
const block = new Uint8Array(64 * 1024).fill(0x78);
for (let n = 1; ; n++) {
  await table.writeFile({ file, bytes: block }, site);
  if (n % 16 === 0) process.stdout.write(`writing ${n / 16}\n`);
}
