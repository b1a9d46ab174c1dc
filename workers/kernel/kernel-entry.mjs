// Plain-JS entry so the kernel child can be forked without a TypeScript loader flag in execArgv.
import { register } from 'tsx/esm/api';

register();
await import('./kernel-runtime.ts');
