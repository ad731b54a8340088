from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_audit_access_log"),
    ]

    operations = [
        migrations.AddField(
            model_name="gedcomimport",
            name="heartbeat_at",
            field=models.DateTimeField(
                blank=True, null=True,
                help_text="Last sign of life from the worker previewing or importing; a stale one means the worker "
                          "died."),
        ),
        migrations.AddField(
            model_name="gedcomimport",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, help_text="Workers that claimed the current stage."),
        ),
        migrations.AddField(
            model_name="photo",
            name="detection_heartbeat_at",
            field=models.DateTimeField(
                blank=True, null=True,
                help_text="Last sign of life from the worker detecting faces; stale means it died."),
        ),
        migrations.AddField(
            model_name="photo",
            name="detection_attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
    ]
