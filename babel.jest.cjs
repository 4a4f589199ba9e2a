/**
 * Babel config used by jest only, for ESM-only packages in node_modules (see jest.config.cjs).
 * `stripCreateRequire` removes `const require = createRequire(import.meta.url)` from those
 * packages: once compiled to CommonJS, `require` already exists and the line makes
 * @nestjs/typeorm fail with "Cannot access '_require' before initialization".
 */
function stripCreateRequire() {
  return {
    visitor: {
      VariableDeclaration(path) {
        const [decl] = path.node.declarations;
        if (
          path.node.declarations.length === 1 &&
          decl.id.type === 'Identifier' &&
          decl.id.name === 'require' &&
          decl.init &&
          decl.init.type === 'CallExpression' &&
          decl.init.callee.type === 'Identifier' &&
          decl.init.callee.name === 'createRequire'
        ) {
          path.remove();
        }
      },
    },
  };
}

module.exports = {
  babelrc: false,
  plugins: [
    stripCreateRequire,
    'babel-plugin-transform-import-meta',
    '@babel/plugin-transform-dynamic-import',
    '@babel/plugin-transform-modules-commonjs',
  ],
};
