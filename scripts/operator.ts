// `npm run operator -- add <email>`: operator accounts of the console, from the command line (there is no sign-up page).
// The password is read from the terminal (hidden, asked twice) or, when piped, from the first line of stdin.
// Uses the database the API uses: DATABASE_URL, or the embedded one under LEDGERBRIDGE_DATA_DIR (stop the API first:
// an embedded database has one user at a time).
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { listOperators, OperatorAccountError, removeOperator, saveOperator } from '../api/console/operator-accounts.js';
import { openDatabase } from '../db/database.js';
import { projectRoot } from '../runtime/project-root.js';

const usage = `Usage:
  npm run operator -- add <email>      create an account (asks for its password)
  npm run operator -- passwd <email>   set a new password (and lift a sign-in lock)
  npm run operator -- remove <email>   delete the account and sign it out everywhere
  npm run operator -- list             list the accounts`;

const [command, email] = process.argv.slice(2);
if (!command || (command !== 'list' && !email) || !['add', 'passwd', 'remove', 'list'].includes(command)) {
  console.error(usage);
  process.exit(2);
}

const env = process.env;
const pgliteDir = resolve(projectRoot, env.LEDGERBRIDGE_DATA_DIR ?? '.data', 'pglite');
if (!env.DATABASE_URL) mkdirSync(dirname(pgliteDir), { recursive: true }); // PGlite creates only the last level
const database = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { pgliteDir });
try {
  if (command === 'list') {
    for (const operator of await listOperators(database.db)) {
      console.log(`${operator.email}  created ${operator.createdAt.toISOString()}  last sign-in ${operator.lastSignInAt?.toISOString() ?? 'never'}`);
    }
  } else if (command === 'remove') {
    console.log((await removeOperator(database.db, email!)) ? `Removed ${email}; its sessions are signed out.` : `There is no account ${email}.`);
  } else {
    const password = await readPassword();
    const saved = await saveOperator(database.db, email!, password, { replace: command === 'passwd' });
    console.log(saved.created ? `Created ${saved.email}. Sign in at <PUBLIC_BASE_URL>/console.` : `New password set for ${saved.email}.`);
  }
} catch (error) {
  if (!(error instanceof OperatorAccountError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await database.close();
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    return text.split(/\r?\n/)[0] ?? '';
  }
  const first = await hiddenLine('Password: ');
  const again = await hiddenLine('Password again: ');
  if (first !== again) throw new OperatorAccountError('The two passwords differ; nothing was saved.');
  return first;
}

/** Reads one line from the terminal without echoing it. */
function hiddenLine(prompt: string): Promise<string> {
  process.stdout.write(prompt);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolvePassword, reject) => {
    let line = '';
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          stdin.off('data', onData);
          stdin.setRawMode(false);
          stdin.pause();
          process.stdout.write('\n');
          return resolvePassword(line);
        }
        if (char === '\u0003') {
          stdin.setRawMode(false);
          return reject(new OperatorAccountError('Cancelled; nothing was saved.'));
        }
        if (char === '\u007f' || char === '\b') line = line.slice(0, -1);
        else line += char;
      }
    };
    stdin.on('data', onData);
  });
}
