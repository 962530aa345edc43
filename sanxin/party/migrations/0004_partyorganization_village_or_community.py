from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('party', '0003_encrypt_id_numbers'),
    ]

    operations = [
        migrations.AddField(
            model_name='partyorganization',
            name='village_or_community',
            field=models.BooleanField(db_default=False, default=False, help_text='Its committee serves 5 years instead of 3.', verbose_name='village or community organization (村/社区)'),
        ),
    ]
