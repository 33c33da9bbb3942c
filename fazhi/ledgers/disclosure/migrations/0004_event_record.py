from django.db import migrations


class Migration(migrations.Migration):
    """The record kit names every event's record `record`."""

    dependencies = [("disclosure", "0003_extension_refused")]
    operations = [
        migrations.RenameField("applicationevent", "application", "record"),
    ]
