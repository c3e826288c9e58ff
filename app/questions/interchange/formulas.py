"""Moodle's calculated-question formulas ("{a} * sqrt({b})"), evaluated safely on one set of values.

Only numbers, the variables given, arithmetic and Moodle's function list are allowed: the formula is parsed with
`ast` and walked, never passed to eval."""

from __future__ import annotations

import ast
import math
import operator
import re
from decimal import Decimal

_FUNCTIONS = {
    "abs": abs, "acos": math.acos, "acosh": math.acosh, "asin": math.asin, "asinh": math.asinh, "atan": math.atan,
    "atan2": math.atan2, "atanh": math.atanh, "ceil": math.ceil, "cos": math.cos, "cosh": math.cosh,
    "deg2rad": math.radians, "exp": math.exp, "expm1": math.expm1, "floor": math.floor, "fmod": math.fmod,
    "log": math.log, "log10": math.log10, "log1p": math.log1p, "max": max, "min": min, "pi": lambda: math.pi,
    "pow": pow, "rad2deg": math.degrees, "round": round, "sin": math.sin, "sinh": math.sinh, "sqrt": math.sqrt,
    "tan": math.tan, "tanh": math.tanh,
}  # fmt: skip
_OPERATORS = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.Mod: operator.mod, ast.Pow: operator.pow, ast.USub: operator.neg, ast.UAdd: operator.pos,
}  # fmt: skip
_VARIABLE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class FormulaError(ValueError):
    pass


def substitute(text: str, values: dict[str, Decimal]) -> str:
    """`text` with each {name} of `values` written as its value (unknown names left as they are)."""
    return _VARIABLE.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text)


def evaluate(formula: str, values: dict[str, Decimal]) -> Decimal:
    """The value of a Moodle formula with its {variables} set; raises FormulaError for anything else."""
    if len(formula) > 500:
        raise FormulaError("the formula is too long")
    source = _VARIABLE.sub(lambda m: f"v_{m.group(1)}", formula.replace("^", "**"))
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        raise FormulaError(f"{formula!r} is not a formula") from error
    names = {f"v_{name}": float(value) for name, value in values.items()}
    try:
        result = _walk(tree.body, names)
    except (ArithmeticError, ValueError, TypeError, OverflowError) as error:
        raise FormulaError(f"{formula!r} cannot be worked out ({error})") from error
    if not math.isfinite(result):
        raise FormulaError(f"{formula!r} has no finite value")
    return Decimal(repr(round(result, 10))).normalize()


def _walk(node: ast.AST, names: dict[str, float]) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        left, right = _walk(node.left, names), _walk(node.right, names)
        if isinstance(node.op, ast.Pow) and abs(right) > 1000:
            raise ValueError("exponent too large")
        return float(_OPERATORS[type(node.op)](left, right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPERATORS:
        return float(_OPERATORS[type(node.op)](_walk(node.operand, names)))
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _FUNCTIONS
        and not node.keywords
        and len(node.args) <= 3
    ):
        return float(_FUNCTIONS[node.func.id](*(_walk(arg, names) for arg in node.args)))
    raise ValueError("only numbers, variables, arithmetic and Moodle's functions are allowed")
