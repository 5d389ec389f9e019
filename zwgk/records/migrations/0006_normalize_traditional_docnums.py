"""Normalise the 文号 written in traditional characters (粵府辦〔2020〕3號).

``Record.derive_fields`` now converts a 文号 to simplified characters before
normalising it; records saved before kept an empty ``doc_number_normalized``,
so a search for their 文号 could not go straight to them.
"""

from django.db import migrations

from zwgk.records.docnum import normalize_docnum
from zwgk.utils.script import to_simplified


def normalize(apps, schema_editor):
    record = apps.get_model("records", "Record")
    missing = record.objects.filter(doc_number_normalized="").exclude(doc_number="")
    changed = []
    for pk, doc_number in missing.values_list("pk", "doc_number").iterator(chunk_size=2000):
        normalized = (normalize_docnum(to_simplified(doc_number)) or "")[:100]
        if normalized:
            changed.append(record(pk=pk, doc_number_normalized=normalized))
    record.objects.bulk_update(changed, ["doc_number_normalized"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0005_public_listing_indexes"),
    ]

    operations = [
        migrations.RunPython(normalize, migrations.RunPython.noop),
    ]
