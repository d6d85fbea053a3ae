"""Indicator formulas over panel variables, parsed with :mod:`ast` and evaluated without Python ``eval``.

A formula is an arithmetic expression of panel variable names, numbers, ``+ − × ÷``, powers and brackets, e.g.
``rd_expenditure / gdp`` or ``(va_tertiary + va_secondary) / gdp * 100``. Anything else (calls, attributes,
subscripts, comparisons) is refused, so a formula in a user's TOML file can never run code.
"""

from __future__ import annotations

import ast
import operator

import pandas as pd

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_BINARY[ast.Pow] = operator.pow
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}


class FormulaError(ValueError):
    """A formula that is not plain arithmetic over variable names, or that names an absent variable."""


def parse(formula: str, *, where: str = "formula") -> ast.expr:
    """The checked syntax tree of ``formula`` (``where`` names it in error messages)."""
    try:
        tree = ast.parse(formula.strip(), mode="eval").body
    except SyntaxError as exc:
        raise FormulaError(f"{where}: cannot parse {formula!r}: {exc.msg}") from None
    for node in ast.walk(tree):
        allowed = (ast.BinOp, ast.UnaryOp, ast.Name, ast.Constant, ast.Load, *_BINARY, *_UNARY)
        if not isinstance(node, allowed):
            raise FormulaError(
                f"{where}: {formula!r} uses {type(node).__name__}; only variable names, numbers, + - * / ** and "
                "brackets are allowed"
            )
        if isinstance(node, ast.Constant) and not isinstance(node.value, int | float):
            raise FormulaError(f"{where}: {formula!r} contains the non-numeric constant {node.value!r}")
    return tree


def variables(formula: str, *, where: str = "formula") -> list[str]:
    """Variable names used in ``formula``, in order of first use."""
    names = [n.id for n in ast.walk(parse(formula, where=where)) if isinstance(n, ast.Name)]
    return list(dict.fromkeys(names))


def evaluate(formula: str, frame: pd.DataFrame, *, where: str = "formula") -> pd.Series:
    """Evaluate ``formula`` on the columns of ``frame`` (division by zero gives ±inf/NaN, reported by callers)."""
    tree = parse(formula, where=where)
    absent = [v for v in variables(formula) if v not in frame.columns]
    if absent:
        raise FormulaError(f"{where}: {formula!r} needs variable(s) {', '.join(absent)} that the data lack")

    def walk(node: ast.expr):
        if isinstance(node, ast.Name):
            return frame[node.id].astype(float)
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.UnaryOp):
            return _UNARY[type(node.op)](walk(node.operand))
        return _BINARY[type(node.op)](walk(node.left), walk(node.right))

    result = walk(tree)
    if not isinstance(result, pd.Series):  # a constant formula
        result = pd.Series(result, index=frame.index)
    return result.rename(None)
