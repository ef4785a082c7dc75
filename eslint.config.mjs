// Lint rules of qnn-kd (`npm run lint`, part of `npm test`): ESLint's and typescript-eslint's recommended rules,
// with type information for the promise rules (a forgotten await in the runner or a notebook helper loses errors),
// and Prettier's config last so that no lint rule fights the formatter (`npm run format`, checked by `npm run lint`).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";
import globals from "globals";
import comments from "@eslint-community/eslint-plugin-eslint-comments";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "results/**", "asm/**", "notebooks/**", "coverage/**", "build/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["src/**/*.ts", "test/**/*.ts", "bench/**/*.ts", "runner/**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
    },
  },
  {
    plugins: { "@eslint-community/eslint-comments": comments },
    rules: {
      // `let x;` assigned once after a closure that reads it (the kernel client's timers) stays `let`
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      // every eslint-disable comment says why, after "--"
      "@eslint-community/eslint-comments/require-description": "error",
      // unused names: an error, except the `_`-prefixed ones a signature must still carry
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { globals: globals.node },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  { linterOptions: { reportUnusedDisableDirectives: "error" } },
  prettier,
);
