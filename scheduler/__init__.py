"""The clock surface: scheduled posts that arrive once, one module per feature's jobs (jobs.py
names them all), each run claimed in the database (runs.py) and delivered once (delivery.py)."""
