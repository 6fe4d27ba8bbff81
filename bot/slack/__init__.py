"""The Slack-facing pieces both surfaces use (handlers for requests, scheduler for the clock):
Block Kit (blocks/), the Web API client, posting once, users.info, the app manifest."""
