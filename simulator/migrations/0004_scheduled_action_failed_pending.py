from django.db import migrations, models


def drop_cancelled(apps, schema_editor):
    # Cancelled actions are deleted from now on; nothing needs the old ones.
    apps.get_model("simulator", "ScheduledAction").objects.filter(cancelled=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("simulator", "0003_classroom_co_teachers_archive"),
    ]

    operations = [
        migrations.RunPython(drop_cancelled, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="scheduledaction", name="scheduled_action_due"),
        migrations.RemoveField(model_name="scheduledaction", name="cancelled"),
        migrations.AddField(
            model_name="scheduledaction",
            name="failed",
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name="scheduledaction",
            name="due_at",
            field=models.DateTimeField(),
        ),
        migrations.AddIndex(
            model_name="scheduledaction",
            index=models.Index(
                condition=models.Q(done_at__isnull=True),
                fields=["due_at"],
                name="scheduled_action_pending",
            ),
        ),
    ]
