"""Fees by payment date (section 六), notices' service (送达), fee relief (减免).

Applications that already hold a fee get its payment date from their latest 缴费 step, or — kept
before payment dates were, e.g. imported with only 收费金额 — from their reply date, which is the
year the old rule reported them in.
"""

from typing import Any

from django.db import migrations, models


def fill_fee_paid_on(apps: Any, schema_editor: Any) -> None:
    Application = apps.get_model("disclosure", "Application")
    Event = apps.get_model("disclosure", "ApplicationEvent")
    paid = Application._base_manager.filter(fee_amount__gt=0, fee_paid_on__isnull=True)
    for app in paid.iterator():
        step = (
            Event.objects.filter(record_id=app.pk, kind="fee_paid", undone_at__isnull=True)
            .order_by("-on", "-id")
            .first()
        )
        day = step.on if step is not None else app.replied_on
        if day is not None:
            Application._base_manager.filter(pk=app.pk).update(fee_paid_on=day)


class Migration(migrations.Migration):

    dependencies = [
        ('disclosure', '0005_record_kit'),
    ]

    operations = [
        migrations.AddField(
            model_name='application',
            name='fee_paid_on',
            field=models.DateField(blank=True, null=True, verbose_name='缴费日期'),
        ),
        migrations.AlterField(
            model_name='applicationevent',
            name='kind',
            field=models.CharField(choices=[('registered', '登记'), ('correction_requested', '发出补正通知'), ('corrected', '收到补正'), ('consultation_started', '开始征求意见'), ('consultation_ended', '征求意见结束'), ('extension_requested', '提请延期'), ('extension_refused', '不予批准延期'), ('extended', '批准延期'), ('fee_notice', '发出收费通知'), ('fee_paid', '缴费'), ('served', '登记送达'), ('fee_relief_requested', '提请减免信息处理费'), ('fee_relief_refused', '不予批准减免'), ('fee_waived', '批准免收信息处理费'), ('fee_reduced', '批准减收信息处理费'), ('replied', '答复'), ('closed_uncorrected', '逾期未补正，不再处理'), ('closed_unpaid', '逾期未缴费，不再处理'), ('fields_corrected', '更正登记信息'), ('voided', '作废'), ('undone', '撤销上一步'), ('child_added', '添加'), ('child_removed', '删除')], max_length=32, verbose_name='事项'),
        ),
        migrations.AddConstraint(
            model_name='application',
            constraint=models.CheckConstraint(condition=models.Q(('fee_paid_on__isnull', True), ('fee_paid_on__gte', models.F('received_on')), _connector='OR'), name='disclosure_fee_paid_not_before_receipt'),
        ),
        migrations.RunPython(fill_fee_paid_on, migrations.RunPython.noop),
    ]
