"""Every SCIM write: users (users.py) and groups (groups.py), through the member and team
services, each operation audited once as `scim.<resource>.<operation>`."""
