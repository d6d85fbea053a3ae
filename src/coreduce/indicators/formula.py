"""Indicator formulas over panel variables, parsed with :mod:`ast` and evaluated without Python ``eval``.

A formula is an arithmetic expression of panel variable names, numbers, ``+ − × ÷``, powers, brackets and the
functions ``log`` (natural), ``log10``, ``exp``, ``sqrt`` and ``abs`` of one argument, e.g. ``rd_expenditure / gdp``
or ``log(co2_ceads / gdp)``. Anything else (other calls, attributes, subscripts, comparisons) is refused, so a
formula in a user's TOML file can never run code.
"""

from __future__ import annotations

import ast
import operator

import numpy as np
import pandas as pd

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_BINARY[ast.Pow] = operator.pow
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}
FUNCTIONS = {"log": np.log, "log10": np.log10, "exp": np.exp, "sqrt": np.sqrt, "abs": np.abs}


class FormulaError(ValueError):
    """A formula that is not plain arithmetic over variable names, or that names an absent variable."""


def parse(formula: str, *, where: str = "formula") -> ast.expr:
    """The checked syntax tree of ``formula`` (``where`` names it in error messages)."""
    try:
        tree = ast.parse(formula.strip(), mode="eval").body
    except SyntaxError as exc:
        raise FormulaError(f"{where}: cannot parse {formula!r}: {exc.msg}") from None
    functions = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if (
                not (isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS)
                or len(node.args) != 1
                or node.keywords
            ):
                raise FormulaError(
                    f"{where}: {formula!r}: only {', '.join(FUNCTIONS)} of a single argument may be called"
                )
            functions.add(id(node.func))
            continue
        if id(node) in functions:
            continue
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
    """Variable names used in ``formula``, each once."""
    tree = parse(formula, where=where)
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    names = [n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in called]
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
        if isinstance(node, ast.Call):
            with np.errstate(divide="ignore", invalid="ignore"):
                return FUNCTIONS[node.func.id](walk(node.args[0]))
        if isinstance(node, ast.UnaryOp):
            return _UNARY[type(node.op)](walk(node.operand))
        return _BINARY[type(node.op)](walk(node.left), walk(node.right))

    result = walk(tree)
    if not isinstance(result, pd.Series):  # a constant formula
        result = pd.Series(result, index=frame.index)
    return result.rename(None)
