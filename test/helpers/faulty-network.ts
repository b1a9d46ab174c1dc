import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

// The network between a device and the real server, with faults on demand: cut a download midway,
// go offline, lose replies after the server handled the request, corrupt artifact bytes, or sign
// manifests with a key the device does not trust. Everything else passes through unchanged.

export interface Faults {
  /** Cut the next artifact download after this many bytes (once). */
  cutArtifactAfter: number | null;
  /** Refuse every request (the device is offline). */
  offline: boolean;
  /** Forward device reports to the server but drop the reply, so the device must resend. */
  dropReportReplies: number;
  /** Flip a byte in every artifact served. */
  corruptArtifacts: boolean;
  /** Replace manifest signatures with ones made by a key the device does not trust. */
  resignManifests: boolean;
  /** Change the expected output in manifests (signed with the key the device trusts): its health check must fail. */
  tamperSampleOutput: boolean;
}

export interface FaultyNetwork {
  url: string;
  faults: Faults;
  /** Range headers the server saw on artifact requests. */
  ranges: string[];
  /** Device reports the server received (including resends). */
  reportsForwarded: number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const foreignKey: KeyObject = generateKeyPairSync('ed25519').privateKey;
// Devices enrolled through this network pin its key instead of the server's, so it can re-sign the
// manifests it alters on purpose (a valid signature over a manifest whose health check must fail).
const relayKeys = generateKeyPairSync('ed25519');
const relayPublicPem = relayKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

export async function startFaultyNetwork(target: string): Promise<FaultyNetwork> {
  const net: FaultyNetwork = {
    url: '',
    faults: {
      cutArtifactAfter: null,
      offline: false,
      dropReportReplies: 0,
      corruptArtifacts: false,
      resignManifests: false,
      tamperSampleOutput: false,
    },
    ranges: [],
    reportsForwarded: 0,
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => void relay(net, target, req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  net.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  net.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return net;
}

async function relay(net: FaultyNetwork, target: string, req: IncomingMessage, res: ServerResponse) {
  const f = net.faults;
  if (f.offline) return req.socket.destroy();
  const body = await readBody(req);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
  const path = req.url ?? '/';
  const isArtifact = path.startsWith('/api/device/artifacts/');
  if (isArtifact && headers.range) net.ranges.push(headers.range);
  const upstream = await fetch(`${target}${path}`, { method: req.method, headers, body: body.length ? new Uint8Array(body) : undefined });
  let payload = Buffer.from(await upstream.arrayBuffer());
  const isReport = req.method === 'POST' && (path === '/api/device/drift-reports' || path === '/api/device/prediction-stats');
  if (isReport) {
    net.reportsForwarded++;
    if (f.dropReportReplies > 0) {
      f.dropReportReplies--;
      return req.socket.destroy();
    }
  }
  if (isArtifact && f.corruptArtifacts && payload.length > 0) {
    payload = Buffer.from(payload);
    const mid = payload.length >> 1;
    payload[mid] = payload[mid]! ^ 0xff;
  }
  if (path === '/api/device/enroll' && upstream.status === 201) {
    const enrolled = JSON.parse(payload.toString()) as { signingKey: string };
    enrolled.signingKey = relayPublicPem;
    payload = Buffer.from(JSON.stringify(enrolled));
  }
  if (path === '/api/device/desired-state' && upstream.status === 200) {
    type Signed = { manifest: string; signature: string } | null;
    const state = JSON.parse(payload.toString()) as { deployment: Signed; variant: Signed };
    for (const m of [state.deployment, state.variant]) {
      if (!m) continue;
      if (f.tamperSampleOutput) {
        const manifest = JSON.parse(m.manifest) as { sampleOutput: number[][] };
        manifest.sampleOutput = manifest.sampleOutput.map((row) => row.map((v) => v + 1));
        m.manifest = JSON.stringify(manifest);
      }
      m.signature = sign(null, Buffer.from(m.manifest), f.resignManifests ? foreignKey : relayKeys.privateKey).toString('base64');
    }
    payload = Buffer.from(JSON.stringify(state));
  }
  const out: Record<string, string> = {};
  upstream.headers.forEach((v, k) => {
    if (k !== 'content-length' && k !== 'content-encoding' && k !== 'transfer-encoding' && k !== 'connection') out[k] = v;
  });
  if (isArtifact && f.cutArtifactAfter !== null && payload.length > f.cutArtifactAfter) {
    const cut = f.cutArtifactAfter;
    f.cutArtifactAfter = null;
    res.writeHead(upstream.status, { ...out, 'content-length': String(payload.length) });
    res.write(payload.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 20));
    return;
  }
  res.writeHead(upstream.status, { ...out, 'content-length': String(payload.length) });
  res.end(payload);
}
