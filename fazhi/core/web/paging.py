"""Pages over big tables: a paginator that counts at most `cap` rows."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet


class CappedPaginator(Paginator):
    """Counts at most `cap` rows (`SELECT count(*) FROM (… LIMIT cap + 1)`), so a page costs
    the same on a city's year of records as on a street's week: an exact count of millions of
    rows on every page load would cost more than the page. Pages reach the first `cap` rows."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, cap: int) -> None:
        super().__init__(object_list, per_page)
        self.rows = object_list
        self.cap = cap

    @cached_property
    def found(self) -> int:
        # The same SQL as `rows.order_by()[: cap + 1].count()`, without the ORM's rewriting of a
        # sliced query into an aggregate over a subquery (a third of the count's cost on a page).
        rows = self.rows.order_by().values_list("pk")[: self.cap + 1]
        try:
            sql, params = rows.query.sql_with_params()
        except EmptyResultSet:  # .none(), or a filter that can match nothing
            return 0
        with connections[rows.db].cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({sql}) capped", params)
            return int(cursor.fetchone()[0])

    @cached_property
    def count(self) -> int:
        return min(self.found, self.cap)

    @property
    def capped(self) -> bool:
        return self.found > self.cap
