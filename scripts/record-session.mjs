// Records the README's example session: runs the BUILT CLI (`npm run build` first) in a pseudo-terminal against
// a fresh sandbox in a temporary folder, answers `init --sandbox` like a user (arrow keys, Enter, y), then runs
// `doctor --sandbox` and `destroy --sandbox` (answered y), and prints what stays on the screen: a small terminal
// emulator applies the cursor moves and erasures, so spinner frames and the option lists of answered prompts are
// gone, as in a real terminal.
// Dev-only (node-pty is a dev dependency). Usage: node scripts/record-session.mjs > session.txt
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

import * as pty from 'node-pty';

const BIN = fileURLToPath(new URL('../bin/acr-xaccount.js', import.meta.url));
const COLS = 120;
const DOWN = '\x1b[B';
const ENTER = '\r';
/** Where the transcript says it ran, instead of the temporary folder. */
const SHOWN_DIR = '~/demo';

/**
 * Just enough of a VT100 for Inquirer and ora: printable text with auto-wrap at COLS, CR, LF, cursor up/down/
 * forward/back/column, erase in line and below. Rows that auto-wrapped are joined back into one line at the end.
 */
class Screen {
  rows = [{ chars: [], wrapped: false }];
  row = 0;
  col = 0;
  /** xterm's deferred wrap: the last column was written, the next printable character goes to the next row. */
  pending = false;

  rowAt(index) {
    while (this.rows.length <= index) this.rows.push({ chars: [], wrapped: false });
    return this.rows[index];
  }

  write(data) {
    const csi = /^\x1b\[([?]?)([0-9;]*)([A-Za-z])/;
    for (let i = 0; i < data.length; ) {
      const ch = data[i];
      if (ch === '\x1b') {
        const m = csi.exec(data.slice(i, i + 32));
        if (m) {
          this.control(m[1], m[2], m[3]);
          i += m[0].length;
        } else i += 2; // ESC 7, ESC 8 and the like: nothing the transcript needs.
        continue;
      }
      const code = ch.codePointAt(0);
      const text = String.fromCodePoint(code);
      i += text.length;
      if (text === '\r') {
        this.col = 0;
        this.pending = false;
      } else if (text === '\n') {
        this.row += 1;
        this.rowAt(this.row).wrapped = false;
        this.col = 0; // the pty's ONLCR: LF arrives as CR LF anyway
        this.pending = false;
      } else if (text === '\b') {
        this.col = Math.max(0, this.col - 1);
        this.pending = false;
      } else if (code >= 0x20) {
        if (this.pending) {
          this.row += 1;
          this.rowAt(this.row).wrapped = true;
          this.col = 0;
          this.pending = false;
        }
        const line = this.rowAt(this.row).chars;
        while (line.length < this.col) line.push(' ');
        line[this.col] = text;
        if (this.col === COLS - 1) this.pending = true;
        else this.col += 1;
      }
    }
  }

  control(priv, params, final) {
    if (priv) return; // cursor visibility, synchronized output
    const n = Number(params.split(';')[0] || 0);
    const line = this.rowAt(this.row);
    this.pending = final === 'm' ? this.pending : false;
    switch (final) {
      case 'A':
        this.row = Math.max(0, this.row - (n || 1));
        break;
      case 'B':
        this.row += n || 1;
        this.rowAt(this.row);
        break;
      case 'C':
        this.col = Math.min(COLS - 1, this.col + (n || 1));
        break;
      case 'D':
        this.col = Math.max(0, this.col - (n || 1));
        break;
      case 'G':
        this.col = Math.max(0, (n || 1) - 1);
        break;
      case 'K':
        if (n === 0) line.chars.length = Math.min(line.chars.length, this.col);
        else if (n === 1) for (let c = 0; c <= this.col && c < line.chars.length; c++) line.chars[c] = ' ';
        else {
          line.chars = [];
          line.wrapped = false;
        }
        break;
      case 'J':
        if (n === 0) {
          line.chars.length = Math.min(line.chars.length, this.col);
          this.rows.length = this.row + 1;
        }
        break;
      default: // SGR colours and the rest
    }
  }

  /** The screen as logical lines, trailing blanks trimmed. */
  text() {
    const lines = [];
    for (const { chars, wrapped } of this.rows) {
      const text = chars.join('');
      if (wrapped && lines.length > 0) lines[lines.length - 1] += text;
      else lines.push(text);
    }
    return lines.map((l) => l.trimEnd()).join('\n').replace(/\n+$/, '');
  }

  /** The highlighted option of the list on screen. */
  highlighted() {
    const line = this.text().split('\n').findLast((l) => l.startsWith('❯'));
    return line ?? '';
  }
}

const lit = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One command in a pseudo-terminal, with waits on the text shown so far. */
class Session {
  screen = new Screen();
  raw = '';
  seen = 0;
  lastData = Date.now();

  constructor(args, cwd) {
    this.term = pty.spawn(process.execPath, [BIN, ...args], {
      name: 'xterm',
      cols: COLS,
      rows: 50,
      cwd,
      env: { ...process.env, NO_COLOR: '1', HOME: cwd, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' },
    });
    this.term.onData((d) => {
      this.raw += d;
      this.screen.write(d);
      this.lastData = Date.now();
    });
    this.exited = new Promise((resolve) => this.term.onExit(({ exitCode }) => resolve(exitCode)));
  }

  async waitFor(pattern, ms = 120_000) {
    const deadline = Date.now() + ms;
    for (;;) {
      const rest = stripVTControlCharacters(this.raw).replace(/\r/g, '').slice(this.seen);
      const match = rest.match(pattern);
      if (match) {
        this.seen += match.index + match[0].length;
        return match;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen:\n${this.screen.text().slice(-1500)}`);
      await sleep(25);
    }
  }

  /** Until the screen has been still for a moment (a prompt finished drawing). */
  async settle(quietMs = 150) {
    while (Date.now() - this.lastData < quietMs) await sleep(20);
  }

  async select(message, option) {
    await this.waitFor(new RegExp(`\\? ${lit(message)}`));
    await this.settle();
    for (let moves = 0; !option.test(this.screen.highlighted()); moves++) {
      if (moves > 12) throw new Error(`no option ${option} under "${message}"`);
      const before = this.raw.length;
      this.term.write(DOWN);
      while (this.raw.length === before) await sleep(10);
      await this.settle();
    }
    this.term.write(ENTER);
    await this.waitFor(new RegExp(`✔ ${lit(message)}`));
  }

  async input(message, text = '') {
    await this.waitFor(new RegExp(`\\? ${lit(message)}`));
    await this.settle();
    this.term.write(text + ENTER);
    await this.waitFor(new RegExp(`✔ ${lit(message)}`));
  }
}

async function record(args, cwd, drive) {
  const session = new Session(args, cwd);
  try {
    await drive(session);
    const code = await session.exited;
    return { code, text: session.screen.text() };
  } catch (error) {
    session.term.kill();
    throw error;
  }
}

const cwd = mkdtempSync(join(tmpdir(), 'acrx-record-'));
// HOME is the temporary folder too, so the default ~/.acr-xaccount/sandbox is fresh and the commands are as typed.
const stateFile = join(cwd, '.acr-xaccount', 'sandbox', 'state.json');
try {
  const init = await record(['init', '--sandbox'], cwd, async (s) => {
    await s.select('ACK cluster (account A)', /prod/);
    await s.input('Region of the ACR instance (account B)');
    await s.select('ACR instance (account B)', /acme-images/);
    await s.select('Network path', /peering.*\(recommended\)/);
    await s.select('Name resolution', /privatezone/);
    await s.select('Authorization', /rrsa/);
    await s.input('Lifetime of the temporary credentials');
    await s.select('aliyun-acr-credential-helper edition', /managed.*\(recommended\)/);
    await s.input('Namespaces the helper watches');
    await s.input('Service accounts the helper gives registry credentials to');
    await s.select('Test image for verify: repository', /team\/web/);
    await s.select('Tag of team/web', /2025\.11\.3/);
    await s.waitFor(/Apply these changes\?/);
    await s.settle();
    s.term.write('y' + ENTER);
    await s.waitFor(/Apply complete|Apply stopped/);
  });
  const doctor = await record(['doctor', '--sandbox'], cwd, async () => {});
  const destroy = await record(['destroy', '--sandbox'], cwd, async (s) => {
    await s.waitFor(/This cannot be undone\./);
    await s.settle();
    s.term.write('y' + ENTER);
    await s.waitFor(/Destroy complete|Destroy stopped|Apply stopped/);
  });

  // No key material may reach the README: the sandbox's AccessKey IDs and secrets are checked for and masked.
  const world = JSON.parse(readFileSync(stateFile, 'utf8'));
  const secrets = Object.entries(world.accessKeys ?? {}).flatMap(([id, key]) => [id, key.secret]);
  let transcript = [
    `${SHOWN_DIR}$ npx acr-xaccount init --sandbox`,
    init.text,
    `${SHOWN_DIR}$ npx acr-xaccount doctor --sandbox`,
    doctor.text,
    `${SHOWN_DIR}$ npx acr-xaccount destroy --sandbox`,
    destroy.text,
  ].join('\n');
  transcript = transcript.replaceAll(cwd, SHOWN_DIR);
  for (const secret of secrets) {
    if (secret && transcript.includes(secret)) {
      process.stderr.write('warning: a sandbox key was on screen; masked\n');
      transcript = transcript.replaceAll(secret, '****');
    }
  }
  transcript = transcript.replace(/LTAI\w{8,}/g, 'LTAI****');
  process.stdout.write(transcript + '\n');
  if (init.code !== 0 || doctor.code !== 0 || destroy.code !== 0) {
    process.stderr.write(`init exited ${init.code}, doctor ${doctor.code}, destroy ${destroy.code}\n`);
    process.exitCode = 1;
  }
} finally {
  rmSync(cwd, { recursive: true, force: true });
}
