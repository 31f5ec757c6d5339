"""The development models, taken over from the goals app with their tables.

The tables were created by goals/migrations/0002_development_plans.py and keep their names
(`db_table`), so this migration changes the state only. Rows naming the models by app label
move too: content types (and so permissions and admin log entries) and the audit log's
`target_type`.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import connections, migrations, models

OLD_LABEL, NEW_LABEL = "goals", "development"
MODELS = (
    "CompetencyCategory",
    "Competency",
    "CompetencyLevel",
    "DevelopmentPlan",
    "PlanCompetency",
    "DevelopmentObjective",
    "DevelopmentAction",
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
        ('goals', '0003_development_models_move_to_their_app'),
        ('tenancy', '0004_membership_manager_since'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: the tables stay where they are (see the module docstring).
            state_operations=[
                migrations.CreateModel(
                    name='CompetencyCategory',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120)),
                        ('description', models.TextField(blank=True)),
                        ('position', models.PositiveSmallIntegerField(default=0)),
                        ('organization', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.organization')),
                    ],
                    options={
                        'verbose_name_plural': 'competency categories',
                        'db_table': 'goals_competencycategory',
                        'ordering': ['position', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='Competency',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120)),
                        ('description', models.TextField(blank=True)),
                        ('active', models.BooleanField(default=True)),
                        ('position', models.PositiveSmallIntegerField(default=0)),
                        ('organization', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.organization')),
                        ('category', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='competencies', to='development.competencycategory')),
                    ],
                    options={
                        'verbose_name_plural': 'competencies',
                        'db_table': 'goals_competency',
                        'ordering': ['category__position', 'category__name', 'position', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='CompetencyLevel',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('level', models.PositiveSmallIntegerField()),
                        ('name', models.CharField(max_length=120)),
                        ('behaviour', models.TextField(help_text='What someone at this level can be seen doing.')),
                        ('competency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='levels', to='development.competency')),
                        ('organization', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.organization')),
                    ],
                    options={
                        'db_table': 'goals_competencylevel',
                        'ordering': ['competency_id', 'level'],
                    },
                ),
                migrations.CreateModel(
                    name='DevelopmentPlan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('period', models.CharField(help_text='A label such as "2026" or "2026-H1".', max_length=40)),
                        ('period_start', models.DateField()),
                        ('period_end', models.DateField()),
                        ('aspiration', models.TextField(blank=True, help_text='Where the person wants to grow, in their own words.')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Waiting for agreement'), ('agreed', 'Agreed'), ('closed', 'Closed')], default='draft', max_length=20)),
                        ('submitted_at', models.DateTimeField(blank=True, null=True)),
                        ('manager_comment', models.TextField(blank=True)),
                        ('commented_at', models.DateTimeField(blank=True, null=True)),
                        ('agreed_at', models.DateTimeField(blank=True, null=True)),
                        ('last_agreed_at', models.DateTimeField(blank=True, null=True)),
                        ('closed_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('agreed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='tenancy.membership')),
                        ('commented_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='tenancy.membership')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='tenancy.membership')),
                        ('last_agreed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='tenancy.membership')),
                        ('organization', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.organization')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='development_plans', to='tenancy.membership')),
                    ],
                    options={
                        'db_table': 'goals_developmentplan',
                        'ordering': ['-period_start', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='DevelopmentObjective',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('competency', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='objectives', to='development.competency')),
                        ('goal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='development_objectives', to='goals.goal')),
                        ('organization', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.organization')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='objectives', to='development.developmentplan')),
                    ],
                    options={
                        'db_table': 'goals_developmentobjective',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='DevelopmentAction',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('training', 'Training course'), ('mentoring', 'Mentoring'), ('stretch_assignment', 'Stretch assignment'), ('reading', 'Reading'), ('other', 'Other')], max_length=30)),
                        ('title', models.CharField(max_length=200)),
                        ('notes', models.TextField(blank=True)),
                        ('due_date', models.DateField(blank=True, null=True)),
                        ('status', models.CharField(choices=[('not_started', 'Not started'), ('in_progress', 'In progress'), ('done', 'Done'), ('cancelled', 'Cancelled')], default='not_started', max_length=20)),
                        ('completed_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('organization', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.organization')),
                        ('owner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='development_actions', to='tenancy.membership')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='development.developmentplan')),
                    ],
                    options={
                        'db_table': 'goals_developmentaction',
                        'ordering': ['due_date', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='PlanCompetency',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('competency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='plan_competencies', to='development.competency')),
                        ('organization', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.organization')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='plan_competencies', to='development.developmentplan')),
                        ('target_level', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='development.competencylevel')),
                    ],
                    options={
                        'db_table': 'goals_plancompetency',
                        'ordering': ['competency__name'],
                    },
                ),
                migrations.AddField(
                    model_name='developmentplan',
                    name='competencies',
                    field=models.ManyToManyField(related_name='development_plans', through='development.PlanCompetency', to='development.competency'),
                ),
                migrations.AddConstraint(
                    model_name='competencycategory',
                    constraint=models.UniqueConstraint(fields=('organization', 'name'), name='competency_category_unique_name'),
                ),
                migrations.AddIndex(
                    model_name='competency',
                    index=models.Index(fields=['organization', 'category'], name='competency_org_category'),
                ),
                migrations.AddConstraint(
                    model_name='competency',
                    constraint=models.UniqueConstraint(fields=('organization', 'name'), name='competency_unique_name'),
                ),
                migrations.AddConstraint(
                    model_name='competencylevel',
                    constraint=models.UniqueConstraint(fields=('organization', 'competency', 'level'), name='competency_level_unique'),
                ),
                migrations.AddConstraint(
                    model_name='competencylevel',
                    constraint=models.CheckConstraint(condition=models.Q(('level__gte', 1)), name='competency_level_positive'),
                ),
                migrations.AddIndex(
                    model_name='developmentobjective',
                    index=models.Index(fields=['organization', 'plan'], name='development_objective_org_plan'),
                ),
                migrations.AddConstraint(
                    model_name='developmentobjective',
                    constraint=models.UniqueConstraint(fields=('organization', 'goal'), name='development_objective_unique_goal'),
                ),
                migrations.AddIndex(
                    model_name='developmentaction',
                    index=models.Index(fields=['organization', 'plan'], name='development_action_org_plan'),
                ),
                migrations.AddIndex(
                    model_name='developmentaction',
                    index=models.Index(fields=['organization', 'owner'], name='development_action_org_owner'),
                ),
                migrations.AddConstraint(
                    model_name='plancompetency',
                    constraint=models.UniqueConstraint(fields=('organization', 'plan', 'competency'), name='plan_competency_unique'),
                ),
                migrations.AddIndex(
                    model_name='developmentplan',
                    index=models.Index(fields=['organization', 'person'], name='development_plan_org_person'),
                ),
                migrations.AddIndex(
                    model_name='developmentplan',
                    index=models.Index(fields=['organization', 'status'], name='development_plan_org_status'),
                ),
                migrations.AddConstraint(
                    model_name='developmentplan',
                    constraint=models.UniqueConstraint(fields=('organization', 'person', 'period'), name='development_plan_unique_period'),
                ),
                migrations.AddConstraint(
                    model_name='developmentplan',
                    constraint=models.CheckConstraint(condition=models.Q(('period_end__gte', models.F('period_start'))), name='development_plan_period_order', violation_error_message='The period cannot end before it starts.'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_forwards, relabel_backwards),
    ]
