"""Organisations, users, roles and what each may see and do (accounts and permissions)."""
