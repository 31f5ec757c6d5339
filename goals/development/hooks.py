"""Development plans register on the hooks the goals services offer (`goals.hooks`).

Imported once when Django starts; goals itself never imports this package.
"""

from goals import hooks

from .services.goal_sync import objective_goal_changed, objective_plan_lock

hooks.before_goal_locked.register(objective_plan_lock)
hooks.goal_changed.register(objective_goal_changed)
