"""Repositories as records of their own, and citations narrowed to one event or fact.

The old free-text ``Source.repository`` becomes a link: each distinct text in a tree becomes one
Repository, so nothing typed before is lost.
"""

import django.db.models.deletion
from django.db import migrations, models


def repositories_from_text(apps, schema_editor):
    Repository = apps.get_model("cases", "Repository")
    Source = apps.get_model("cases", "Source")
    made = {}
    for source in Source.objects.exclude(repository="").order_by("pk"):
        key = (source.tree_id, source.repository.strip())
        if key not in made:
            made[key] = Repository.objects.create(tree_id=source.tree_id, name=key[1])
        source.repository_link = made[key]
        source.save(update_fields=["repository_link"])


def repositories_to_text(apps, schema_editor):
    Source = apps.get_model("cases", "Source")
    for source in Source.objects.exclude(repository_link=None).select_related("repository_link"):
        source.repository = source.repository_link.name[:300]
        source.save(update_fields=["repository"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_audit_access_log"),
    ]

    operations = [
        migrations.CreateModel(
            name="Repository",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=300)),
                ("address", models.TextField(blank=True)),
                ("tree", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="repositories",
                                           to="cases.tree")),
            ],
            options={"verbose_name_plural": "repositories", "ordering": ["name", "pk"]},
        ),
        migrations.AddField(
            model_name="source",
            name="repository_link",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="sources", to="cases.repository"),
        ),
        migrations.RunPython(repositories_from_text, repositories_to_text),
        migrations.RemoveField(model_name="source", name="repository"),
        migrations.RenameField(model_name="source", old_name="repository_link", new_name="repository"),
        migrations.AddField(
            model_name="citation",
            name="event",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="citations", to="cases.event"),
        ),
        migrations.AddField(
            model_name="citation",
            name="fact",
            field=models.CharField(blank=True, choices=[("", "The record as a whole"), ("BIRT", "Birth"),
                                                        ("DEAT", "Death"), ("MARR", "Marriage"),
                                                        ("DIV", "Divorce")], max_length=8),
        ),
    ]
