# The list's search by a number's beginning in any letter case reads this index backwards
# (core/records/search.py prefix_search); the import and registration look up case variants.

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hotline", "0004_import_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="workorder",
            index=models.Index(
                django.db.models.functions.text.Upper("number"), name="hotline_number_upper"
            ),
        ),
    ]
