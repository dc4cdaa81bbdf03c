// ESLint rule `lab/layering`: a source file may import only from its own layer or a lower one, and
// only the front-ends may import electron. The layer table is the rule's option (eslint.config.js
// holds it and says what each layer is); this file only applies it.
//
// Options: { root, layers: [{ name, paths: [prefix…] }…] lowest first, islands: [{ name, paths,
// mayImport: [layer or island name…] }], electron: [layer or island name…], allow: [{ from, to }] }
// (`allow`: known exceptions; `from` is a file, `to` a path without extension; either may be a
// folder ending in `/`).
// A path is matched by its longest prefix (relative to `root`, POSIX separators), so one file can sit
// in another layer than its folder. Relative imports are resolved against the importing file;
// package imports are checked only for `electron`. Type-only imports count: a layer must not even
// know the shape of a higher one.
import { dirname, relative, resolve } from 'node:path';

/** The layer or island a project path belongs to (longest prefix wins); null when none. */
function classify(rel, opts) {
  let best = null;
  const consider = (entry, kind, rank) => {
    for (const p of entry.paths) {
      const hit = p.endsWith('/') ? rel.startsWith(p) : rel === p || rel.replace(/\.(ts|tsx|js|mjs)$/, '') === p.replace(/\.(ts|tsx|js|mjs)$/, '');
      if (hit && (!best || p.length > best.prefix.length)) best = { name: entry.name, kind, rank, prefix: p };
    }
  };
  opts.layers.forEach((l, i) => consider(l, 'layer', i));
  for (const island of opts.islands ?? []) consider(island, 'island', -1);
  return best;
}

/** A relative specifier resolved to a project path (`src/main/sip/endpoint`), or null for packages. */
function resolveSpec(fromAbs, spec, root) {
  if (!spec.startsWith('.')) return null;
  return relative(root, resolve(dirname(fromAbs), spec)).split('\\').join('/');
}

/** The target's class, trying the specifier as a file and as a folder (`../profiles` → `src/main/profiles/`). */
function classifyTarget(rel, opts) {
  return classify(rel, opts) ?? classify(`${rel}/`, opts);
}

export const layeringRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep the layers of src/: lower layers never import higher ones; only front-ends import electron' },
    schema: [{ type: 'object', additionalProperties: true }],
    messages: {
      upward: '{{from}} ({{fromLayer}}) must not import {{to}} ({{toLayer}}): a lower layer never imports a higher one (layers in eslint.config.js)',
      island: '{{from}} ({{fromLayer}}) may import only {{allowed}}, not {{to}} ({{toLayer}})',
      intoIsland: '{{from}} ({{fromLayer}}) must not import {{to}} ({{toLayer}}): the main process never imports the renderer or the preload; they meet only in the contract (src/shared)',
      electron: '{{from}} ({{fromLayer}}) must not import electron: only the Electron entry, the hosts and the preload do (the core runs under Node)',
      unplaced: '{{from}} is in no layer: add its folder to the layer table in eslint.config.js',
    },
  },
  create(context) {
    const opts = context.options[0];
    const root = opts.root ?? context.cwd;
    const fromAbs = context.filename;
    const from = relative(root, fromAbs).split('\\').join('/');
    if (!opts.scope.some((s) => from.startsWith(s))) return {};
    const fromClass = classify(from, opts);
    const allowed = (to) =>
      (opts.allow ?? []).some((a) => (a.from.endsWith('/') ? from.startsWith(a.from) : a.from === from) && (a.to.endsWith('/') ? to.startsWith(a.to) : a.to.replace(/\.tsx?$/, '') === to));
    let reportedUnplaced = false;

    const check = (node, spec) => {
      if (typeof spec !== 'string') return;
      if (!fromClass) {
        if (!reportedUnplaced) context.report({ node, messageId: 'unplaced', data: { from } });
        reportedUnplaced = true;
        return;
      }
      if (spec === 'electron' || spec.startsWith('electron/')) {
        if (!(opts.electron ?? []).includes(fromClass.name)) context.report({ node, messageId: 'electron', data: { from, fromLayer: fromClass.name } });
        return;
      }
      const to = resolveSpec(fromAbs, spec, root);
      if (to === null || allowed(to)) return;
      const toClass = classifyTarget(to, opts);
      if (!toClass || toClass.name === fromClass.name) return;
      const data = { from, to, fromLayer: fromClass.name, toLayer: toClass.name };
      if (fromClass.kind === 'island') {
        const may = (opts.islands ?? []).find((i) => i.name === fromClass.name)?.mayImport ?? [];
        if (!may.includes(toClass.name)) context.report({ node, messageId: 'island', data: { ...data, allowed: may.join(', ') || 'itself' } });
        return;
      }
      if (toClass.kind === 'island') {
        context.report({ node, messageId: 'intoIsland', data });
        return;
      }
      if (toClass.rank > fromClass.rank) context.report({ node, messageId: 'upward', data });
    };
    const literal = (n) => (n && n.type === 'Literal' ? n.value : n && n.type === 'TSLiteralType' ? n.literal?.value : undefined);
    return {
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ImportExpression: (n) => check(n, literal(n.source)),
      TSImportType: (n) => check(n, literal(n.argument) ?? literal(n.source)),
    };
  },
};
