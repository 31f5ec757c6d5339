"""1:1 meetings move to the `meetings` app.

Only the migration state changes: the tables (feedback_meeting, ...) stay as they are, the
`meetings` app's 0001_initial takes them over with the same names.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0004_talking_point_feedback'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: the tables stay where they are (see the module docstring).
            state_operations=[
                migrations.RemoveField(
                    model_name='meeting',
                    name='organization',
                ),
                migrations.RemoveField(
                    model_name='meeting',
                    name='series',
                ),
                migrations.RemoveField(
                    model_name='talkingpoint',
                    name='meeting',
                ),
                migrations.RemoveField(
                    model_name='privatenote',
                    name='meeting',
                ),
                migrations.RemoveField(
                    model_name='oneononeseries',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='oneononeseries',
                    name='manager',
                ),
                migrations.RemoveField(
                    model_name='oneononeseries',
                    name='organization',
                ),
                migrations.RemoveField(
                    model_name='oneononeseries',
                    name='report',
                ),
                migrations.RemoveField(
                    model_name='privatenote',
                    name='author',
                ),
                migrations.RemoveField(
                    model_name='privatenote',
                    name='organization',
                ),
                migrations.RemoveField(
                    model_name='talkingpoint',
                    name='author',
                ),
                migrations.RemoveField(
                    model_name='talkingpoint',
                    name='carried_from',
                ),
                migrations.RemoveField(
                    model_name='talkingpoint',
                    name='feedback',
                ),
                migrations.RemoveField(
                    model_name='talkingpoint',
                    name='goal',
                ),
                migrations.RemoveField(
                    model_name='talkingpoint',
                    name='organization',
                ),
                migrations.DeleteModel(
                    name='ActionItem',
                ),
                migrations.DeleteModel(
                    name='Meeting',
                ),
                migrations.DeleteModel(
                    name='OneOnOneSeries',
                ),
                migrations.DeleteModel(
                    name='PrivateNote',
                ),
                migrations.DeleteModel(
                    name='TalkingPoint',
                ),
            ],
            database_operations=[],
        ),
    ]
