import { invalid } from '../errors';

// Limits every parsed request value must meet before any operation sees it. PostgreSQL refuses NUL in
// text (a 500 deep in a query otherwise), and code that walks values recursively (zod, the ONNX sample
// checks) overflows the stack on a value nested a few thousand levels deep.

export const MAX_JSON_DEPTH = 64;

/** Throws a 400 naming the place when a value nests deeper than MAX_JSON_DEPTH or holds a NUL byte. */
export function assertSafeJson(value: unknown, where: string): void {
  // An explicit stack: recursion here would be the very overflow this guards against.
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    const v = item.value;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) throw invalid(`${describe(where, item.path)} contains a NUL byte, which no text field accepts`);
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (item.depth >= MAX_JSON_DEPTH) throw invalid(`${describe(where, item.path)} nests deeper than ${MAX_JSON_DEPTH} levels`);
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], depth: item.depth + 1, path: `${item.path}[${i}]` });
      continue;
    }
    for (const [key, child] of Object.entries(v as Record<string, unknown>)) {
      if (key.includes('\u0000')) throw invalid(`${describe(where, item.path)} has a key with a NUL byte`);
      stack.push({ value: child, depth: item.depth + 1, path: item.path ? `${item.path}.${key}` : key });
    }
  }
}

function describe(where: string, path: string): string {
  return path ? `${where} field ${path}` : where;
}
