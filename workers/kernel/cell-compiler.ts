import { transformSync } from 'esbuild';
import ts from 'typescript';

// Turns a cell into a script whose top-level declarations outlive it, as in a notebook: each
// declaration becomes a global (re-running `const x = 1` works), top-level await works, and the last
// expression's value is the result. The rewrite keeps every line where it was, so stack traces map
// back through esbuild's source map to the cell's own lines.

export interface CompiledCell {
  code: string;
  /** esbuild's source map of the TypeScript → JavaScript step (lines are unchanged after that). */
  sourceMap: string;
  filename: string;
}

export class CellSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'SyntaxError';
  }
}

export function compileCell(source: string, filename: string, language: 'typescript' | 'javascript' = 'typescript'): CompiledCell {
  let js: string;
  let map: string;
  try {
    const out = transformSync(source, {
      loader: language === 'typescript' ? 'ts' : 'js',
      target: 'es2022',
      sourcemap: 'external',
      sourcefile: filename,
      supported: { 'top-level-await': true },
      // Keep imports a later cell may use; esbuild would drop ones unused in this cell.
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
    });
    js = out.code;
    map = out.map;
  } catch (error) {
    const first = (error as { errors?: Array<{ text: string; location?: { line: number; column: number } }> }).errors?.[0];
    throw new CellSyntaxError(first?.text ?? String(error), first?.location?.line ?? 1, first?.location?.column ?? 0);
  }
  return { code: rewriteTopLevel(js), sourceMap: map, filename };
}

function rewriteTopLevel(js: string): string {
  const file = ts.createSourceFile('cell.js', js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const names = new Set<string>();
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const statements = file.statements;
  const last = statements[statements.length - 1];

  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) {
      const parts = statement.declarationList.declarations.map((d) => {
        collectNames(d.name, names);
        if (!d.initializer) return '';
        const target = d.name.getText(file);
        const assignment = `${target} = ${d.initializer.getText(file)}`;
        return ts.isObjectBindingPattern(d.name) ? `(${assignment})` : assignment;
      });
      const text = parts.filter(Boolean).join(', ');
      edits.push({
        start: statement.getStart(file),
        end: statement.end,
        text: keepLines(statement.getText(file), text ? `;${text};` : ';'),
      });
    } else if (ts.isFunctionDeclaration(statement) && statement.name) {
      names.add(statement.name.text);
      // Declared inside the wrapper (so it is hoisted within the cell) and published as a global.
      edits.push({
        start: statement.end,
        end: statement.end,
        text: `;globalThis[${JSON.stringify(statement.name.text)}] = ${statement.name.text};`,
      });
    } else if (ts.isClassDeclaration(statement) && statement.name) {
      names.add(statement.name.text);
      const text = statement.getText(file);
      edits.push({ start: statement.getStart(file), end: statement.end, text: `${statement.name.text} = ${text};` });
    } else if (ts.isImportDeclaration(statement)) {
      edits.push({
        start: statement.getStart(file),
        end: statement.end,
        text: keepLines(statement.getText(file), importAsAssignment(statement, file, names)),
      });
    } else if (statement === last && ts.isExpressionStatement(statement)) {
      edits.push({
        start: statement.getStart(file),
        end: statement.end,
        text: `return { value: (${statement.expression.getText(file)}) };`,
      });
    }
  }
  let body = js;
  for (const edit of edits.sort((a, b) => b.start - a.start)) body = body.slice(0, edit.start) + edit.text + body.slice(edit.end);
  const declare = names.size ? `var ${[...names].join(', ')}; ` : '';
  // One line of prologue, on the first line of the cell, so line numbers stay put.
  return `${declare}(async () => { ${body}\n})()`;
}

function importAsAssignment(statement: ts.ImportDeclaration, file: ts.SourceFile, names: Set<string>): string {
  const spec = statement.moduleSpecifier.getText(file);
  const clause = statement.importClause;
  if (!clause) return `await __ferryImport(${spec});`;
  if (clause.isTypeOnly) return ';';
  const parts: string[] = [];
  const tmp = `__m${statement.pos}`;
  parts.push(`const ${tmp} = await __ferryImport(${spec});`);
  if (clause.name) {
    names.add(clause.name.text);
    parts.push(`${clause.name.text} = ${tmp}.default ?? ${tmp};`);
  }
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) {
    names.add(bindings.name.text);
    parts.push(`${bindings.name.text} = ${tmp};`);
  } else if (bindings) {
    for (const el of bindings.elements) {
      if (el.isTypeOnly) continue;
      names.add(el.name.text);
      parts.push(`${el.name.text} = ${tmp}[${JSON.stringify((el.propertyName ?? el.name).text)}];`);
    }
  }
  return `{ ${parts.join(' ')} }`;
}

function collectNames(name: ts.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) into.add(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) collectNames(el.name, into);
}

/** Pads a replacement with the newlines of the original, so later statements keep their line. */
function keepLines(original: string, replacement: string): string {
  const lost = original.split('\n').length - replacement.split('\n').length;
  return lost > 0 ? replacement + '\n'.repeat(lost) : replacement;
}
