"""Querysets whose SQL is compiled once and then only run.

Django compiles a queryset's SQL every time it is evaluated. For a case with its organization,
area, category and lead department that costs about 0.8 ms, four times what PostgreSQL takes to
answer; a page that runs the same shape of query on every request pays it every time. Django has
no such cache and no maintained library adds one for model instances (raw() cannot follow
select_related), so this one keeps the compiled statement and rebuilds instances the way
Django's own ModelIterable does.

`compile_statement` keeps a queryset's SQL with the places of its arguments (each must be one
parameter); `accounts.scoping.visible_row` runs the scoped one-row lookups with it. `PreparedQuery`
builds model instances on top, only for querysets from a model's default manager whose SQL
parameters are exactly the values the builder is given (no constants): it checks this when it
compiles. What it returns is checked against the queryset's own result in
tests/core/test_prepared.py, so that a Django upgrade that changes ModelIterable shows there.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)

# Values no real row has, so that the compiled parameters can be told apart from constants.
_PROBES = (-738_291_004, -738_291_005, -738_291_006)


@dataclass(frozen=True)
class CompiledStatement:
    """A queryset's SQL and parameters, compiled once; `fetch` runs it with other values where
    the builder's arguments were."""

    sql: str
    params: tuple
    slots: tuple[int, ...]   # the position in `params` of each argument
    converters: list         # [(column, (converter functions, expression))], as Django keeps them
    using: str

    def fetch(self, values: Sequence[Any]) -> list:
        params = list(self.params)
        for slot, value in zip(self.slots, values, strict=True):
            params[slot] = value
        connection = connections[self.using]   # this thread's: the compiling one may be another's
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = [_converted(row, self.converters, connection) for row in rows]
        return rows


def compile_statement(build: Callable[..., QuerySet], arity: int) -> tuple[CompiledStatement, SQLCompiler]:
    """`build(*arguments)`'s SQL, compiled with probe values to find where the arguments go."""
    probes = _PROBES[:arity]
    queryset = build(*probes)
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    params = tuple(params)
    if any(params.count(probe) != 1 for probe in probes):
        raise ValueError(f"each argument must be one parameter of the query, got {params!r}")
    columns = [column[0] for column in compiler.select[:compiler.col_count]]
    statement = CompiledStatement(sql=sql, params=params, slots=tuple(params.index(p) for p in probes),
                                  converters=list(compiler.get_converters(columns).items()),
                                  using=queryset.db)
    return statement, compiler


@dataclass(frozen=True)
class _Compiled:
    statement: CompiledStatement
    model: type[Model]
    init_list: list[str]
    fields_start: int
    fields_end: int
    populators: list
    annotations: list[tuple[str, int]]


class PreparedQuery(Generic[M]):
    """`PreparedQuery(lambda pk: Case.objects.select_related("organization").filter(pk=pk))`,
    then `.rows(pk)` returns the instances as the queryset would, without compiling again."""

    def __init__(self, build: Callable[..., QuerySet[M]]):
        self._build = build
        self._compiled: dict[int, _Compiled] = {}

    def rows(self, *values: Any) -> list[M]:
        compiled = self._compiled.get(len(values))
        if compiled is None:
            compiled = self._compiled[len(values)] = self._compile(len(values))
        objects = []
        for row in compiled.statement.fetch(values):
            obj = compiled.model.from_db(compiled.statement.using, compiled.init_list,
                                         row[compiled.fields_start:compiled.fields_end])
            for populator in compiled.populators:
                populator.populate(row, obj)
            for name, position in compiled.annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects

    def _compile(self, arity: int) -> _Compiled:
        statement, compiler = compile_statement(self._build, arity)
        if len(statement.params) != arity:
            raise ValueError(f"a prepared query's parameters must be its arguments, got {statement.params!r}")
        select, klass_info = compiler.select, compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return _Compiled(
            statement=statement, model=klass_info["model"],
            init_list=[column[0].target.attname for column in select[start:end]],
            fields_start=start, fields_end=end,
            populators=get_related_populators(klass_info, select, statement.using),
            annotations=list((compiler.annotation_col_map or {}).items()))


def _converted(row: tuple, converters: list, connection) -> list:
    """SQLCompiler.apply_converters for one row."""
    values = list(row)
    for position, (functions, expression) in converters:
        value = values[position]
        for function in functions:
            value = function(value, expression, connection)
        values[position] = value
    return values
