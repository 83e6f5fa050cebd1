"""Model instances from hand-written SELECTs, made as the ORM makes them.

A few reads run on every request of a deadline day (the signed-in user, the leaf being saved),
and Django spent longer building their queries than the database ran them. Those reads are
written once per process from the models' fields; ``Columns`` lists a model's columns under an
alias and turns its slice of a row into an instance: the values pass through the converters
the ORM would apply (SQLite stores dates and decimals as text), and the instance is what
``Model.from_db`` would make of them.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init


class Columns:
    """The concrete columns of ``model`` under ``alias``, from position ``start`` of a row."""

    def __init__(self, model, alias: str, start: int = 0):
        quote = connection.ops.quote_name
        fields = model._meta.concrete_fields
        self.model = model
        self.sql = [f"{alias}.{quote(f.column)}" for f in fields]
        self.names = [f.attname for f in fields]
        self.start, self.end = start, start + len(fields)
        self.converters = []
        for index, field in enumerate(fields):
            column = field.get_col(model._meta.db_table)
            convert = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
            if convert:
                self.converters.append((index, column, tuple(convert)))
        # A model with no ``__init__`` of its own and nothing listening to its creation.
        self.plain = not (
            model.__init__ is not Model.__init__
            or pre_init.has_listeners(model)
            or post_init.has_listeners(model)
        )

    def instance(self, row, db: str = DEFAULT_DB_ALIAS):
        """Return this model's instance made of its slice of ``row``, read from ``db``."""
        values = list(row[self.start : self.end])
        if self.converters:
            read_from = connections[db]
            for index, column, convert in self.converters:
                if values[index] is not None:
                    for converter in convert:
                        values[index] = converter(values[index], column, read_from)
        model = self.model
        if not self.plain:
            return model.from_db(db, self.names, values)
        # What ``from_db`` makes, without ``__init__``'s walk over the fields (a fifth of the
        # time of these reads): the fields' values and a state.
        instance = model.__new__(model)
        instance.__dict__.update(zip(self.names, values, strict=True))
        instance._state = state = ModelState()
        state.adding, state.db = False, db
        return instance


def columns_of(*models_and_aliases) -> list[Columns]:
    """Return the ``Columns`` of each (model, alias) pair, one after the other in a row."""
    layout, start = [], 0
    for model, alias in models_and_aliases:
        columns = Columns(model, alias, start)
        layout.append(columns)
        start = columns.end
    return layout


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)
