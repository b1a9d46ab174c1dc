#!/usr/bin/env node
// `npx ferry-agent`: runs the TypeScript agent through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
