"""The summary counts whether each organization operates and whether a service officer currently
serves it (the dashboard's "operating enterprises served"); existing rows and cells are brought up
to date in SQL."""
from django.db import migrations, models

KEY = "area_id, domain, industry, authority_id, is_sanyou, status, operating, served"
ROW = "coverage_organizationcoverage.organization_id"
FILL = [
    "UPDATE coverage_organizationcoverage SET served = EXISTS (SELECT 1 FROM service_assignment a "
    f"WHERE a.organization_id = {ROW} AND a.ended_at IS NULL), operating = EXISTS (SELECT 1 "
    f"FROM registry_organization o WHERE o.id = {ROW} AND o.status = 'operating')",
    "DELETE FROM coverage_coveragecell",
    f"INSERT INTO coverage_coveragecell ({KEY}, n) SELECT {KEY}, count(*) "
    f"FROM coverage_organizationcoverage GROUP BY {KEY}",
]


class Migration(migrations.Migration):

    dependencies = [
        ("coverage", "0003_organizationcoverage_coveragecell"),
        ("registry", "0001_initial"),
        ("service", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="coveragecell",
            name="one_coverage_cell_per_key",
        ),
        migrations.AddField(
            model_name="coveragecell",
            name="served",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="coveragecell",
            name="operating",
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name="organizationcoverage",
            name="operating",
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name="organizationcoverage",
            name="served",
            field=models.BooleanField(default=False),
        ),
        migrations.AddConstraint(
            model_name="coveragecell",
            constraint=models.UniqueConstraint(
                fields=("area_id", "domain", "industry", "authority_id", "is_sanyou", "status", "operating",
                        "served"),
                name="one_coverage_cell_per_key_served"),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
