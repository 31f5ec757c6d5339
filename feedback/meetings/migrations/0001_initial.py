"""The 1:1 meeting models, taken over from the feedback app with their tables.

The tables were created by feedback/migrations/0001 to 0004 and keep their names
(`db_table`), so this migration changes the state only. Rows naming the models by app label
move too: content types (and so permissions and admin log entries) and the audit log's
`target_type`.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import connections, migrations, models

OLD_LABEL, NEW_LABEL = "feedback", "meetings"
MODELS = (
    "OneOnOneSeries",
    "Meeting",
    "TalkingPoint",
    "PrivateNote",
    "ActionItem",
)


def _relabel(apps, schema_editor, *, source, target):
    """Content types and audit entries of the moved models follow them to the new label.

    Permissions and admin log entries point at content types, so they follow too. A content
    type that already exists under the target label (a database where it was created before)
    is left alone.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    # Audit entries are append-only (audit 0002's trigger); renaming the label of a moved
    # model is the one rewrite allowed, for this migration's transaction only.
    with connections[AuditEntry._base_manager.db].cursor() as cursor:
        cursor.execute("SELECT set_config('perfmgmt.audit_deletion', 'on', true)")
    for name in MODELS:
        model = name.lower()
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)
        # Every organization's entries: a migration has no tenant scope, so the base manager.
        AuditEntry._base_manager.filter(target_type=f"{source}.{name}").update(
            target_type=f"{target}.{name}"
        )


def relabel_forwards(apps, schema_editor):
    _relabel(apps, schema_editor, source=OLD_LABEL, target=NEW_LABEL)


def relabel_backwards(apps, schema_editor):
    _relabel(apps, schema_editor, source=NEW_LABEL, target=OLD_LABEL)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('audit', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('feedback', '0005_meetings_models_move_to_their_app'),
        ('goals', '0001_initial'),
        ('tenancy', '0004_membership_manager_since'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: the tables stay where they are (see the module docstring).
            state_operations=[
                migrations.CreateModel(
                    name='OneOnOneSeries',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('cadence', models.CharField(choices=[('weekly', 'Every week'), ('biweekly', 'Every two weeks'), ('monthly', 'Every month'), ('none', 'Ad hoc (no fixed cadence)')], default='weekly', max_length=20)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='tenancy.membership')),
                        ('manager', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='one_on_ones_led', to='tenancy.membership')),
                        ('organization', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.organization')),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='one_on_ones_joined', to='tenancy.membership')),
                    ],
                    options={
                        'verbose_name': '1:1 series',
                        'verbose_name_plural': '1:1 series',
                        'db_table': 'feedback_oneononeseries',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='Meeting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('scheduled_for', models.DateTimeField()),
                        ('status', models.CharField(choices=[('upcoming', 'Upcoming'), ('done', 'Done'), ('cancelled', 'Cancelled')], default='upcoming', max_length=20)),
                        ('shared_notes', models.TextField(blank=True)),
                        ('notes_version', models.PositiveIntegerField(default=1)),
                        ('completed_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('organization', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.organization')),
                        ('series', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='meetings', to='meetings.oneononeseries')),
                    ],
                    options={
                        'db_table': 'feedback_meeting',
                        'ordering': ['scheduled_for', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='ActionItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField()),
                        ('due_date', models.DateField(blank=True, null=True)),
                        ('done_at', models.DateTimeField(blank=True, null=True)),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='tenancy.membership')),
                        ('organization', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.organization')),
                        ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='one_on_one_action_items', to='tenancy.membership')),
                        ('done_in', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='meetings.meeting')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='action_items', to='meetings.meeting')),
                        ('series', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='action_items', to='meetings.oneononeseries')),
                    ],
                    options={
                        'db_table': 'feedback_actionitem',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='PrivateNote',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField()),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.membership')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='private_notes', to='meetings.meeting')),
                        ('organization', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.organization')),
                    ],
                    options={
                        'db_table': 'feedback_privatenote',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='TalkingPoint',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField()),
                        ('position', models.PositiveIntegerField(default=0)),
                        ('discussed', models.BooleanField(default=False)),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.membership')),
                        ('carried_from', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='carried_to', to='meetings.talkingpoint')),
                        ('feedback', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='feedback.feedback')),
                        ('goal', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='goals.goal')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='talking_points', to='meetings.meeting')),
                        ('organization', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.organization')),
                    ],
                    options={
                        'db_table': 'feedback_talkingpoint',
                        'ordering': ['position', 'id'],
                    },
                ),
                migrations.AddIndex(
                    model_name='oneononeseries',
                    index=models.Index(fields=['organization', 'report'], name='one_on_one_series_report'),
                ),
                migrations.AddConstraint(
                    model_name='oneononeseries',
                    constraint=models.UniqueConstraint(fields=('organization', 'manager', 'report'), name='one_on_one_series_unique_pair'),
                ),
                migrations.AddConstraint(
                    model_name='oneononeseries',
                    constraint=models.CheckConstraint(condition=models.Q(('manager', models.F('report')), _negated=True), name='one_on_one_series_two_people'),
                ),
                migrations.AddIndex(
                    model_name='meeting',
                    index=models.Index(fields=['organization', 'status', 'scheduled_for'], name='meeting_due'),
                ),
                migrations.AddConstraint(
                    model_name='meeting',
                    constraint=models.UniqueConstraint(fields=('organization', 'series', 'scheduled_for'), name='meeting_unique_time_in_series'),
                ),
                migrations.AddIndex(
                    model_name='actionitem',
                    index=models.Index(fields=['organization', 'series', 'done_at'], name='action_item_open'),
                ),
                migrations.AddIndex(
                    model_name='actionitem',
                    index=models.Index(fields=['organization', 'owner', 'due_date'], name='action_item_owner_due'),
                ),
                migrations.AddConstraint(
                    model_name='actionitem',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('done_at__isnull', True), ('done_in__isnull', True)), models.Q(('done_at__isnull', False), ('done_in__isnull', False)), _connector='OR'), name='action_item_done_in_a_meeting'),
                ),
                migrations.AddIndex(
                    model_name='privatenote',
                    index=models.Index(fields=['organization', 'author', 'meeting'], name='private_note_author_meeting'),
                ),
                migrations.AddIndex(
                    model_name='talkingpoint',
                    index=models.Index(fields=['organization', 'meeting', 'position'], name='talking_point_order'),
                ),
                migrations.AddConstraint(
                    model_name='talkingpoint',
                    constraint=models.UniqueConstraint(condition=models.Q(('carried_from__isnull', False)), fields=('organization', 'carried_from'), name='talking_point_carried_once'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_forwards, relabel_backwards),
    ]
