import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import ts from 'typescript';

/**
 * The domain is plain TypeScript: it may import only other domain files. This check runs
 * in `npm test` and fails on any import of a package (botbuilder, restify, Graph, SQLite,
 * zod...) or a Node built-in from bot/domain.
 */
const domainDir = join(process.cwd(), 'bot', 'domain');
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

export function findViolations(dir: string): string[] {
  const violations: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(ts|tsx|js|mjs|cjs)$/.test(entry.name)) continue;
    const file = join(entry.parentPath, entry.name);
    const source = readFileSync(file, 'utf8');
    // TypeScript's own scanner: finds import, export-from, dynamic import() and require().
    for (const imported of ts.preProcessFile(source, true, true).importedFiles) {
      const specifier = imported.fileName;
      if (specifier.startsWith('./') || specifier.startsWith('../')) {
        if (specifier.startsWith('../')) violations.push(`${relative(process.cwd(), file)} imports ${specifier} (outside the domain)`);
        continue;
      }
      const kind = builtins.has(specifier) || specifier.startsWith('node:') ? 'a Node built-in' : 'a package';
      violations.push(`${relative(process.cwd(), file)} imports ${kind}: ${specifier}`);
    }
  }
  return violations;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const violations = findViolations(process.argv[2] ?? domainDir);
  if (violations.length) {
    console.error(`bot/domain must not import frameworks or Node built-ins:\n${violations.map((v) => `  - ${v}`).join('\n')}`);
    process.exit(1);
  }
  console.log('Domain boundary: bot/domain imports nothing outside itself.');
}
