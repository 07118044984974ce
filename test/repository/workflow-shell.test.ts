import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';

// workflows/ticket.ts is the Temporal shell of a ticket: it wires Updates, timers and activities to the pure lifecycle
// of domain/ticket/, where every rule is tested in plain Jest. A rule written back into the shell could only be
// tested on the time-skipping server, and changing it would change a workflow's code instead of a pure module. What a
// rule looks like cannot be checked in general; these five signs of one can, from the file's syntax alone, and none
// of them is needed to wire a workflow:
//
// 1. Imports: values come from @temporalio/workflow, domain/ (the decisions), messages/ (names, Updates, the failure
//    mapping) or workflows/ itself; anything else (activities' types for proxyActivities) is imported as a type.
// 2. No string literal is compared or switched on: a branch on a status, an event type, a channel or a refusal code
//    is a rule (`ticket.status === 'closed'`).
// 3. No refusal of its own: no code-shaped literal (`QUOTE_PENDING`), and a throw only rethrows what asRefusal mapped.
// 4. No arithmetic, on money, minutes or revisions alike: the one subtraction allowed turns an instant the domain
//    chose into a timer's duration (`wakeAt - Date.now()`), and ++ counts the shell's own plan requests.
// 5. The shell reads nothing of a ticket or a replan but the ticket's revision, the counter of committed changes it
//    records, and composes no fact (an object with a `type`): what a ticket is, owes or says, domain/ticket/ answers.
//
// Each rule is shown to catch the shape it names on a small sample below, so that a rule that stopped matching
// anything would fail here rather than pass in silence.

const SHELL = resolve(__dirname, '../../workflows/ticket.ts');

/** Types whose fields are the domain's to read (rule 5): a value declared with one, and its copies, are tracked. */
const OPAQUE_TYPES = new Set(['TicketState', 'Replan']);
const READABLE_FIELDS = new Set(['revision']);
const VALUE_SOURCES = [/^@temporalio\/workflow$/, /^\.\.\/domain\//, /^\.\.\/messages\//, /^\.\/[^/]+$/];
const REFUSAL_CODE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
const ARITHMETIC = new Set([
  ts.SyntaxKind.PlusToken,
  ts.SyntaxKind.MinusToken,
  ts.SyntaxKind.AsteriskToken,
  ts.SyntaxKind.SlashToken,
  ts.SyntaxKind.PercentToken,
  ts.SyntaxKind.AsteriskAsteriskToken,
  ts.SyntaxKind.PlusEqualsToken,
  ts.SyntaxKind.MinusEqualsToken,
  ts.SyntaxKind.AsteriskEqualsToken,
  ts.SyntaxKind.SlashEqualsToken,
  ts.SyntaxKind.PercentEqualsToken,
  ts.SyntaxKind.AsteriskAsteriskEqualsToken,
]);
const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

const isStringLiteral = (node: ts.Node): boolean =>
  ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);
const isDateNow = (node: ts.Node): boolean =>
  ts.isCallExpression(node) && node.expression.getText() === 'Date.now' && node.arguments.length === 0;

/** The expression under parentheses and non-null assertions (`(replanWanted!)` is `replanWanted`). */
function bare(node: ts.Expression): ts.Expression {
  let current = node;
  while (ts.isParenthesizedExpression(current) || ts.isNonNullExpression(current) || ts.isAsExpression(current))
    current = current.expression;
  return current;
}

function namesOpaqueType(type: ts.TypeNode | undefined): boolean {
  if (!type) return false;
  if (ts.isTypeReferenceNode(type)) return OPAQUE_TYPES.has(type.typeName.getText());
  if (ts.isUnionTypeNode(type)) return type.types.some(namesOpaqueType);
  return false;
}

/** The variables and parameters holding a ticket or a replan: declared with its type, or copied from one that is. */
function opaqueNames(file: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    const visit = (node: ts.Node): void => {
      if (
        (ts.isVariableDeclaration(node) || ts.isParameter(node)) &&
        ts.isIdentifier(node.name) &&
        !names.has(node.name.text)
      ) {
        const copied =
          ts.isVariableDeclaration(node) &&
          node.initializer !== undefined &&
          ts.isIdentifier(bare(node.initializer)) &&
          names.has(bare(node.initializer).getText());
        if (namesOpaqueType(node.type) || copied) {
          names.add(node.name.text);
          grew = true;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return names;
}

function checkImport(node: ts.ImportDeclaration, report: (node: ts.Node, rule: string) => void): void {
  const source = (node.moduleSpecifier as ts.StringLiteral).text;
  const clause = node.importClause;
  const typesOnly =
    clause !== undefined &&
    (clause.isTypeOnly ||
      (clause.name === undefined &&
        clause.namedBindings !== undefined &&
        ts.isNamedImports(clause.namedBindings) &&
        clause.namedBindings.elements.every((element) => element.isTypeOnly)));
  if (!typesOnly && !VALUE_SOURCES.some((allowed) => allowed.test(source)))
    report(node, `1 values imported from ${source}, outside domain/, messages/ and @temporalio/workflow`);
}

/** Reading a tracked value: only `.revision` of it, and never taken apart, spread or indexed. */
function checkOpaqueUse(node: ts.Identifier, report: (node: ts.Node, rule: string) => void): void {
  let use: ts.Node = node;
  while (
    ts.isParenthesizedExpression(use.parent) ||
    ts.isNonNullExpression(use.parent) ||
    ts.isAsExpression(use.parent)
  )
    use = use.parent;
  const { parent } = use;
  if (
    (ts.isPropertyAccessExpression(parent) && parent.expression === use && !READABLE_FIELDS.has(parent.name.text)) ||
    (ts.isElementAccessExpression(parent) && parent.expression === use)
  ) {
    report(parent, '5 a field of the ticket or replan read in the shell');
  }
  if (ts.isVariableDeclaration(parent) && parent.initializer === use && !ts.isIdentifier(parent.name))
    report(parent, '5 the ticket or replan taken apart in the shell');
  if (ts.isSpreadAssignment(parent) || ts.isSpreadElement(parent))
    report(parent, '5 the ticket or replan spread into a value made in the shell');
}

/** What in the shell's source looks like a business rule, one line per finding (rule number, what, where). */
function shellViolations(source: string): string[] {
  const file = ts.createSourceFile('ticket.ts', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const opaque = opaqueNames(file);
  const found: string[] = [];
  const report = (node: ts.Node, rule: string) =>
    found.push(
      `${rule} (line ${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText().split('\n')[0]})`,
    );
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) return checkImport(node, report);
    if (ts.isBinaryExpression(node)) {
      const operator = node.operatorToken.kind;
      if (EQUALITY.has(operator) && (isStringLiteral(node.left) || isStringLiteral(node.right)))
        report(node, '2 a string literal compared');
      const timerDuration = operator === ts.SyntaxKind.MinusToken && isDateNow(bare(node.right));
      if (ARITHMETIC.has(operator) && !timerDuration) report(node, '4 arithmetic in the shell');
    }
    if (ts.isCaseClause(node) && isStringLiteral(node.expression)) report(node, '2 a string literal switched on');
    if (
      (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
      [ts.SyntaxKind.PlusPlusToken, ts.SyntaxKind.MinusMinusToken].includes(node.operator) &&
      !ts.isIdentifier(node.operand)
    ) {
      report(node, '4 arithmetic in the shell');
    }
    if (ts.isPropertyAccessExpression(node) && node.expression.getText() === 'Math')
      report(node, '4 arithmetic in the shell');
    if (isStringLiteral(node) && REFUSAL_CODE.test((node as ts.StringLiteral).text))
      report(node, '3 a refusal code in the shell');
    if (ts.isThrowStatement(node)) {
      const thrown = node.expression;
      if (!ts.isCallExpression(thrown) || thrown.expression.getText() !== 'asRefusal')
        report(node, '3 a refusal of its own');
    }
    if (
      ts.isObjectLiteralExpression(node) &&
      node.properties.some(
        ({ name }) => name !== undefined && (ts.isIdentifier(name) || ts.isStringLiteral(name)) && name.text === 'type',
      )
    ) {
      report(node, '5 a fact composed in the shell');
    }
    if (
      ts.isIdentifier(node) &&
      opaque.has(node.text) &&
      !ts.isVariableDeclaration(node.parent) &&
      !ts.isParameter(node.parent)
    )
      checkOpaqueUse(node, report);
    if (
      ts.isIdentifier(node) &&
      opaque.has(node.text) &&
      ts.isVariableDeclaration(node.parent) &&
      node.parent.initializer === node
    )
      checkOpaqueUse(node, report);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

test('workflows/ticket.ts holds no business rule: no sign of one is found in it', () => {
  const source = readFileSync(SHELL, 'utf8');
  expect(source).toContain('export async function ticketWorkflow');
  expect(shellViolations(source)).toEqual([]);
});

describe('each sign of a rule is caught', () => {
  const rulesOf = (source: string) => shellViolations(source).map((finding) => finding.split(' ')[0]);
  const inShell = (body: string) =>
    `import type { TicketState } from '../messages/ticket';\nimport type { Replan } from '../domain/ticket/decide';\nexport async function shell(ticket: TicketState, replan: Replan) {\n${body}\n}`;

  it('values imported from outside domain/, messages/ and the workflow API; a type from anywhere is fine', () => {
    expect(rulesOf("import { billTicket } from '../activities/billing';")).toEqual(['1']);
    expect(rulesOf("import { DateTime } from 'luxon';")).toEqual(['1']);
    expect(
      rulesOf(
        "import type { TicketActivities } from '../activities/ticket-activities';\nimport { type X } from '../activities/x';",
      ),
    ).toEqual([]);
    expect(
      rulesOf(
        "import { decide } from '../domain/ticket/decide';\nimport { condition } from '@temporalio/workflow';\nimport { sync } from './search-attributes';",
      ),
    ).toEqual([]);
  });

  it('a status, event or channel compared or switched on', () => {
    expect(rulesOf(inShell("if (ticket.status === 'closed') return;"))).toEqual(['2', '5']);
    expect(rulesOf(inShell("const kind = 'x' as string;\nswitch (kind) { case 'incident': break; }"))).toEqual(['2']);
  });

  it('a refusal code, or an error thrown but through asRefusal', () => {
    expect(rulesOf(inShell("throw asRefusal(new Error('QUOTE_PENDING'));"))).toEqual(['3']);
    expect(rulesOf(inShell("throw new Error('no');"))).toEqual(['3']);
    expect(rulesOf(inShell('throw asRefusal(decision.refusal);'))).toEqual([]);
  });

  it('arithmetic on money, minutes or revisions; a timer duration from an instant and a counter are not', () => {
    expect(rulesOf(inShell('const cents = minutes * rate;'))).toEqual(['4']);
    expect(rulesOf(inShell('const next = { revision: ticket.revision + 1 };'))).toEqual(['4']);
    expect(rulesOf(inShell('total += 1;\nconst at = Math.min(a, b);\nstate.count++;'))).toEqual(['4', '4', '4']);
    expect(rulesOf(inShell('await sleep(wakeAt - Date.now());\nconst asked = ++plansAsked;'))).toEqual([]);
  });

  it("a ticket's or replan's field read, the ticket taken apart, or a fact composed; its revision and passing it on are fine", () => {
    expect(rulesOf(inShell('const due = ticket.billing === undefined;'))).toEqual(['5']);
    expect(rulesOf(inShell('const copy = ticket;\nconst late = copy.clocks;'))).toEqual(['5']);
    expect(rulesOf(inShell('const { title, assignee } = ticket;'))).toEqual(['5']);
    expect(rulesOf(inShell('const both = Boolean(replan.rearm);'))).toEqual(['5']);
    expect(rulesOf(inShell('commit([{ type: "billed", at: Date.now() }]);'))).toEqual(['5']);
    expect(
      rulesOf(inShell('const wanted: Replan | undefined = replan;\nconst from = wanted!.autoValidationFrom;')),
    ).toEqual(['5']);
    expect(
      rulesOf(inShell('const seen = ticket.revision;\nawait notify(thresholdNotice(ticket, due));\nreturn ticket;')),
    ).toEqual([]);
  });
});
