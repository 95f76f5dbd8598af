"""What the Alembic environment and the schema tests share."""

# Tables that live in the database but are not ours to migrate: APScheduler's job store
# creates and manages its own.
FOREIGN_TABLES = ("apscheduler_jobs",)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Leave tables other libraries manage out of autogenerate and the schema comparison."""
    return not (type_ == "table" and name in FOREIGN_TABLES)
