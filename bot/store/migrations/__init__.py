"""Alembic's migration environment, shipped inside the package so an installed wheel can
migrate its database; bot.db points Alembic here."""
