"""Querysets whose SQL is compiled once and then only run.

Django compiles a queryset's SQL every time it is evaluated. For a case with its organization,
area, category and lead department that costs about 0.8 ms, four times what PostgreSQL takes to
answer; a page that runs the same shape of query on every request pays it every time. Django has
no such cache and no maintained library adds one for model instances (raw() cannot follow
select_related), so this one keeps the compiled statement and rebuilds instances the way
Django's own ModelIterable does.

Only for querysets from a model's default manager whose SQL parameters are exactly the values the
builder is given (filters by equality on those values, no constants): `PreparedQuery` checks the
parameters when it compiles. What it returns is checked against the queryset's own result in
tests/core/test_prepared.py, so that a Django upgrade that changes ModelIterable shows there.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

M = TypeVar("M", bound=Model)

# Values no real row has, so that the compiled parameters can be told apart from constants.
_PROBE = (-738_291_004, -738_291_005, -738_291_006)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    model: type[Model]
    init_list: list[str]
    fields_start: int
    fields_end: int
    populators: list
    annotations: list[tuple[str, int]]
    converters: list   # [(column, (converter functions, expression))], as Django's compiler keeps them


class PreparedQuery(Generic[M]):
    """`PreparedQuery(lambda pk: Case.objects.select_related("organization").filter(pk=pk))`,
    then `.rows(pk)` returns the instances as the queryset would, without compiling again."""

    def __init__(self, build: Callable[..., QuerySet[M]]):
        self._build = build
        self._compiled: dict[tuple[str, int], _Compiled] = {}

    def rows(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> list[M]:
        key = (using, len(values))
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(using, len(values))
        connection = connections[using]   # this thread's: the compiler's may be another's
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, values)
            fetched = cursor.fetchall()
        objects = []
        for row in fetched:
            if compiled.converters:
                row = _converted(row, compiled.converters, connection)
            obj = compiled.model.from_db(using, compiled.init_list, row[compiled.fields_start:compiled.fields_end])
            for populator in compiled.populators:
                populator.populate(row, obj)
            for name, position in compiled.annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects

    def _compile(self, using: str, arity: int) -> _Compiled:
        probe = _PROBE[:arity]
        queryset = self._build(*probe)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        if tuple(params) != probe:
            raise ValueError(f"a prepared query's parameters must be its arguments, got {params!r}")
        select, klass_info = compiler.select, compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return _Compiled(
            sql=sql, model=klass_info["model"],
            init_list=[column[0].target.attname for column in select[start:end]],
            fields_start=start, fields_end=end,
            populators=get_related_populators(klass_info, select, using),
            annotations=list((compiler.annotation_col_map or {}).items()),
            converters=list(compiler.get_converters([column[0] for column in select]).items()))


def _converted(row: tuple, converters: list, connection) -> list:
    """SQLCompiler.apply_converters for one row."""
    values = list(row)
    for position, (functions, expression) in converters:
        value = values[position]
        for function in functions:
            value = function(value, expression, connection)
        values[position] = value
    return values
