#!/usr/bin/env node
// `npx ferry-agent`: the same bundled agent as `npm run agent`.
await import('../scripts/run-agent.mjs');
