// Reads the ABI's source files as data, with the TypeScript compiler: the const enums of
// assembly/abi.ts (name → member → value) and the methods of exports.ts (name → parameter
// count). Const enums vanish when compiled, so the drift tests read them where they are written.
import { readFileSync } from 'node:fs';
import ts from 'typescript';

function parse(relative: string): ts.SourceFile {
  const path = new URL(relative, import.meta.url);
  return ts.createSourceFile(path.pathname, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
}

/** The value of an enum member's initialiser: a number literal, or its negation. */
function numberOf(expression: ts.Expression | undefined, where: string): number {
  if (expression === undefined) throw new Error(`${where}: every ABI enum member needs an explicit value`);
  if (ts.isNumericLiteral(expression)) return Number(expression.text);
  if (ts.isPrefixUnaryExpression(expression) && expression.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(expression.operand)) {
    return -Number(expression.operand.text);
  }
  throw new Error(`${where}: ABI enum values must be number literals`);
}

/** Every enum of assembly/abi.ts: its members and their values, in source order. */
export function abiEnums(): Map<string, Map<string, number>> {
  const enums = new Map<string, Map<string, number>>();
  for (const statement of parse('../assembly/abi.ts').statements) {
    if (!ts.isEnumDeclaration(statement)) throw new Error('assembly/abi.ts must hold const enums only');
    const members = new Map<string, number>();
    for (const member of statement.members) {
      const name = member.name.getText();
      members.set(name, numberOf(member.initializer, `${statement.name.text}.${name}`));
    }
    enums.set(statement.name.text, members);
  }
  return enums;
}

/** The members of MemstoreExports in exports.ts: methods with their parameter counts, properties as -1. */
export function declaredExports(): Map<string, number> {
  const members = new Map<string, number>();
  for (const statement of parse('../exports.ts').statements) {
    if (!ts.isInterfaceDeclaration(statement) || statement.name.text !== 'MemstoreExports') continue;
    for (const member of statement.members) {
      const name = member.name!.getText();
      members.set(name, ts.isMethodSignature(member) ? member.parameters.length : -1);
    }
  }
  return members;
}
