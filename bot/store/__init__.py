"""Storage: the database engine and migrations, every table (models.py), backups, the article
store and the live search index over it, the search log."""
