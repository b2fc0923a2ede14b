// A tiny stand-in for Alibaba Cloud endpoints in unit tests: answers per action, records what arrived.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { CredentialHandle } from '../../src/cloud/credentials.js';
import { cjsDefault } from '../../src/cloud/interop.js';

export interface ReceivedRequest {
  action: string;
  version: string;
  method: string;
  path: string;
  /** Query and form parameters together. */
  params: Record<string, string>;
  accessKeyId?: string;
  securityToken?: string;
  headers: IncomingMessage['headers'];
}

export interface FakeAnswer {
  status?: number;
  body?: unknown;
  /** Drop the connection instead of answering. */
  destroy?: boolean;
}

export type FakeHandler = (req: ReceivedRequest, nth: number) => FakeAnswer | undefined;

export interface FakeCloud {
  url: string;
  endpoint: string;
  requests: ReceivedRequest[];
  /** Forgets recorded requests and per-action counts. */
  reset(): void;
  close(): Promise<void>;
}

function accessKeyOf(headers: IncomingMessage['headers'], params: Record<string, string>): string | undefined {
  const auth = String(headers.authorization ?? '');
  return /Credential=([^,]+)/.exec(auth)?.[1] ?? params.AccessKeyId;
}

export async function startFakeCloud(handler: FakeHandler): Promise<FakeCloud> {
  const requests: ReceivedRequest[] = [];
  const counts = new Map<string, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const params: Record<string, string> = Object.fromEntries(url.searchParams);
      const body = Buffer.concat(chunks).toString('utf8');
      if (body && String(req.headers['content-type'] ?? '').includes('form')) Object.assign(params, Object.fromEntries(new URLSearchParams(body)));
      const action = String(req.headers['x-acs-action'] ?? params.Action ?? '');
      const received: ReceivedRequest = {
        action,
        version: String(req.headers['x-acs-version'] ?? params.Version ?? ''),
        method: req.method ?? 'GET',
        path: url.pathname,
        params,
        accessKeyId: accessKeyOf(req.headers, params),
        securityToken: (req.headers['x-acs-security-token'] as string | undefined) ?? params.SecurityToken,
        headers: req.headers,
      };
      requests.push(received);
      const nth = (counts.get(action) ?? 0) + 1;
      counts.set(action, nth);
      const answer = handler(received, nth) ?? { status: 404, body: { Code: 'InvalidAction.NotFound', Message: `no fake for ${action}`, RequestId: 'fake' } };
      if (answer.destroy) {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body ?? { RequestId: `req-${requests.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    endpoint: `127.0.0.1:${port}`,
    requests,
    reset: () => {
      requests.length = 0;
      counts.clear();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A static AccessKey credential handle, as a profile in AK mode would give. */
export function staticCredential(accessKeyId: string, accessKeySecret: string): CredentialHandle {
  return {
    source: `static ${accessKeyId}`,
    credential: async () => {
      const m = await import('@alicloud/credentials');
      const Credential = cjsDefault<typeof m.default.default>(m);
      return new Credential({ type: 'access_key', accessKeyId, accessKeySecret } as never);
    },
  };
}
