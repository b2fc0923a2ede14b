// The simulated world: accounts, their AccessKeys, each product's state, and a simulated clock; saved as JSON.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const WORLD_FORMAT = 1;

export interface AccessKeyData {
  accountId: string;
  /** RAM user name; undefined for the account's own (root) key. */
  userName?: string;
  secret: string;
  status: 'Active' | 'Inactive';
  createdAt: string;
}

export interface AccountData {
  accountId: string;
  alias: string;
  /** Per-product state of this account, owned by the product's module. */
  slices: Record<string, unknown>;
}

export interface WorldData {
  format: number;
  scenario: string;
  /** Simulated time, epoch ms. */
  nowMs: number;
  /** Counter behind every generated ID, so IDs are unique and stable across a save and load. */
  seq: number;
  accounts: Record<string, AccountData>;
  accessKeys: Record<string, AccessKeyData>;
  /** State shared across accounts (peering connections, CEN grants, STS sessions), owned by product modules. */
  shared: Record<string, unknown>;
}

export interface ClockOptions {
  /** Simulated milliseconds that pass with every API call: polling loops see time move without real waiting. */
  stepMs: number;
}

export class World {
  constructor(
    readonly data: WorldData,
    readonly clock: ClockOptions = { stepMs: 5_000 },
  ) {}

  static empty(scenario: string, start = Date.UTC(2026, 10, 1, 8, 0, 0)): World {
    return new World({ format: WORLD_FORMAT, scenario, nowMs: start, seq: 0, accounts: {}, accessKeys: {}, shared: {} });
  }

  static load(file: string): World {
    const data = JSON.parse(readFileSync(file, 'utf8')) as WorldData;
    if (data.format !== WORLD_FORMAT) throw new Error(`sandbox state ${file} has format ${data.format}; run \`acr-xaccount sandbox reset\``);
    return new World(data);
  }

  save(file: string): void {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data), { mode: 0o600 });
    renameSync(tmp, file);
  }

  static exists(file: string): boolean {
    return existsSync(file);
  }

  get now(): Date {
    return new Date(this.data.nowMs);
  }

  /** Moves simulated time forward. */
  advance(ms: number): void {
    this.data.nowMs += ms;
  }

  /** Called once per API call. */
  tick(): void {
    this.advance(this.clock.stepMs);
  }

  /** A new ID in the cloud's style, e.g. `vpc-` + 20 characters; the same scenario always yields the same IDs. */
  nextId(prefix: string, length = 20): string {
    this.data.seq += 1;
    const tail = createHash('sha256').update(`${this.data.scenario}:${this.data.seq}`).digest('hex').slice(0, length);
    return `${prefix}${tail}`;
  }

  addAccount(accountId: string, alias: string): AccountData {
    const account: AccountData = { accountId, alias, slices: {} };
    this.data.accounts[accountId] = account;
    return account;
  }

  account(accountId: string): AccountData {
    const account = this.data.accounts[accountId];
    if (!account) throw new Error(`sandbox has no account ${accountId}`);
    return account;
  }

  accountIds(): string[] {
    return Object.keys(this.data.accounts);
  }

  /** A product's state in one account, created on first use. */
  slice<T>(accountId: string, product: string, init: () => T): T {
    const account = this.account(accountId);
    account.slices[product] ??= init();
    return account.slices[product] as T;
  }

  /** A product's cross-account state, created on first use. */
  shared<T>(product: string, init: () => T): T {
    this.data.shared[product] ??= init();
    return this.data.shared[product] as T;
  }

  /** Issues an AccessKey pair; the secret exists only in the sandbox state and the profiles file. */
  addAccessKey(accountId: string, userName?: string): { accessKeyId: string; secret: string } {
    const accessKeyId = `LTAI${this.nextId('', 20)}`;
    const secret = randomBytes(15).toString('base64url');
    this.data.accessKeys[accessKeyId] = { accountId, userName, secret, status: 'Active', createdAt: this.now.toISOString() };
    return { accessKeyId, secret };
  }

  /** Whether an asynchronous operation that started at `startedAt` and takes `durationMs` is done by now. */
  isDone(startedAtMs: number, durationMs: number): boolean {
    return this.data.nowMs >= startedAtMs + durationMs;
  }
}
