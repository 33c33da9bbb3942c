"""What every ledger's records and timeline events share (abstract), and the number counters.

A ledger's record model inherits `Record`, its event model inherits `Event` and adds
`record = models.ForeignKey(<record model>, related_name="events", ...)`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Exists, OuterRef, Q

from fazhi.core.tenancy.access import TenantQuerySet
from fazhi.core.tenancy.models import OrgUnit


class RecordQuerySet(TenantQuerySet[Any]):
    pass


class LiveRecordManager(models.Manager[Any]):
    """The default manager: voided records leave every list, query and figure."""

    def get_queryset(self) -> RecordQuerySet:
        return RecordQuerySet(self.model, using=self._db).filter(voided_at__isnull=True)

    def visible_to(self, user: Any) -> RecordQuerySet:
        return self.get_queryset().visible_to(user)  # type: ignore[return-value]


class Record(models.Model):
    unit = models.ForeignKey(
        OrgUnit, verbose_name="受理单位", on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField("编号", max_length=64)
    status = models.CharField("状态", max_length=32)

    # Caches of the clocks' derivation (DESIGN invariant 4): the nearest due date among the
    # running clocks, which clock it is, and whether it rests on an unloaded calendar year.
    due_on = models.DateField("当前期限", null=True, blank=True, db_index=True)
    due_kind = models.CharField("期限类型", max_length=32, blank=True)
    due_provisional = models.BooleanField("期限暂定", default=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    void_reason = models.CharField("作废原因", max_length=500, blank=True)

    objects = LiveRecordManager()
    with_voided = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.number

    @classmethod
    def kit_constraints(cls, prefix: str) -> list[models.BaseConstraint]:
        """Constraints every record table carries; a ledger adds them to its Meta."""
        return [
            models.UniqueConstraint(fields=["unit", "number"], name=f"{prefix}_number_unique"),
            models.CheckConstraint(
                condition=(Q(voided_at__isnull=True) & Q(void_reason=""))
                | (Q(voided_at__isnull=False) & ~Q(void_reason="")),
                name=f"{prefix}_void_reason_with_time",
            ),
        ]


class Event(models.Model):
    """A dated step of a record. `on` is the date the step claims; `at` is when it was entered."""

    kind = models.CharField("事项", max_length=32)
    on = models.DateField("日期")
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    note = models.TextField("说明", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("录入时间", auto_now_add=True)
    undone_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.on} {self.kind}"


class Handoff(models.Model):
    """A record handed from one unit to another (a mediation case escalated 社区 → 街道 → 区).
    The record's `unit` moves; this row is the trail that lets the unit it left still read it
    (ADR 0012). Written by `handoffs.hand_over` in the move's transaction, never edited."""

    model = models.CharField(max_length=100)  # the record model's label_lower
    record_id = models.BigIntegerField()
    number = models.CharField("编号", max_length=64)  # the record's number when handed
    from_unit = models.ForeignKey(
        OrgUnit, verbose_name="移交单位", on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        OrgUnit, verbose_name="接收单位", on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField("移交日期")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        indexes = [
            models.Index(fields=["model", "record_id"]),
            models.Index(fields=["model", "from_unit"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.from_unit_id}→{self.to_unit_id}"


class HandedRecordQuerySet(RecordQuerySet):
    """The door for a ledger whose records move between units: a user sees the records of
    their units and those their units handed on (read-only: every action's lock still checks
    the record's current unit, so only the receiving unit acts on it)."""

    def visible_to(self, user: Any) -> HandedRecordQuerySet:
        from fazhi.core.tenancy.access import access_for

        ids = access_for(user).unit_ids
        if not ids:
            return self.none()
        trail = Handoff.objects.filter(
            model=self.model._meta.label_lower, record_id=OuterRef("pk"), from_unit_id__in=ids
        )
        return self.filter(Q(unit_id__in=ids) | Exists(trail))


class HandedLiveRecordManager(LiveRecordManager):
    """`LiveRecordManager` for records that can be handed to another unit."""

    def get_queryset(self) -> HandedRecordQuerySet:
        return HandedRecordQuerySet(self.model, using=self._db).filter(voided_at__isnull=True)

    def visible_to(self, user: Any) -> HandedRecordQuerySet:
        return self.get_queryset().visible_to(user)


class Child(models.Model):
    """A row a record owns (a hearing, a session, an evidence item). A ledger's child model adds
    `record = models.ForeignKey(<record model>, related_name=..., on_delete=models.CASCADE)`.
    Rows are removed by an action with a reason, never deleted."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    removed_at = models.DateTimeField("删除时间", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["id"]


class NumberCounter(models.Model):
    """The last number drawn per unit and prefix (e.g. 东湖街道, "YSQ-2026-"). Drawn under a row
    lock inside the registering transaction, so parallel registrations never collide."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=64)  # the ledger slug
    prefix = models.CharField(max_length=64)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "scope", "prefix"], name="records_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.prefix}{self.last}"


KIT_EVENT_LABELS = {
    "fields_corrected": "更正登记信息",
    "voided": "作废",
    "undone": "撤销上一步",
    "child_added": "添加",
    "child_removed": "删除",
}


def event_choices(kinds: type[models.TextChoices]) -> list[tuple[str, str]]:
    """A ledger's event kinds plus the kit's own (corrections, voiding, undoing, child rows)."""
    return [*kinds.choices, *KIT_EVENT_LABELS.items()]


class LedgerOption(models.Model):
    """A unit's choice of a ledger's `UnitOption` (see options.py). Only units that chose have
    a row; the others follow their upper units."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    ledger = models.CharField(max_length=40)  # the ledger's slug
    key = models.CharField(max_length=60)
    value = models.BooleanField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "ledger", "key"], name="records_option_unique")
        ]

    def __str__(self) -> str:
        return f"{self.ledger}.{self.key}={self.value}"
