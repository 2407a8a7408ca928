import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * Arrows point down. This check runs in `npm test` (npm run check:boundaries) and fails on any
 * import that breaks a folder rule below, and on any import cycle, naming the files.
 *
 * | folder          | may import (values and types)                                    | type-only as well                  | never                                        |
 * |-----------------|------------------------------------------------------------------|------------------------------------|----------------------------------------------|
 * | bot/domain      | bot/domain                                                       |                                    | any package, any Node built-in, anything else |
 * | bot/store       | domain, store, observability, infra/sharepoint (the list design), packages |                  | services, cards, teams, http                 |
 * | bot/services    | domain, services, store/store.ts (the interface), observability, graph, packages | config.ts (its shape) | cards, teams, http, the store adapters, restify, botbuilder |
 * | bot/cards       | domain, cards, packages                                          | services (their view types)        | store, teams, http, restify, botbuilder      |
 * | bot/teams       | domain, services, cards, store/store.ts and store/wait-budget.ts, observability, config, teams, packages | | http, restify    |
 * | bot/http        | domain, services, store/store.ts, observability, http, packages  | teams/bot-endpoint.ts (the endpoint's types) | cards, any other teams file, botbuilder |
 * | tab/src         | tab/src, bot/domain (its plain label tables and rules), packages | any other bot file                 | a value from bot outside the domain          |
 *
 * bot/main.ts (the one place that wires things), config, observability, demo, graph and scripts
 * are not ruled beyond the cycle check. A cycle counts type-only imports too: a circle of types
 * is still two files that cannot be understood one without the other.
 */
export interface FolderRule {
  readonly folder: string;
  /** Files or folders (relative to the root) this folder's files may import values from. */
  readonly may: readonly string[];
  /** Files or folders it may import types from, besides `may`. */
  readonly mayType?: readonly string[];
  /** Packages it must not import; `*` is every package and Node built-in. */
  readonly packagesRefused: readonly string[];
}

export const FOLDER_RULES: readonly FolderRule[] = [
  { folder: 'bot/domain', may: ['bot/domain'], packagesRefused: ['*'] },
  { folder: 'bot/store', may: ['bot/domain', 'bot/store', 'bot/observability', 'infra/sharepoint'], packagesRefused: ['restify', 'botbuilder'] },
  { folder: 'bot/services', may: ['bot/domain', 'bot/services', 'bot/store/store.ts', 'bot/observability', 'bot/graph'], mayType: ['bot/config.ts'], packagesRefused: ['restify', 'botbuilder'] },
  { folder: 'bot/cards', may: ['bot/domain', 'bot/cards'], mayType: ['bot/services'], packagesRefused: ['restify', 'botbuilder'] },
  // The wait budget is how a caller tells the store how long a person can wait (the invoke deadline).
  { folder: 'bot/teams', may: ['bot/domain', 'bot/services', 'bot/cards', 'bot/store/store.ts', 'bot/store/wait-budget.ts', 'bot/observability', 'bot/config.ts', 'bot/teams'], packagesRefused: ['restify'] },
  { folder: 'bot/http', may: ['bot/domain', 'bot/services', 'bot/store/store.ts', 'bot/observability', 'bot/http'], mayType: ['bot/teams/bot-endpoint.ts'], packagesRefused: ['botbuilder'] },
  { folder: 'tab/src', may: ['tab/src', 'bot/domain'], mayType: ['bot'], packagesRefused: ['restify', 'botbuilder'] },
];

/** The folders whose files are read: every rule's folder, the rest of the server, and the scripts. */
const SCANNED = ['bot', 'tab/src', 'scripts'];

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

export interface ImportEdge {
  readonly from: string;
  readonly specifier: string;
  /** The file imported, relative to the root, for a relative import that resolves; else null (a package). */
  readonly to: string | null;
  readonly typeOnly: boolean;
}

function sourceFiles(root: string): string[] {
  const files: string[] = [];
  for (const top of SCANNED) {
    const dir = join(root, top);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || !SOURCE.test(entry.name) || entry.name.endsWith('.d.ts')) continue;
      const file = join(entry.parentPath, entry.name);
      if (file.split(sep).includes('node_modules') || file.split(sep).includes('dist')) continue;
      files.push(file);
    }
  }
  return files.sort();
}

/** `./x.js` names `./x.ts` in TypeScript's NodeNext style; the tab names `./x` (bundler style). */
function resolveRelative(fromFile: string, specifier: string): string | null {
  const base = resolve(dirname(fromFile), specifier);
  const stem = base.replace(/\.(js|mjs|cjs|jsx)$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Every import, export-from, dynamic import() and require() of a file, and whether it brings in types only. */
export function importsOf(file: string, root: string): ImportEdge[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const edges: ImportEdge[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    const relativeImport = specifier.startsWith('./') || specifier.startsWith('../');
    const target = relativeImport ? resolveRelative(file, specifier) : null;
    edges.push({ from: relative(root, file), specifier, to: target ? relative(root, target) : relativeImport ? relative(root, resolve(dirname(file), specifier)) : null, typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const typeOnly = clause !== undefined && (clause.isTypeOnly || (!clause.name && named !== undefined && named.length > 0 && named.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      add(node.moduleSpecifier.text, node.isTypeOnly || (named !== undefined && named.length > 0 && named.every((e) => e.isTypeOnly)));
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      add(node.moduleReference.expression.text, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteralLike(node.arguments[0]!)) {
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isDynamicImport || isRequire) add((node.arguments[0] as ts.StringLiteralLike).text, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

const within = (path: string, place: string) => path === place || path.startsWith(`${place}/`);
const posix = (path: string) => path.split(sep).join('/');
const packageName = (specifier: string) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);

function ruleFor(file: string): FolderRule | undefined {
  return FOLDER_RULES.find((rule) => within(file, rule.folder));
}

/** The folder rules: one line per import that breaks one, in words. */
export function findRuleViolations(edges: readonly ImportEdge[]): string[] {
  const violations: string[] = [];
  for (const edge of edges) {
    const from = posix(edge.from);
    const rule = ruleFor(from);
    if (!rule) continue;
    if (edge.to === null) {
      const name = packageName(edge.specifier);
      const isBuiltin = builtins.has(edge.specifier) || edge.specifier.startsWith('node:');
      if (rule.packagesRefused.includes('*') || rule.packagesRefused.includes(name)) {
        violations.push(`${from} imports ${isBuiltin ? 'a Node built-in' : 'a package'}: ${edge.specifier} (${rule.folder} must not)`);
      }
      continue;
    }
    const to = posix(edge.to);
    if (rule.may.some((place) => within(to, place))) continue;
    if (edge.typeOnly && (rule.mayType ?? []).some((place) => within(to, place))) continue;
    const allowedTypes = (rule.mayType ?? []).some((place) => within(to, place));
    violations.push(
      allowedTypes
        ? `${from} imports a value from ${to}: ${rule.folder} may import only types from there (use import type)`
        : `${from} imports ${to} (${edge.specifier}): ${rule.folder} may not import from there`,
    );
  }
  return violations;
}

/** Every import cycle, each as the path that closes it (a -> b -> a), found by Tarjan's strongly connected components. */
export function findCycles(edges: readonly ImportEdge[]): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const edge of edges) {
    if (edge.to === null) continue;
    const from = posix(edge.from);
    const to = posix(edge.to);
    if (!graph.has(from)) graph.set(from, new Set());
    if (!graph.has(to)) graph.set(to, new Set());
    graph.get(from)!.add(to);
  }
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const strongConnect = (node: string): void => {
    indices.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        strongConnect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, indices.get(next)!));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)!.has(node)) components.push(component);
    }
  };
  for (const node of [...graph.keys()].sort()) if (!indices.has(node)) strongConnect(node);
  // One readable path per component: from its first file, the shortest way round back to it.
  return components.map((component) => {
    const members = new Set(component);
    const start = [...component].sort()[0]!;
    const previous = new Map<string, string>();
    const queue = [start];
    const seen = new Set([start]);
    while (queue.length) {
      const node = queue.shift()!;
      for (const next of [...(graph.get(node) ?? [])].sort()) {
        if (!members.has(next)) continue;
        if (next === start) {
          const path = [node];
          while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
          return [...path, start];
        }
        if (!seen.has(next)) {
          seen.add(next);
          previous.set(next, node);
          queue.push(next);
        }
      }
    }
    return [...component, component[0]!];
  });
}

export interface BoundaryReport {
  readonly violations: readonly string[];
  readonly cycles: readonly (readonly string[])[];
}

/** Reads every source file under `root` (a checkout, or a fixture laid out like one) and checks it. */
export function checkBoundaries(root: string): BoundaryReport {
  const edges = sourceFiles(root).flatMap((file) => importsOf(file, root));
  return { violations: findRuleViolations(edges), cycles: findCycles(edges) };
}

/**
 * The domain alone, as the check began: only other domain files, no package or Node built-in.
 * Kept for callers that check one folder.
 */
export function findViolations(dir: string): string[] {
  const violations: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !SOURCE.test(entry.name)) continue;
    const file = join(entry.parentPath, entry.name);
    for (const edge of importsOf(file, process.cwd())) {
      if (edge.specifier.startsWith('./')) continue;
      if (edge.specifier.startsWith('../')) {
        violations.push(`${edge.from} imports ${edge.specifier} (outside the domain)`);
        continue;
      }
      const kind = builtins.has(edge.specifier) || edge.specifier.startsWith('node:') ? 'a Node built-in' : 'a package';
      violations.push(`${edge.from} imports ${kind}: ${edge.specifier}`);
    }
  }
  return violations;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = resolve(process.argv[2] ?? process.cwd());
  const { violations, cycles } = checkBoundaries(root);
  if (violations.length || cycles.length) {
    if (violations.length) console.error(`Imports that break a folder rule (see the table in scripts/check-domain-boundary.ts):\n${violations.map((v) => `  - ${v}`).join('\n')}`);
    if (cycles.length) console.error(`Import cycles:\n${cycles.map((c) => `  - ${c.join(' -> ')}`).join('\n')}`);
    process.exit(1);
  }
  console.log(`Boundaries: ${FOLDER_RULES.map((r) => r.folder).join(', ')} keep their folder rules, and no import cycles.`);
}
