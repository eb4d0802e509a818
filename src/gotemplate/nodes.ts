// Parse tree node types (mirroring Go's text/template/parse/node.go).

export interface Pos {
  pos: number;
  line: number;
}

export interface ListNode extends Pos { type: 'list'; nodes: Node[] }
export interface TextNode extends Pos { type: 'text'; text: string }
export interface ActionNode extends Pos { type: 'action'; pipe: PipeNode }
export interface CommentNode extends Pos { type: 'comment'; text: string }
export interface PipeNode extends Pos { type: 'pipe'; isAssign: boolean; decl: VariableNode[]; cmds: CommandNode[] }
export interface CommandNode extends Pos { type: 'command'; args: Node[] }
export interface IdentifierNode extends Pos { type: 'identifier'; ident: string }
export interface VariableNode extends Pos { type: 'variable'; ident: string[] }
export interface DotNode extends Pos { type: 'dot' }
export interface NilNode extends Pos { type: 'nil' }
export interface FieldNode extends Pos { type: 'field'; ident: string[] }
export interface ChainNode extends Pos { type: 'chain'; node: Node; field: string[] }
export interface BoolNode extends Pos { type: 'bool'; value: boolean }
export interface NumberNode extends Pos {
  type: 'number';
  text: string;
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  int: bigint;
  uint: bigint;
  float: number;
}
export interface StringNode extends Pos { type: 'string'; quoted: string; text: string }
export interface EndNode extends Pos { type: 'end' }
export interface ElseNode extends Pos { type: 'else' }
export interface BranchNode extends Pos { type: 'if' | 'range' | 'with'; pipe: PipeNode; list: ListNode; elseList: ListNode | undefined }
export interface BreakNode extends Pos { type: 'break' }
export interface ContinueNode extends Pos { type: 'continue' }
export interface TemplateNode extends Pos { type: 'template'; name: string; pipe: PipeNode | undefined }

export type Node =
  | ListNode | TextNode | ActionNode | CommentNode | PipeNode | CommandNode | IdentifierNode | VariableNode
  | DotNode | NilNode | FieldNode | ChainNode | BoolNode | NumberNode | StringNode | EndNode | ElseNode
  | BranchNode | BreakNode | ContinueNode | TemplateNode;

/** The node as Go's String() would print it (used in error messages: template text, never data). */
export function nodeString(n: Node): string {
  switch (n.type) {
    case 'list': return n.nodes.map(nodeString).join('');
    case 'text': return n.text;
    case 'action': return `{{${nodeString(n.pipe)}}}`;
    case 'comment': return `{{${n.text}}}`;
    case 'pipe': {
      let s = '';
      if (n.decl.length > 0) s = `${n.decl.map(nodeString).join(', ')} ${n.isAssign ? '=' : ':='} `;
      return s + n.cmds.map(nodeString).join(' | ');
    }
    case 'command': return n.args.map((a) => (a.type === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(' ');
    case 'identifier': return n.ident;
    case 'variable': return n.ident.join('.');
    case 'dot': return '.';
    case 'nil': return 'nil';
    case 'field': return n.ident.map((i) => `.${i}`).join('');
    case 'chain': {
      const inner = n.node.type === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node);
      return inner + n.field.map((f) => `.${f}`).join('');
    }
    case 'bool': return String(n.value);
    case 'number': return n.text;
    case 'string': return n.quoted;
    case 'end': return '{{end}}';
    case 'else': return '{{else}}';
    case 'if': case 'range': case 'with': {
      let s = `{{${n.type} ${nodeString(n.pipe)}}}${nodeString(n.list)}`;
      if (n.elseList) s += `{{else}}${nodeString(n.elseList)}`;
      return `${s}{{end}}`;
    }
    case 'break': return '{{break}}';
    case 'continue': return '{{continue}}';
    case 'template': return n.pipe ? `{{template ${JSON.stringify(n.name)} ${nodeString(n.pipe)}}}` : `{{template ${JSON.stringify(n.name)}}}`;
  }
}

export function isEmptyTree(n: Node): boolean {
  switch (n.type) {
    case 'list': return n.nodes.every(isEmptyTree);
    case 'text': return n.text.trim() === '';
    case 'comment': return true;
    default: return false;
  }
}
