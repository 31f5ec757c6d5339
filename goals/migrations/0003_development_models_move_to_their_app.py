"""Development plans and the competency framework move to the `development` app.

Only the migration state changes: the tables (goals_developmentplan, ...) stay as they are,
the `development` app's 0001_initial takes them over with the same names.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('goals', '0002_development_plans'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: the tables stay where they are (see the module docstring).
            state_operations=[
                migrations.RemoveField(
                    model_name='developmentplan',
                    name='competencies',
                ),
                migrations.RemoveField(
                    model_name='competencylevel',
                    name='competency',
                ),
                migrations.RemoveField(
                    model_name='plancompetency',
                    name='competency',
                ),
                migrations.RemoveField(
                    model_name='developmentobjective',
                    name='competency',
                ),
                migrations.RemoveField(
                    model_name='competencycategory',
                    name='organization',
                ),
                migrations.RemoveField(
                    model_name='competencylevel',
                    name='organization',
                ),
                migrations.RemoveField(
                    model_name='plancompetency',
                    name='target_level',
                ),
                migrations.RemoveField(
                    model_name='developmentaction',
                    name='organization',
                ),
                migrations.RemoveField(
                    model_name='developmentaction',
                    name='owner',
                ),
                migrations.RemoveField(
                    model_name='developmentaction',
                    name='plan',
                ),
                migrations.RemoveField(
                    model_name='developmentobjective',
                    name='goal',
                ),
                migrations.RemoveField(
                    model_name='developmentobjective',
                    name='organization',
                ),
                migrations.RemoveField(
                    model_name='developmentobjective',
                    name='plan',
                ),
                migrations.RemoveField(
                    model_name='developmentplan',
                    name='agreed_by',
                ),
                migrations.RemoveField(
                    model_name='developmentplan',
                    name='commented_by',
                ),
                migrations.RemoveField(
                    model_name='developmentplan',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='developmentplan',
                    name='last_agreed_by',
                ),
                migrations.RemoveField(
                    model_name='developmentplan',
                    name='organization',
                ),
                migrations.RemoveField(
                    model_name='developmentplan',
                    name='person',
                ),
                migrations.RemoveField(
                    model_name='plancompetency',
                    name='plan',
                ),
                migrations.RemoveField(
                    model_name='plancompetency',
                    name='organization',
                ),
                migrations.DeleteModel(
                    name='Competency',
                ),
                migrations.DeleteModel(
                    name='CompetencyCategory',
                ),
                migrations.DeleteModel(
                    name='CompetencyLevel',
                ),
                migrations.DeleteModel(
                    name='DevelopmentAction',
                ),
                migrations.DeleteModel(
                    name='DevelopmentObjective',
                ),
                migrations.DeleteModel(
                    name='DevelopmentPlan',
                ),
                migrations.DeleteModel(
                    name='PlanCompetency',
                ),
            ],
            database_operations=[],
        ),
    ]
