# The list's search (工单编号、诉求内容: icontains) served by trigram indexes on PostgreSQL.

from django.db import migrations

from fazhi.core.records.search import TrigramIndex


class Migration(migrations.Migration):
    dependencies = [
        ("hotline", "0002_list_order_index"),
    ]

    operations = [
        TrigramIndex("hotline_workorder", "number", "hotline_number_trgm"),
        TrigramIndex("hotline_workorder", "content", "hotline_content_trgm"),
    ]
