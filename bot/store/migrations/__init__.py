"""Alembic's migration environment, shipped inside the package so an installed wheel can
migrate its database; bot.store.db points Alembic here."""
