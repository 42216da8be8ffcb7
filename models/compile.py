"""The built Pyomo model as matrices, and the blocks of it that no constraint links.

HiGHS is handed whole matrices (one ``passModel`` per block) instead of being
fed row by row through Pyomo's persistent interface, which cost more than
HiGHS's own solve on large cases (`benchmarks/run.py`).  Each constraint body
is compiled by Pyomo's own linear walker (``LinearRepnVisitor``, the engine of
its standard-form compiler) into a row-wise sparse matrix of numpy arrays.
The standard-form compiler itself would do the same, but it needs scipy, and
once Pyomo is loaded, importing scipy also imports scipy.stats, scipy.integrate
and scipy.spatial: 2-3 s of start-up per run that a solve never uses.

The compiled form keeps each column's Pyomo variable and each row's
constraint, so a solution, a dual or an IIS maps back to the model's names
and, through them, to workbook cells.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property

import highspy
import numpy as np
import pyomo.core as pyo
from pyomo.core.base.enums import SortComponents
from pyomo.repn.linear import LinearRepnVisitor
from pyomo.repn.util import VarRecorder

INF = highspy.kHighsInf


class InfeasibleRow(Exception):
    """A constraint whose variables are all fixed, and whose fixed values break it."""


@dataclass
class CompiledModel:
    """min c·x + offset  s.t.  row_lower <= A x <= row_upper,  col_lower <= x <= col_upper,
    x_j integer where ``integer[j]``.  A is row-wise: row i holds ``index[start[i]:start[i+1]]``
    and ``value[...]``.  ``columns[j]`` is the Pyomo variable of column j and ``rows[i]`` the
    constraint of row i; variables fixed in the model are folded into the offset and the row
    bounds."""

    start: np.ndarray
    index: np.ndarray
    value: np.ndarray
    c: np.ndarray
    offset: float
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integer: np.ndarray
    columns: list
    rows: list

    @cached_property
    def entry_row(self) -> np.ndarray:
        """The row of each entry of ``index`` and ``value``."""
        return np.repeat(np.arange(len(self.rows)), np.diff(self.start))

    def signature(self, block: Block, *extra) -> bytes:
        """A digest of everything HiGHS would be given for ``block`` (and ``extra`` options): equal
        digests mean an equal problem, so its proven answer stands.  It is taken in the block's own
        numbering, so one mineral's block of the whole case and the same mineral's case alone
        (``PlanningData.restricted_to``) share it: a study solves it once."""
        h = hashlib.sha256(repr(extra).encode())
        chosen = np.zeros(len(self.rows), dtype=bool)
        chosen[block.rows] = True
        picks = chosen[self.entry_row]
        local = np.full(len(self.columns), -1, dtype=np.int64)
        local[block.cols] = np.arange(len(block.cols))
        lengths = self.start[block.rows + 1] - self.start[block.rows]
        for a in (lengths, local[self.index[picks]], self.value[picks], self.c[block.cols],
                  self.col_lower[block.cols], self.col_upper[block.cols], self.integer[block.cols],
                  self.row_lower[block.rows], self.row_upper[block.rows]):
            h.update(np.ascontiguousarray(a).tobytes())
        return h.digest()

    def held(self, fixed: np.ndarray, x: np.ndarray, keep_rows: np.ndarray) -> CompiledModel:
        """This model with only the rows ``keep_rows`` and the columns ``fixed`` held at ``x``: what
        ``compile_model`` gives for the model with those variables fixed and the other rows deactivated,
        without walking the constraints again (1,000 sampled disruptions: seconds).  Its columns are
        numbered as ``compile_model`` numbers them: by first appearance in the rows kept, then those
        only the objective holds."""
        kept = np.flatnonzero(keep_rows)
        index, value = self.index[keep_rows[self.entry_row]], self.value[keep_rows[self.entry_row]]
        first = np.full(len(self.columns), len(index))
        np.minimum.at(first, index, np.arange(len(index)))
        live = (first < len(index)) | fixed | (self.c != 0)  # a column in no row kept and not costed goes
        order = np.flatnonzero(live)[np.argsort(first[live], kind="stable")]
        number = np.full(len(self.columns), -1, dtype=np.int64)
        number[order] = np.arange(len(order))
        start = np.concatenate(([0], np.cumsum(np.diff(self.start)[kept])))
        return _folded(start, number[index], value, self.c[order], self.offset, self.row_lower[kept],
                       self.row_upper[kept], [self.columns[j] for j in order], [self.rows[i] for i in kept],
                       fixed[order], x[order], self.col_lower[order], self.col_upper[order], self.integer[order])

    def lp(self, rows: np.ndarray, cols: np.ndarray, relax: bool = False,
           fix_integers_at: np.ndarray | None = None) -> highspy.HighsLp:
        """The block on ``rows`` x ``cols`` as a HiGHS model (no row of it may reach outside
        ``cols``).  ``relax`` drops integrality; ``fix_integers_at`` (values of ``cols``) also
        pins the integer columns there."""
        local = np.full(len(self.columns), -1, dtype=np.int64)
        local[cols] = np.arange(len(cols))
        lengths = self.start[rows + 1] - self.start[rows]
        chosen = np.zeros(len(self.rows), dtype=bool)
        chosen[rows] = True
        picks = np.flatnonzero(chosen[self.entry_row])  # in row order: ``rows`` is ascending
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = len(cols), len(rows)
        lp.col_cost_ = self.c[cols]
        lower, upper = self.col_lower[cols].copy(), self.col_upper[cols].copy()
        integer = self.integer[cols]
        if fix_integers_at is not None:
            lower[integer] = upper[integer] = np.round(fix_integers_at[integer])
        lp.col_lower_, lp.col_upper_ = lower, upper
        lp.row_lower_, lp.row_upper_ = self.row_lower[rows], self.row_upper[rows]
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.concatenate(([0], np.cumsum(lengths))).astype(np.int32)
        lp.a_matrix_.index_ = local[self.index[picks]].astype(np.int32)
        lp.a_matrix_.value_ = self.value[picks]
        if integer.any() and not relax and fix_integers_at is None:
            lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                               for i in integer]
        return lp


def compile_model(model: pyo.ConcreteModel) -> CompiledModel:
    """The model's active constraints and its active objective as matrices.

    Raises InfeasibleRow when a constraint over fixed variables only cannot hold."""
    var_map: dict[int, object] = {}
    visitor = LinearRepnVisitor({}, var_recorder=VarRecorder(var_map, SortComponents.deterministic))
    col_of: dict[int, int] = {}

    def column(var_id: int) -> int:
        j = col_of.get(var_id)
        if j is None:
            j = col_of[var_id] = len(col_of)
        return j

    starts, indices, values, lowers, uppers, rows = [0], [], [], [], [], []
    for con in model.component_data_objects(pyo.Constraint, active=True, sort=SortComponents.deterministic):
        lb, body, ub = con.to_bounded_expression(evaluate_bounds=True)
        repn = visitor.walk_expression(body)
        terms = [(column(v), coef) for v, coef in repn.linear.items() if coef]
        constant = pyo.value(repn.constant)
        if not terms:  # only constants: fixed variables, or terms that cancelled
            if (lb is not None and constant < lb - 1e-9) or (ub is not None and constant > ub + 1e-9):
                raise InfeasibleRow(con.name)
            continue
        indices += [j for j, _ in terms]
        values += [coef for _, coef in terms]
        starts.append(len(indices))
        lowers.append(-INF if lb is None else lb - constant)
        uppers.append(INF if ub is None else ub - constant)
        rows.append(con)
    (objective,) = model.component_data_objects(pyo.Objective, active=True)
    repn = visitor.walk_expression(objective.expr)
    cost = {column(v): coef for v, coef in repn.linear.items()}
    offset = pyo.value(repn.constant)

    columns = [var_map[v] for v in col_of]
    n = len(columns)
    c = np.zeros(n)
    for j, coef in cost.items():
        c[j] = coef
    index, value = np.array(indices, dtype=np.int64), np.array(values, dtype=float)
    start = np.array(starts, dtype=np.int64)
    row_lower, row_upper = np.array(lowers, dtype=float), np.array(uppers, dtype=float)
    fixed = np.array([v.fixed for v in columns], dtype=bool)
    x = np.array([v.value if v.fixed else 0.0 for v in columns])
    col_lower = np.array([-INF if v.lb is None else v.lb for v in columns], dtype=float)
    col_upper = np.array([INF if v.ub is None else v.ub for v in columns], dtype=float)
    integer = np.array([v.is_integer() for v in columns], dtype=bool)
    return _folded(start, index, value, c, offset, row_lower, row_upper, columns, rows, fixed, x, col_lower,
                   col_upper, integer)


def _folded(start, index, value, c, offset, row_lower, row_upper, columns, rows, fixed, x, col_lower, col_upper,
            integer) -> CompiledModel:
    """The model of these matrices with the columns ``fixed`` held at ``x``: numbers folded into the row
    bounds and the offset, not columns.  A row left with none of its columns is dropped (InfeasibleRow
    if its bounds fail).  The columns' bounds and integrality come with them: a held model takes its
    model's, not Pyomo's again (a tenth of a second every 20 wait-and-see problems)."""
    if fixed.any():  # a variable the model fixed (a forced contract) is a number, not a column
        x = np.where(fixed, x, 0.0)
        shift = np.add.reduceat(value * x[index], start[:-1]) if len(index) else np.zeros(0)
        shift[start[:-1] == start[1:]] = 0.0  # reduceat repeats the next entry for an empty row
        row_lower, row_upper, offset = row_lower - shift, row_upper - shift, offset + float(c @ x)
        keep = np.flatnonzero(~fixed)
        renumber = np.full(len(columns), -1, dtype=np.int64)
        renumber[keep] = np.arange(len(keep))
        live = ~fixed[index]
        counts = np.add.reduceat(live.astype(np.int64), start[:-1]) if len(index) else np.zeros(0, dtype=np.int64)
        counts[start[:-1] == start[1:]] = 0
        start = np.concatenate(([0], np.cumsum(counts)))
        index, value = renumber[index[live]], value[live]
        columns, c = [columns[j] for j in keep], c[keep]
        col_lower, col_upper, integer = col_lower[keep], col_upper[keep], integer[keep]
        empty = start[:-1] == start[1:]
        if empty.any():  # rows left with fixed variables only
            bad = empty & ((row_lower > 1e-9) | (row_upper < -1e-9))
            if bad.any():
                raise InfeasibleRow(rows[int(np.flatnonzero(bad)[0])].name)
            kept = np.flatnonzero(~empty)
            lengths = (start[1:] - start[:-1])[kept]
            start = np.concatenate(([0], np.cumsum(lengths)))
            row_lower, row_upper = row_lower[kept], row_upper[kept]
            rows = [rows[i] for i in kept]
    return CompiledModel(
        start=start, index=index, value=value, c=c, offset=float(offset), row_lower=row_lower,
        row_upper=row_upper, col_lower=col_lower, col_upper=col_upper, integer=integer, columns=columns, rows=rows)


def row_terms(cons: list, where: dict[int, int]) -> list[tuple[dict[int, float], float, float]]:
    """Each constraint as ``compile_model`` compiles it, with the parameters as they stand now: its
    coefficient on each column (``where``: a variable's id -> its column) and its row bounds, a variable
    held fixed folded into them.  A row compiled again after a parameter moved."""
    var_map: dict[int, object] = {}
    visitor = LinearRepnVisitor({}, var_recorder=VarRecorder(var_map, SortComponents.deterministic))
    out = []
    for con in cons:
        lb, body, ub = con.to_bounded_expression(evaluate_bounds=True)
        repn = visitor.walk_expression(body)
        constant = pyo.value(repn.constant)
        terms: dict[int, float] = {}
        for var_id, coef in repn.linear.items():
            j = where.get(var_id)
            if j is None:  # a variable held fixed is a number
                var = var_map[var_id]
                if not var.fixed:
                    raise ValueError(f"{var.name} is neither a column of the compiled model nor fixed")
                constant += coef * var.value
            elif coef:
                terms[j] = terms.get(j, 0.0) + coef
        out.append((terms, -INF if lb is None else lb - constant, INF if ub is None else ub - constant))
    return out


def linear_costs(expr, columns: list) -> tuple[np.ndarray, float]:
    """A linear expression's coefficient on each of ``columns`` (the compiled model's, which hold every
    variable not fixed) and its constant, fixed variables' terms included: a cost vector of a compiled
    model, walked without its rows."""
    repn = LinearRepnVisitor({}, var_recorder=VarRecorder({}, SortComponents.deterministic)).walk_expression(expr)
    where = {id(v): j for j, v in enumerate(columns)}
    c = np.zeros(len(columns))
    for var_id, coef in repn.linear.items():
        c[where[var_id]] += coef
    return c, float(pyo.value(repn.constant))


@dataclass(frozen=True)
class Block:
    """Rows and columns that no constraint links to the rest of the model."""

    groups: tuple[str, ...]  # e.g. the minerals in it
    rows: np.ndarray
    cols: np.ndarray


def find_blocks(form: CompiledModel, groups: list[str]) -> list[Block]:
    """The blocks of ``form``: its columns grouped so that a row's columns share a block and
    the columns of each group (``groups[j]``: column j's, e.g. its mineral) lie in one block.
    Each mineral is a block unless a constraint links minerals (a budget, a risk measure over
    the total): then the linked minerals form one block, possibly the whole model."""
    number = {g: k for k, g in enumerate(dict.fromkeys(groups))}
    group = np.array([number[g] for g in groups], dtype=np.int64)
    label = group.copy()  # start: one label per group
    big = np.iinfo(np.int64).max
    while True:  # give the columns of each row, and of each group, their smallest label
        row_min = np.full(len(form.rows), big)
        np.minimum.at(row_min, form.entry_row, label[form.index])
        new = label.copy()
        np.minimum.at(new, form.index, row_min[form.entry_row])
        group_min = np.full(len(number), big)
        np.minimum.at(group_min, group, new)
        new = group_min[group]
        if np.array_equal(new, label):
            break
        label = new
    row_label = np.full(len(form.rows), big)
    np.minimum.at(row_label, form.entry_row, label[form.index])
    return [Block(tuple(dict.fromkeys(g for g, lab in zip(groups, label) if lab == root)),
                  np.flatnonzero(row_label == root), np.flatnonzero(label == root))
            for root in dict.fromkeys(label.tolist())]
