// Reads the ABI's source files as data, with the TypeScript compiler: the const enums of
// assembly/abi.ts (name → member → value) and the methods of exports.ts (name → parameter
// count). Const enums vanish when compiled, so the drift tests read them where they are written.
import { readFileSync } from 'node:fs';
import ts from 'typescript';

function parse(relative: string): ts.SourceFile {
  const path = new URL(relative, import.meta.url);
  return ts.createSourceFile(path.pathname, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
}

/**
 * The value of an enum member's initialiser: a number literal, or a constant expression of
 * them and of earlier members (`-1`, `(1 << (Descriptor.Data >>> 2)) | …`), as the compilers fold it.
 */
function numberOf(expression: ts.Expression | undefined, where: string, known: Map<string, Map<string, number>>): number {
  if (expression === undefined) throw new Error(`${where}: every ABI enum member needs an explicit value`);
  const value = (node: ts.Expression): number => numberOf(node, where, known);
  if (ts.isNumericLiteral(expression)) return Number(expression.text);
  if (ts.isParenthesizedExpression(expression)) return value(expression.expression);
  if (ts.isPrefixUnaryExpression(expression) && expression.operator === ts.SyntaxKind.MinusToken) return -value(expression.operand);
  if (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.expression)) {
    const member = known.get(expression.expression.text)?.get(expression.name.text);
    if (member === undefined) throw new Error(`${where}: ${expression.getText()} is no earlier ABI enum member`);
    return member;
  }
  if (ts.isBinaryExpression(expression)) {
    const left = value(expression.left);
    const right = value(expression.right);
    switch (expression.operatorToken.kind) {
      case ts.SyntaxKind.BarToken: return left | right;
      case ts.SyntaxKind.LessThanLessThanToken: return left << right;
      case ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken: return left >>> right;
      default:
    }
  }
  throw new Error(`${where}: ABI enum values must be number literals or |, <<, >>> of them and of earlier members`);
}

/** Every enum of assembly/abi.ts: its members and their values, in source order. */
export function abiEnums(): Map<string, Map<string, number>> {
  const enums = new Map<string, Map<string, number>>();
  for (const statement of parse('../assembly/abi.ts').statements) {
    if (!ts.isEnumDeclaration(statement)) throw new Error('assembly/abi.ts must hold const enums only');
    const members = new Map<string, number>();
    for (const member of statement.members) {
      const name = member.name.getText();
      members.set(name, numberOf(member.initializer, `${statement.name.text}.${name}`, enums));
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
