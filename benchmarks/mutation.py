"""Mutation check of the core: break one thing at a time and see whether the fast tests notice.

``python benchmarks/mutation.py [--sample N] [--seed S] [--only PATH ...] [--list] [--report FILE]``

A small AST mutator (no third-party tool). For every function in the target modules
(``scoring/`` except the benchmark and golden-file scripts, ``indicators/loader.py`` and
``ui/state.py``) it makes one *mutant* per site:

* comparison flipped (``<`` -> ``>=``, ``==`` -> ``!=``, ``in`` -> ``not in``, ...);
* arithmetic swapped (``+`` <-> ``-``, ``*`` <-> ``/``, ``&`` <-> ``|``, augmented ``+=`` <-> ``-=``);
* ``and`` <-> ``or``; ``not x`` -> ``x``; ``-x`` -> ``x``;
* a numeric constant changed (``n`` -> ``n + 1``; ``0.5`` -> ``1.5``) and ``True`` <-> ``False``;
* ``return value`` -> ``return None``;
* a statement dropped (an assignment or an expression statement becomes ``pass``).

Annotations, decorators and docstrings are never mutated. Each mutant is written into a
temporary copy of the tree and the module's fast tests (non-browser, listed in ``TARGETS``)
run there with ``pytest -x``; a mutant is *caught* when they fail (or time out). With
``--sample N`` a random, per-file stratified sample of N mutants is run (the 2-core machine
cannot run every mutant in a working session); the figure printed says so.

Not part of ``make test``: it takes minutes. The README's "Mutation score" paragraph records
the last run.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CORE = ["tests/test_scoring_methods.py", "tests/test_scoring_golden.py", "tests/test_scoring_properties.py"]
#: module -> the fast test files that exercise it (most specific first, so -x stops early)
TARGETS: dict[str, list[str]] = {
    "scoring/aggregate.py": _CORE,
    "scoring/normalise.py": _CORE,
    "scoring/impute.py": ["tests/test_impute.py", "tests/test_scoring_methods.py"],
    "scoring/backtest.py": ["tests/test_impute.py"],
    "scoring/model.py": [*_CORE, "tests/test_scoring_scenarios.py"],
    "scoring/spec.py": ["tests/test_scoring_methods.py", "tests/test_cli.py"],
    "scoring/weights.py": [*_CORE, "tests/test_cli.py"],
    "scoring/export.py": ["tests/test_scoring_methods.py", "tests/test_cli.py"],
    "scoring/cli.py": ["tests/test_cli.py"],
    "scoring/scenarios.py": ["tests/test_scoring_scenarios.py"],
    "scoring/sensitivity.py": ["tests/test_scoring_robustness.py"],
    "scoring/reachable.py": ["tests/test_scoring_robustness.py"],
    "scoring/effective_weights.py": ["tests/test_scoring_robustness.py"],
    "indicators/loader.py": ["tests/test_indicators_data.py", "tests/test_uploads.py"],
    "ui/state.py": ["tests/test_ui_state.py"],
}

_CMP_FLIP = {
    ast.Lt: ast.GtE,
    ast.LtE: ast.Gt,
    ast.Gt: ast.LtE,
    ast.GtE: ast.Lt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
_BIN_SWAP = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mult,
    ast.Mod: ast.FloorDiv,
    ast.Pow: ast.Mult,
    ast.BitAnd: ast.BitOr,
    ast.BitOr: ast.BitAnd,
}
_SKIP_FIELDS = {"annotation", "returns", "decorator_list", "type_comment", "type_params"}


@dataclass
class Mutant:
    path: str
    site: int  # index of the node in the file's deterministic walk
    kind: str
    line: int
    description: str
    status: str = ""  # caught | survived | timeout | error
    seconds: float = 0.0


def _is_docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)


def _walk(node: ast.AST):
    """Nodes under ``node`` in a fixed order, skipping annotations and decorators."""
    yield node
    for name, value in ast.iter_fields(node):
        if name in _SKIP_FIELDS:
            continue
        children = value if isinstance(value, list) else [value]
        for child in children:
            if isinstance(child, ast.AST):
                yield from _walk(child)


def _function_nodes(tree: ast.Module) -> list[ast.AST]:
    """Every node inside a function body (each once, in walk order)."""
    seen: dict[int, ast.AST] = {}
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for stmt in fn.body:
            for n in _walk(stmt):
                seen.setdefault(id(n), n)
    return list(seen.values())


def _candidates(node: ast.AST) -> list[tuple[str, str]]:
    """(kind, description) of the mutations possible at ``node``."""
    out = []
    if isinstance(node, ast.Compare):
        for k, op in enumerate(node.ops):
            if type(op) in _CMP_FLIP:
                out.append((f"cmp{k}", f"{type(op).__name__} -> {_CMP_FLIP[type(op)].__name__}"))
    elif isinstance(node, ast.BinOp | ast.AugAssign) and type(node.op) in _BIN_SWAP:
        out.append(("binop", f"{type(node.op).__name__} -> {_BIN_SWAP[type(node.op)].__name__}"))
    elif isinstance(node, ast.BoolOp):
        out.append(("boolop", "and <-> or"))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.USub):
        out.append(("unary", f"drop {type(node.op).__name__}"))
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        out.append(("const", f"{node.value!r} -> {node.value + 1!r}"))
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        out.append(("const", f"{node.value} -> {not node.value}"))
    elif isinstance(node, ast.Return) and node.value is not None and not _is_none(node.value):
        out.append(("return", "return None"))
    if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Expr) and not _is_docstring(node):
        out.append(("drop", f"drop {type(node).__name__}"))
    return out


def _is_none(v: ast.AST) -> bool:
    return isinstance(v, ast.Constant) and v.value is None


def enumerate_mutants(path: str, root: Path = ROOT) -> list[Mutant]:
    tree = ast.parse((root / path).read_text(encoding="utf-8"))
    out = []
    for i, node in enumerate(_function_nodes(tree)):
        for kind, desc in _candidates(node):
            out.append(Mutant(path, i, kind, getattr(node, "lineno", 0), desc))
    return out


class _Replace(ast.NodeTransformer):
    """Replace one node (found by identity) with another."""

    def __init__(self, target: ast.AST, replacement: ast.AST):
        self.target, self.replacement = target, replacement

    def visit(self, node):
        if node is self.target:
            return self.replacement
        return super().visit(node)


def mutate_source(source: str, m: Mutant) -> str:
    tree = ast.parse(source)
    node = _function_nodes(tree)[m.site]
    if m.kind.startswith("cmp"):
        k = int(m.kind[3:])
        node.ops[k] = _CMP_FLIP[type(node.ops[k])]()
    elif m.kind == "binop":
        node.op = _BIN_SWAP[type(node.op)]()
    elif m.kind == "boolop":
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif m.kind == "unary":  # `not x` -> `x`, `-x` -> `x`
        tree = _Replace(node, node.operand).visit(tree)
    elif m.kind == "const":
        node.value = (not node.value) if isinstance(node.value, bool) else node.value + 1
    elif m.kind == "return":
        node.value = ast.Constant(None)
    elif m.kind == "drop":
        tree = _Replace(node, ast.Pass()).visit(tree)
    ast.fix_missing_locations(tree)
    return ast.unparse(tree)


def _copy_tree(dst: Path) -> None:
    ignore = shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", "*.png", "artifacts"
    )
    shutil.copytree(ROOT, dst, ignore=ignore, dirs_exist_ok=True)


def _run_tests(tree: Path, tests: list[str], timeout: float) -> tuple[str, float]:
    env = os.environ | {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(tree)}
    env.pop("CI", None)
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-m", "not browser", *tests]
    t0 = time.perf_counter()
    for attempt in range(3):
        try:
            r = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True, timeout=timeout)
            break
        except subprocess.TimeoutExpired:
            return "timeout", time.perf_counter() - t0
        except OSError:  # the shared virtualenv being swapped under us: wait and try again
            if attempt == 2:
                raise
            time.sleep(20)
    dt = time.perf_counter() - t0
    if r.returncode == 0:
        return "passed", dt
    if r.returncode in (1, 2, 3):
        return "failed", dt
    return f"rc{r.returncode}", dt


def _choose(every: list[Mutant], files: list[str], sample: int, seed: int) -> list[Mutant]:
    if not sample or sample >= len(every):
        return every
    rng = random.Random(seed)
    chosen = []
    for f in files:
        mine = [m for m in every if m.path == f]
        k = max(1, round(sample * len(mine) / len(every)))
        chosen += rng.sample(mine, min(k, len(mine)))
    return chosen


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python benchmarks/mutation.py", description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=0, help="run a stratified random sample of N mutants (0 = all)")
    ap.add_argument("--seed", type=int, default=16, help="sampling seed (default 16)")
    ap.add_argument("--only", nargs="*", help="target files (default: every file in TARGETS)")
    ap.add_argument("--list", action="store_true", help="list the mutants and exit")
    ap.add_argument("--report", type=Path, help="write every mutant and its outcome as JSON here")
    ap.add_argument(
        "--rerun", type=Path, help="run again only the survivors of an earlier --report (same sample, new tests)"
    )
    args = ap.parse_args(argv)

    files = args.only or list(TARGETS)
    with tempfile.TemporaryDirectory(prefix="mutation-") as tmp:
        tree = Path(tmp)
        _copy_tree(tree)  # a snapshot: edits to the working tree during the run do not leak in
        every = [m for f in files for m in enumerate_mutants(f, tree)]
        if args.rerun:
            old = json.loads(args.rerun.read_text())
            want = {(m["path"], m["site"], m["kind"]) for m in old if m["status"] == "survived"}
            chosen = [m for m in every if (m.path, m.site, m.kind) in want]
            files = [f for f in files if any(m.path == f for m in chosen)]
            print(f"re-running {len(chosen)} survivors of {args.rerun} ({len(old)} mutants in that run)")
        else:
            chosen = _choose(every, files, args.sample, args.seed)
        print(f"{len(every)} mutants in {len(files)} files; running {len(chosen)}", flush=True)
        if args.list:
            for m in chosen:
                print(f"{m.path}:{m.line}  {m.kind:<6} {m.description}")
            return 0
        baseline: dict[tuple[str, ...], float] = {}
        for f in files:
            tests = tuple(TARGETS[f])
            if tests in baseline:
                continue
            status, dt = _run_tests(tree, list(tests), timeout=900)
            if status != "passed":
                print(f"baseline: the tests of {f} fail on the unmutated tree ({status}); fix that first")
                return 2
            baseline[tests] = dt
        print("baseline " + ", ".join(f"{len(t)} files {dt:.0f}s" for t, dt in baseline.items()), flush=True)
        t_start = time.perf_counter()
        for n, m in enumerate(chosen, 1):
            original = (tree / m.path).read_text(encoding="utf-8")
            try:
                mutated = mutate_source(original, m)
                compile(mutated, m.path, "exec")
            except (SyntaxError, ValueError, TypeError, IndexError) as e:
                m.status = f"error: {e}"
                continue
            (tree / m.path).write_text(mutated, encoding="utf-8")
            try:
                limit = max(60.0, 3 * baseline[tuple(TARGETS[m.path])])
                status, m.seconds = _run_tests(tree, TARGETS[m.path], timeout=limit)
            finally:
                (tree / m.path).write_text(original, encoding="utf-8")
            m.status = {"failed": "caught", "passed": "survived", "timeout": "timeout"}.get(status, "caught")
            mark = "SURVIVED" if m.status == "survived" else m.status
            print(f"[{n}/{len(chosen)}] {mark:<8} {m.path}:{m.line} {m.kind} {m.description}", flush=True)

    ran = [m for m in chosen if not m.status.startswith("error")]
    caught = [m for m in ran if m.status in ("caught", "timeout")]
    print(f"\nper file (caught / run), {time.perf_counter() - t_start:.0f} s:")
    for f in files:
        r = [m for m in ran if m.path == f]
        c = [m for m in r if m in caught]
        if r:
            print(f"  {f:<32} {len(c):4d} / {len(r):<4d} {100 * len(c) / len(r):5.1f}%")
    survivors = [m for m in ran if m.status == "survived"]
    if survivors:
        print("\nsurvivors:")
        for m in survivors:
            print(f"  {m.path}:{m.line} {m.kind} {m.description}")
    if args.rerun:
        how = f"survivors of {args.rerun.name} re-run"
    elif chosen is not every:
        how = f"a stratified sample of {len(chosen)} of {len(every)} mutants, seed {args.seed}"
    else:
        how = "all mutants"
    score = 100 * len(caught) / len(ran) if ran else float("nan")
    print(f"\nMutation score: {len(caught)}/{len(ran)} caught = {score:.1f}% ({how})")
    if args.report:
        args.report.write_text(json.dumps([asdict(m) for m in chosen], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
