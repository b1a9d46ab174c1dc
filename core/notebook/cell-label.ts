// How people recognise a cell: its execution count and its first comment line (`// train`), or its
// first line of code, never its id. Used in run names and in error tracebacks.

/** The first comment line of a cell (`// train`, `# train`, `/* train *\/`), or null. */
export function cellCommentTitle(source: string): string | null {
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const comment = /^(?:\/\/+|#+|\/\*+)\s*(.*?)\s*(?:\*\/)?$/.exec(line);
    return comment?.[1] ? comment[1].slice(0, 120) : null;
  }
  return null;
}

/** The label errors use: `[3] cell "train"` (execution count, then the comment or first line, shortened). */
export function cellErrorLabel(source: string, executionCount: number): string {
  const firstLine =
    source
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? '';
  const title = cellCommentTitle(source) ?? firstLine;
  const short = title.length > 40 ? `${title.slice(0, 39)}…` : title;
  return short ? `[${executionCount}] cell "${short}"` : `[${executionCount}] cell`;
}
