"""Goals, key results and development plans (see the plan-and-develop issue)."""
