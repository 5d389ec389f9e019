"""Seed the platform-default letter templates (LetterTemplate rows with no agency).

The text comes from ``zwgk/disclosure_requests/letters/defaults.py``.  Rows that
already exist are left alone; reversing removes only the defaults still as
seeded, so an administrator's edits survive a rollback.
"""

from django.db import migrations

# The kinds that existed at this migration; later kinds are seeded by their own.
KINDS = ("reply", "supplement", "extension", "consultation", "fee", "reasons")


def seed_defaults(apps, schema_editor):
    from zwgk.disclosure_requests.letters.defaults import DEFAULT_TEMPLATES

    LetterTemplate = apps.get_model("disclosure_requests", "LetterTemplate")
    for kind in KINDS:
        title, body = DEFAULT_TEMPLATES[kind]
        LetterTemplate.objects.get_or_create(
            agency=None, kind=kind, defaults={"title": title, "body": body}
        )


def remove_defaults(apps, schema_editor):
    from zwgk.disclosure_requests.letters.defaults import DEFAULT_TEMPLATES

    LetterTemplate = apps.get_model("disclosure_requests", "LetterTemplate")
    for kind in KINDS:
        title, body = DEFAULT_TEMPLATES[kind]
        LetterTemplate.objects.filter(agency=None, kind=kind, title=title, body=body).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure_requests", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed_defaults, remove_defaults),
    ]
