"""The default QA checklist (decision 0064): what the ICO's data sharing code says an agreement
should contain, and WASPI's quality assurance points. Editable afterwards in the Django admin."""

from django.db import migrations

CHECKPOINTS = [
    ("ico", "Purpose: the purpose of the sharing is set out, specific and lawful"),
    ("ico", "Parties: every organisation involved is named, with its role (controller or processor)"),
    ("ico", "Data items: the data to be shared are listed, and no more than the purpose needs"),
    ("ico", "Lawful basis: the lawful basis for sharing, and any Article 9 or 10 condition, is stated"),
    ("ico", "Legal power: the legal gateway or power each party relies on is identified"),
    ("ico", "Transparency: how the people concerned are told about the sharing is set out"),
    ("ico", "Accuracy: how data are kept accurate and errors corrected between parties is set out"),
    ("ico", "Retention: how long the data are kept and how they are destroyed is stated"),
    ("ico", "Security: the technical and organisational measures for transfer and storage are described"),
    ("ico", "Individuals' rights: how rights requests, including subject access, are handled is set out"),
    ("ico", "Breaches: how a personal data breach is reported between parties is set out"),
    ("ico", "Review: when and how the agreement is reviewed, and how it ends, is stated"),
    ("ico", "DPIA: whether a DPIA is needed has been considered, and any DPIA is referenced"),
    ("waspi", "WASPI: the agreement follows the WASPI template, with no required section left out"),
    ("waspi", "WASPI: the service description explains the sharing in plain language"),
    ("waspi", "WASPI: named contacts (SPOCs and signatories) are recorded for every partner"),
    ("waspi", "WASPI: the document control and version history are complete"),
]


def load(apps, schema_editor):
    QaCheckpoint = apps.get_model("agreements", "QaCheckpoint")
    for position, (source, text) in enumerate(CHECKPOINTS, start=1):
        QaCheckpoint.objects.get_or_create(text=text, defaults={"source": source, "position": position * 10})


class Migration(migrations.Migration):

    dependencies = [("agreements", "0021_qa_reviews")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
