"""Evaluate a metric formula over measure values with Decimal arithmetic.

Formulas are arithmetic over names (``gmv_amount / orders_count``), parsed with ``ast`` and
evaluated by walking the tree: no ``eval``. A missing value or a division by zero gives ``None``
(no value), because a ratio with no denominator is unknown, not zero.
"""

from __future__ import annotations

import ast
from decimal import Decimal
from functools import cache

Value = Decimal | None


@cache
def parse(formula: str) -> ast.Expression:
    return ast.parse(formula, mode="eval")


def evaluate(formula: str, values: dict[str, Value]) -> Value:
    return _eval(parse(formula).body, values)


def _eval(node: ast.AST, values: dict[str, Value]) -> Value:
    if isinstance(node, ast.Name):
        return values.get(node.id)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return Decimal(str(node.value))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _eval(node.operand, values)
        return None if inner is None else -inner
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, values), _eval(node.right, values)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Div):
            return None if right == 0 else left / right
    raise ValueError(f"unsupported formula element: {ast.dump(node)}")
