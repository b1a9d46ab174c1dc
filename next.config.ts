import type { NextConfig } from 'next';

const config: NextConfig = {
  // Native, WASM and worker-thread packages are loaded from node_modules at run time, not bundled.
  serverExternalPackages: [
    '@electric-sql/pglite',
    '@node-rs/argon2',
    'pg',
    'nats',
    'onnxruntime-node',
    'onnxruntime-web',
    '@tensorflow/tfjs',
    '@tensorflow/tfjs-backend-wasm',
    'esbuild',
    'ws',
    'yjs',
  ],
  typescript: { ignoreBuildErrors: true }, // `npm run typecheck` is the type gate; building twice is slow on 2 cores
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
