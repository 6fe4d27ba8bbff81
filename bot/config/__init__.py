"""Settings: app.yaml read strictly (an error names the key), with the environment over it."""
