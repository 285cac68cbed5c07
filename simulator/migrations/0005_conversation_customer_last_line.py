from django.db import migrations, models


def fill(apps, schema_editor):
    # Conversations in progress keep their context: their customer's latest line.
    Conversation = apps.get_model("simulator", "Conversation")
    Message = apps.get_model("simulator", "Message")
    for conversation in Conversation.objects.filter(status="active"):
        last = (
            Message.objects.filter(conversation=conversation, role="customer")
            .order_by("-seq")
            .values_list("text", flat=True)
            .first()
        )
        if last:
            Conversation.objects.filter(pk=conversation.pk).update(customer_last_line=last)


class Migration(migrations.Migration):
    dependencies = [
        ("simulator", "0004_scheduled_action_failed_pending"),
    ]

    operations = [
        migrations.AddField(
            model_name="conversation",
            name="customer_last_line",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="message",
            options={
                "ordering": ["conversation_id", "seq"],
                "verbose_name": "message",
                "verbose_name_plural": "messages",
            },
        ),
    ]
