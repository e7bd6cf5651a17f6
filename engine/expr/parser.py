"""Recursive-descent parser producing the syntax tree.

Operators are parsed by precedence with an explicit stack (no recursion per precedence level),
so Python recursion only follows brackets and `else` branches, both bounded by MAX_DEPTH.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from .errors import ExpressionEvalError, ExpressionSyntaxError
from .functions import FUNCTIONS, mode_of, places_of
from .lexer import END, KEYWORD, NAME, NUMBER, OP, STRING, Token, tokenize
from .nodes import Arith, BoolOp, Call, Compare, Conditional, ListExpr, Literal, Name, Node, Unary

MAX_DEPTH = 100
_TOO_DEEP = f"expression is nested too deeply (more than {MAX_DEPTH} levels)"
_COMPARE = 4
_BINARY = {"or": 1, "and": 2, "==": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4, "in": 4,
           "+": 5, "-": 5, "*": 6, "/": 6}
_PREFIX = {"not": 3, "-": 7}
_CONSTANTS = {"true": True, "false": False, "null": None}


class ParseResult(NamedTuple):
    """The tree plus the names and functions it uses, in order of first appearance."""

    node: Node
    names: tuple[str, ...]
    functions: tuple[str, ...]


class _Operator(NamedTuple):
    token: Token
    op: str
    precedence: int
    prefix: bool = False


def parse(source: str) -> ParseResult:
    """Parse source into a tree; raise ExpressionSyntaxError on any problem."""
    return _Parser(tokenize(source)).parse()


def _error(where: Token | Node, message: str) -> ExpressionSyntaxError:
    return ExpressionSyntaxError(message, where.line, where.column)


def _shown(token: Token) -> str:
    """A token as quoted in messages (string literals keep their own quotes)."""
    return token.text if token.kind == STRING else f"'{token.text}'"


def _checked(node: Node) -> Node:
    """Return node unless the tree below it is deeper than MAX_DEPTH."""
    if node.height > MAX_DEPTH:
        raise _error(node, _TOO_DEEP)
    return node


class _Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        self.names: dict[str, None] = {}
        self.functions: dict[str, None] = {}

    @property
    def tok(self) -> Token:
        return self.tokens[self.index]

    def _at(self, text: str) -> bool:
        return self.tok.kind in (OP, KEYWORD) and self.tok.text == text

    def _advance(self) -> Token:
        self.index += 1
        return self.tokens[self.index - 1]

    def _enter(self, opener: Token) -> None:
        """Go one nesting level deeper (brackets or an else branch)."""
        if self.depth >= MAX_DEPTH:
            raise _error(opener, _TOO_DEEP)
        self.depth += 1

    def parse(self) -> ParseResult:
        node = self._conditional()
        if self.tok.kind != END:
            raise _error(self.tok, f"unexpected {_shown(self.tok)}")
        return ParseResult(node, tuple(self.names), tuple(self.functions))

    def _conditional(self) -> Node:
        """conditional := operators ['if' operators 'else' conditional]"""
        body = self._operators()
        if not self._at("if"):
            return body
        if_token = self._advance()
        test = self._operators()
        if not self._at("else"):
            raise _error(self.tok, "expected 'else' after 'if' condition")
        self._enter(self._advance())
        orelse = self._conditional()
        self.depth -= 1
        return _checked(Conditional(if_token.line, if_token.column, body, test, orelse))

    def _operators(self) -> Node:
        """Operands joined by prefix and binary operators, grouped by precedence."""
        operands: list[Node] = []
        pending: list[_Operator] = []
        while True:
            while self.tok.kind in (OP, KEYWORD) and self.tok.text in _PREFIX:
                token = self._advance()
                pending.append(_Operator(token, token.text, _PREFIX[token.text], prefix=True))
            operands.append(self._primary())
            operator = self._binary_operator()
            if operator is None:
                break
            self._reduce(operands, pending, operator.precedence)
            pending.append(operator)
        self._reduce(operands, pending, 0)
        return operands[0]

    def _binary_operator(self) -> _Operator | None:
        """Consume and return the binary operator at the current token, if any."""
        token = self.tok
        if token.kind not in (OP, KEYWORD):
            return None
        if token.text == "not" and self.tokens[self.index + 1].text == "in":
            self.index += 2
            return _Operator(token, "not in", _COMPARE)
        if token.text not in _BINARY:
            return None
        self._advance()
        return _Operator(token, token.text, _BINARY[token.text])

    def _reduce(self, operands: list[Node], pending: list[_Operator], precedence: int) -> None:
        """Apply the pending operators that bind more tightly than `precedence`.

        Consecutive binary operators of one precedence become a single chain node, which keeps
        `a + b - c + ...` flat and lets comparisons chain.
        """
        while pending and pending[-1].precedence > precedence:
            top = pending.pop()
            token = top.token
            if top.prefix:
                node: Node = Unary(token.line, token.column, top.op, operands.pop())
            else:
                ops = [top]
                while pending and pending[-1].precedence == top.precedence and not pending[-1].prefix:
                    ops.append(pending.pop())
                ops.reverse()
                chain = tuple(operands[-len(ops) - 1:])
                del operands[-len(ops) - 1:]
                node = _chain(ops, chain)
            operands.append(_checked(node))

    def _primary(self) -> Node:
        """primary := number | string | true | false | null | name | call | '(' expr ')' | list"""
        token = self.tok
        if token.kind == NUMBER:
            self._advance()
            return Literal(token.line, token.column, Decimal(token.text))
        if token.kind == STRING:
            self._advance()
            return Literal(token.line, token.column, token.value)
        if token.kind == KEYWORD and token.text in _CONSTANTS:
            self._advance()
            return Literal(token.line, token.column, _CONSTANTS[token.text])
        if token.kind == NAME:
            self._advance()
            if self._at("("):
                return self._call(token)
            self.names.setdefault(token.text)
            return Name(token.line, token.column, token.text)
        if self._at("("):
            self._enter(self._advance())
            node = self._conditional()
            self.depth -= 1
            if not self._at(")"):
                raise _error(self.tok, f"expected ')' to close '(' at line {token.line}, column {token.column}")
            self._advance()
            return node
        if self._at("["):
            return _checked(ListExpr(token.line, token.column, self._sequence("]")))
        if self.index == 0:
            raise _error(token, "empty expression" if token.kind == END else f"unexpected {_shown(token)}")
        raise _error(token, f"expected an expression after '{self.tokens[self.index - 1].text}'")

    def _sequence(self, closer: str) -> tuple[Node, ...]:
        """Comma-separated expressions after the current opening bracket, up to `closer`."""
        opener = self._advance()
        self._enter(opener)
        items: list[Node] = []
        while not self._at(closer):
            items.append(self._conditional())
            if self._at(","):
                self._advance()
            elif not self._at(closer):
                raise _error(self.tok, f"expected ',' or '{closer}' to close '{opener.text}' "
                                       f"at line {opener.line}, column {opener.column}")
        self._advance()
        self.depth -= 1
        return tuple(items)

    def _call(self, name: Token) -> Node:
        """A call of a whitelisted function, with its arity checked here."""
        function = FUNCTIONS.get(name.text)
        if function is None:
            raise _error(name, f"unknown function '{name.text}'; allowed: {', '.join(sorted(FUNCTIONS))}")
        self.functions.setdefault(name.text)
        args = self._sequence(")")
        if len(args) < function.min_args or (function.max_args is not None and len(args) > function.max_args):
            raise _error(name, f"{name.text}() takes {function.takes}, got {len(args)}")
        if name.text == "round":
            for arg, check in zip(args[1:], (places_of, mode_of)):
                if isinstance(arg, Literal):
                    try:
                        check(arg.value)
                    except ExpressionEvalError as exc:
                        raise _error(arg, exc.message) from None
        return _checked(Call(name.line, name.column, name.text, args))


def _chain(ops: list[_Operator], operands: tuple[Node, ...]) -> Node:
    """The node for operands joined by operators of one precedence, placed at the first operator."""
    first, names = ops[0], tuple(op.op for op in ops)
    if first.precedence == _COMPARE:
        return Compare(first.token.line, first.token.column, operands, names)
    if first.op in ("and", "or"):
        return BoolOp(first.token.line, first.token.column, first.op, operands)
    return Arith(first.token.line, first.token.column, operands, names)
